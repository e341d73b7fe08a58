"""Access rules for learning: paths, their modules, their handouts.

Part of cop.access (see its docstring): `can(user, action, path_or_module)` and
`visible_paths_clause(user)` say the same thing, so a page, the regional list, the space
panel, the export and a download agree.

- A path is seen where its space is seen (a reserved space's paths do not exist for
  outsiders: 404), and only once published, except by those who manage the space
  (its coordinators, the ATS referent for an Alleanza, site admins), who see drafts too.
- Those who manage the space write paths and modules, reorder and publish them (MANAGE).
- Whoever sees a published path takes it: marks its modules done (TAKE).
- A module, and the handout files attached to it, follow their path.
- An attestation is seen by the person it was issued to and by site admins, nobody else
  (404): not the path's coordinators, whatever happens to the path. Anyone may check its
  code at the public page, which shows name, path, date and hours only (cop/learning/
  verification.py).
"""
from __future__ import annotations

from sqlalchemy import false, or_, select, true

from cop.access.core import (
    MANAGE,
    VIEW,
    _can_space,
    _manages,
    _signed_in,
    managed_spaces_clause,
    once_per_request,
    visible_spaces_clause,
)
from cop.extensions import db
from cop.learning.models import Attestation, LearningModule, LearningPath, PathStatus
from cop.spaces.models import Space

TAKE = "take"  # mark the modules of a path done
MODULE_OWNER_TYPE = "learning_module"

__all__ = ["TAKE", "MODULE_OWNER_TYPE", "visible_paths_clause", "may_manage_learning"]


def may_manage_learning(user, space: Space) -> bool:
    """Writes paths in `space`: the same people who manage the space."""
    return _signed_in(user) and user.is_active and _manages(user, space)


def _space_of(path: LearningPath) -> Space:
    return db.session.get(Space, path.space_id)  # the identity map: at most one statement


def can_path(user, action: str, path: LearningPath) -> bool:
    space = _space_of(path)
    if space is None or not _can_space(user, VIEW, space):
        return False
    manages = _manages(user, space)
    if action == MANAGE:
        return manages
    if not (path.status == PathStatus.PUBLISHED.value or manages):
        return False
    if action == VIEW:
        return True
    if action == TAKE:
        return path.status == PathStatus.PUBLISHED.value
    return False


def can_module(user, action: str, module: LearningModule) -> bool:
    path = db.session.get(LearningPath, module.path_id)
    return path is not None and can_path(user, action, path)




def can_attestation(user, action: str, attestation: Attestation) -> bool:
    return (action == VIEW and _signed_in(user) and user.is_active
            and (attestation.user_id == user.id or user.is_admin))


def module_of_attachment(owner_id: int):
    return db.session.get(LearningModule, owner_id)




@once_per_request
def visible_paths_clause(user):
    """SQL condition on LearningPath: the paths `user` may see (published ones in the spaces
    they see; drafts too in the spaces they manage)."""
    if not _signed_in(user) or not user.is_active:
        return false()
    if user.is_admin:
        return true()
    visible = LearningPath.space_id.in_(select(Space.id).where(visible_spaces_clause(user)))
    managed = select(Space.id).where(managed_spaces_clause(user))
    return visible & or_(LearningPath.status == PathStatus.PUBLISHED.value,
                         LearningPath.space_id.in_(managed))
