"""Reads of cop.api: the tokens, and the lists the API serves, each kept to what the token's
owner may read by the access clauses of cop.access (never rules of its own)."""
from __future__ import annotations

from datetime import date, datetime, time

from sqlalchemy import and_, func, select
from sqlalchemy.orm import joinedload, selectinload

from cop import access
from cop.api.models import ApiToken
from cop.auth.models import User
from cop.meetings.models import Action, Decision, Meeting, MinutesStatus, MinutesVersion
from cop.network.models import Ats
from cop.practices.models import Practice, Status
from cop.reference.models import InterventionArea
from cop.spaces.models import Space


def tokens_of(user_id: int):
    return select(ApiToken).where(ApiToken.user_id == user_id) \
        .order_by(ApiToken.revoked_at.is_not(None), ApiToken.created_at.desc(), ApiToken.id.desc())


def token_for(token_hash: str):
    """The token with its owner, in one statement."""
    return select(ApiToken).options(joinedload(ApiToken.user)) \
        .where(ApiToken.token_hash == token_hash)


# --- spaces ---------------------------------------------------------------------------------

def spaces(user):
    return select(Space).where(access.visible_spaces_clause(user)).order_by(Space.name, Space.id)


def space_by_slug(slug: str):
    return select(Space).where(Space.slug == slug)


def visible_spaces_among(user, ids):
    """Of the spaces `ids`, those `user` may see."""
    return select(Space).where(Space.id.in_(ids), access.visible_spaces_clause(user))


# --- practices ------------------------------------------------------------------------------

def ats_by_code(code: str):
    return select(Ats).where(func.upper(Ats.code) == code.upper())


def area_by_code(code: str):
    return select(InterventionArea).where(InterventionArea.code == code)


def _practice_rows():
    return (joinedload(Practice.ats), joinedload(Practice.alleanza), joinedload(Practice.area),
            joinedload(Practice.lead_organisation))


def published_practices(user, *, ats_id: int | None = None, area_code: str | None = None,
                        since: datetime | None = None, until: datetime | None = None):
    """The published records `user` may read (access.visible_practices_clause), newest first."""
    query = select(Practice).options(*_practice_rows()).where(
        Practice.status == Status.PUBLISHED.value, access.visible_practices_clause(user))
    if ats_id is not None:
        query = query.where(Practice.ats_id == ats_id)
    if area_code is not None:
        query = query.where(Practice.area_code == area_code)
    if since is not None:
        query = query.where(Practice.published_at >= since)
    if until is not None:
        query = query.where(Practice.published_at < until)
    return query.order_by(Practice.published_at.desc(), Practice.id.desc())


def published_counts_by_ats(user, since: datetime | None, until: datetime | None):
    """(ATS code, name, records) for every ATS, records published in the window that `user`
    may read; records without an ATS under None."""
    counted = and_(Practice.ats_id == Ats.id, Practice.status == Status.PUBLISHED.value,
                   access.visible_practices_clause(user))
    if since is not None:
        counted = and_(counted, Practice.published_at >= since)
    if until is not None:
        counted = and_(counted, Practice.published_at < until)
    return select(Ats.code, Ats.name, func.count(Practice.id)) \
        .outerjoin(Practice, counted).group_by(Ats.id, Ats.code, Ats.name).order_by(Ats.code)


def published_practice(user, practice_id: int):
    return select(Practice).options(*_practice_rows(), selectinload(Practice.partners),
                                    selectinload(Practice.indicators)) \
        .where(Practice.id == practice_id, Practice.status == Status.PUBLISHED.value,
               access.visible_practices_clause(user))


# --- meetings -------------------------------------------------------------------------------

def meetings(user, *, space_id: int | None = None, since: date | None = None,
             until: date | None = None, zone=None):
    """The meetings `user` may see (access.visible_meetings_clause), latest first."""
    query = select(Meeting).options(joinedload(Meeting.space)) \
        .where(access.visible_meetings_clause(user))
    if space_id is not None:
        query = query.where(Meeting.space_id == space_id)
    if since is not None:
        query = query.where(Meeting.starts_at >= datetime.combine(since, time(0), tzinfo=zone))
    if until is not None:
        query = query.where(Meeting.starts_at < datetime.combine(until, time(0), tzinfo=zone))
    return query.order_by(Meeting.starts_at.desc(), Meeting.id.desc())


def meeting(user, meeting_id: int):
    return select(Meeting).options(joinedload(Meeting.space), selectinload(Meeting.items)) \
        .where(Meeting.id == meeting_id, access.visible_meetings_clause(user))


def readable_minutes(user, meeting_ids):
    """Of `meeting_ids`, those whose minutes `user` may read as they stand."""
    return select(Meeting.id).where(Meeting.id.in_(meeting_ids),
                                    access.readable_minutes_clause(user))


def approved_versions(meeting_ids):
    """The approved versions of the minutes of `meeting_ids`, latest first per meeting: what
    their readers read while an amendment is under way (READ_APPROVED_MINUTES)."""
    return select(MinutesVersion).where(
        MinutesVersion.meeting_id.in_(meeting_ids),
        MinutesVersion.status == MinutesStatus.APPROVED.value) \
        .order_by(MinutesVersion.meeting_id, MinutesVersion.number.desc())


def decisions(user, meeting_ids):
    return select(Decision).join(Meeting, Meeting.id == Decision.meeting_id) \
        .where(Decision.meeting_id.in_(meeting_ids), access.readable_minutes_clause(user)) \
        .order_by(Decision.meeting_id, Decision.id)


def actions(user, meeting_ids):
    return select(Action, User.name).join(Meeting, Meeting.id == Action.meeting_id) \
        .outerjoin(User, User.id == Action.owner_id) \
        .where(Action.meeting_id.in_(meeting_ids), access.visible_actions_clause(user)) \
        .order_by(Action.meeting_id, Action.id)


# --- dashboards -----------------------------------------------------------------------------

def dashboard_spaces(user):
    return select(Space).where(access.dashboard_spaces_clause(user)).order_by(Space.name,
                                                                              Space.id)
