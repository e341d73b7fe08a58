"""Who reads the dashboards.

- a space's dashboard: the people who run the space — its managers (coordinators, the ATS
  coordinators for an Alleanza, site admins) and its facilitators;
- the regional dashboard: site admins.
The dashboards show names only of the space's own members and titles only of the space's own
threads and stories, which these readers see anyway.
"""
from __future__ import annotations

from sqlalchemy import false, or_

from cop.access.core import _manages, _signed_in, _ties, managed_spaces_clause
from cop.spaces.models import Space, SpaceRole

__all__ = ["may_read_dashboard", "may_read_regional_dashboard", "dashboard_spaces_clause"]


def may_read_dashboard(user, space: Space) -> bool:
    if not _signed_in(user) or not user.is_active:
        return False
    tie = _ties(user).get(space.id)
    return _manages(user, space) or (tie is not None and tie.role == SpaceRole.FACILITATOR.value)


def may_read_regional_dashboard(user) -> bool:
    return _signed_in(user) and user.is_active and user.is_admin


def dashboard_spaces_clause(user):
    """SQL condition on Space: the spaces whose dashboard `user` reads."""
    if not _signed_in(user) or not user.is_active:
        return false()
    facilitated = [sid for sid, t in _ties(user).items() if t.role == SpaceRole.FACILITATOR.value]
    return or_(managed_spaces_clause(user), Space.id.in_(facilitated)) if facilitated \
        else managed_spaces_clause(user)
