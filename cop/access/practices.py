"""Access rules for the good-practice library: practice records, their versions and adoptions.

Part of cop.access (see its docstring): `can(user, action, practice)` and the SQL conditions
below say the same thing, so a list, a facet count, a search, an export and a page agree.

- A *published* record (pubblicata, or archiviata later) is read by whoever its visibility
  names: the readers of its space (*spazio*), everybody signed in (*registrati*), or also the
  public showcase without signing in (*pubblica*, published only, not archived).
- While it is being written and reviewed (bozza, inviata, validata) it is read by its writers:
  its author, the people who take part in its space and the space's managers (so also the ATS
  referent for an Alleanza's record); regional curators read every record once it is sent.
  Site admins read everything.
- Writers edit a draft or a published record; while it is under review it is frozen for them.
  A draft is sent for validation by its writers; who wrote it (`wrote_practice`) may take it
  back to a draft, to change it, until a validator takes it up (`taken_up`: saved a
  correction). Validators (regional curators, and the ATS referents of the record's ATS)
  validate it or send it back with a comment and may correct it meanwhile; validators and the
  space's managers publish a validated record, archive a published one and restore an archived
  one. Drafts are deleted by their author or managers.
- Four eyes: nobody validates or publishes a record they wrote (`wrote_practice`: they
  created it, or saved it while it was a draft); another referent of the ATS or a regional
  curator does. Regional curators always can, so a record never waits for nobody.
- Attribution: a record names its ATS, Alleanza and lead organisation; writers name only the
  ones they belong to (`attributable_territory`, `attributable_organisations_clause`):
  the ATS and Alleanze of the spaces they take part in or manage and of their organisation,
  and the organisations of those. Regional staff (curators, admins) attribute anywhere.
- People who take part in an Alleanza space adopt a published record they can read, for that
  Alleanza (not the record's own); readers of a published record comment on it. The comment
  thread is held in a space whose readers are the record's, and moves when its visibility
  changes (practices.services.comment_space), so discussions' rules give it the record's
  readers on every channel.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, exists, false, not_, or_, select, true

from cop.access.core import (
    PARTICIPATE,
    VIEW,
    _can_space,
    _manages,
    _signed_in,
    _ties,
    coordinated_ats_ids,
    managed_spaces_clause,
    once_per_request,
    visible_spaces_clause,
)
from cop.extensions import db
from cop.network.models import Alleanza, Organisation, organisation_alleanze
from cop.practices.models import PUBLIC_STATUSES, Practice, PracticeVersion, Status, Visibility
from cop.spaces.models import Membership, Space, SpaceKind

EDIT_PRACTICE = "edit_practice"
SUBMIT = "submit"
REVIEW = "review"  # validate or send back
PUBLISH = "publish"
ARCHIVE = "archive"  # and restore
DELETE_PRACTICE = "delete_practice"
ADOPT = "adopt"
COMMENT = "comment"
HISTORY = "history"
WRITE_PRACTICE = "write_practice"  # in a space: start a new record there
WITHDRAW_SUBMISSION = "withdraw_submission"  # its author takes a sent record back to a draft

__all__ = [
    "EDIT_PRACTICE", "SUBMIT", "REVIEW", "PUBLISH", "ARCHIVE", "DELETE_PRACTICE", "ADOPT",
    "COMMENT", "HISTORY", "WRITE_PRACTICE", "WITHDRAW_SUBMISSION", "visible_practices_clause",
    "public_practices_clause", "practices_to_review_clause", "is_validator",
    "adopting_alleanza_ids", "may_write_practices", "wrote_practice", "Territory",
    "attributable_territory", "attributable_organisations_clause",
]


def _space(practice: Practice) -> Space:
    return db.session.get(Space, practice.space_id)  # usually already in the identity map


def is_validator(user, practice: Practice) -> bool:
    return user.is_curator or (practice.ats_id is not None
                               and practice.ats_id in coordinated_ats_ids(user))


def wrote_practice(user, practice: Practice) -> bool:
    """Whether `user` wrote the record: created it, or saved a version of it as a draft (a
    validator's corrections during the review do not count). Writers neither validate nor
    publish it."""
    if practice.created_by_id == user.id:
        return True
    return bool(db.session.scalar(select(exists().where(
        PracticeVersion.practice_id == practice.id, PracticeVersion.author_id == user.id,
        PracticeVersion.status == Status.DRAFT.value))))


def taken_up(practice: Practice) -> bool:
    """Whether a validator took the sent record up: saved a correction since it was sent
    (writers do not save a record under review, so such a version is a validator's)."""
    if practice.submitted_at is None:
        return False
    return bool(db.session.scalar(select(exists().where(
        PracticeVersion.practice_id == practice.id,
        PracticeVersion.status == Status.SUBMITTED.value,
        PracticeVersion.created_at >= practice.submitted_at))))


def _written_by_clause(user):
    """SQL condition on Practice: the records `user` wrote (see `wrote_practice`)."""
    drafted = select(PracticeVersion.practice_id).where(
        PracticeVersion.author_id == user.id, PracticeVersion.status == Status.DRAFT.value)
    return or_(Practice.created_by_id == user.id, Practice.id.in_(drafted))


def _is_writer(user, practice: Practice, space: Space) -> bool:
    return practice.created_by_id == user.id or _can_space(user, PARTICIPATE, space)


def may_write_practices(user, space: Space) -> bool:
    """Whether `user` may start records in `space` (ATS and Alleanza spaces, and thematic ones)."""
    return _can_space(user, PARTICIPATE, space)


def adopting_alleanza_ids(user, practice: Practice) -> list[int]:
    """The Alleanze `user` may record an adoption for: those whose space they take part in."""
    return sorted({tie.alleanza_id for tie in _ties(user).values()
                   if tie.kind == SpaceKind.ALLEANZA.value and tie.alleanza_id is not None
                   and tie.alleanza_id != practice.alleanza_id})


def can_practice(user, action: str, practice: Practice) -> bool:
    space = _space(practice)
    status = practice.status
    published = status in PUBLIC_STATUSES
    manages = _manages(user, space)
    if action == VIEW:
        if published:
            return practice.visibility != Visibility.SPACE.value or _can_space(user, VIEW, space)
        if user.is_admin or _is_writer(user, practice, space) or manages:
            return True
        return user.is_curator and status != Status.DRAFT.value
    if not can_practice(user, VIEW, practice):
        return False
    writer = _is_writer(user, practice, space) or manages
    validator = is_validator(user, practice)
    if action == EDIT_PRACTICE:
        if status in (Status.DRAFT.value, Status.PUBLISHED.value) and writer:
            return True
        return validator and status != Status.ARCHIVED.value
    if action == SUBMIT:
        return status == Status.DRAFT.value and writer
    if action == WITHDRAW_SUBMISSION:
        return status == Status.SUBMITTED.value and wrote_practice(user, practice) and \
            not taken_up(practice)
    if action == REVIEW:
        return status == Status.SUBMITTED.value and validator and not wrote_practice(
            user, practice)
    if action == PUBLISH:
        return status == Status.VALIDATED.value and (validator or manages) and \
            not wrote_practice(user, practice)
    if action == ARCHIVE:
        return published and (validator or manages)
    if action == DELETE_PRACTICE:
        return status == Status.DRAFT.value and (practice.created_by_id == user.id or manages)
    if action == ADOPT:
        return status == Status.PUBLISHED.value and bool(adopting_alleanza_ids(user, practice))
    if action == COMMENT:
        return published
    if action == HISTORY:
        return True
    return False




@once_per_request
def visible_practices_clause(user):
    """SQL condition on Practice: the records `user` may read (see the module's rules)."""
    if not _signed_in(user) or not user.is_active:
        return false()
    if user.is_admin:
        return true()
    in_visible_space = Practice.space_id.in_(select(Space.id).where(visible_spaces_clause(user)))
    published = and_(Practice.status.in_(PUBLIC_STATUSES),
                     or_(Practice.visibility != Visibility.SPACE.value, in_visible_space))
    taking_part = Practice.space_id.in_(
        select(Membership.space_id).where(Membership.user_id == user.id))
    managed = Practice.space_id.in_(select(Space.id).where(managed_spaces_clause(user)))
    writing = or_(Practice.created_by_id == user.id, taking_part, managed)
    if user.is_curator:
        writing = or_(writing, Practice.status != Status.DRAFT.value)
    return or_(published, writing)


def public_practices_clause():
    """SQL condition on Practice: what the public showcase shows to anybody."""
    return and_(Practice.status == Status.PUBLISHED.value,
                Practice.visibility == Visibility.PUBLIC.value)


def practices_to_review_clause(user):
    """SQL condition on Practice: the sent records `user` validates (not those they wrote)."""
    if not _signed_in(user) or not user.is_active:
        return false()
    waiting = and_(Practice.status == Status.SUBMITTED.value, not_(_written_by_clause(user)))
    if user.is_curator:
        return waiting
    ats_ids = coordinated_ats_ids(user)
    return and_(waiting, Practice.ats_id.in_(ats_ids)) if ats_ids else false()


@dataclass(frozen=True)
class Territory:
    """The ATS and Alleanze a writer may attribute a record to."""

    ats_ids: frozenset[int]
    alleanza_ids: frozenset[int]


def attributable_territory(user) -> Territory | None:
    """Where `user` may attribute a record: the ATS and Alleanze of the spaces they take part
    in, of the Alleanze they manage (an ATS referent: those of the ATS) and of their
    organisation; None for regional staff, who attribute anywhere."""
    if user.is_curator:
        return None
    space_ids = list(_ties(user))
    rows = db.session.execute(select(Space.ats_id, Space.alleanza_id).where(
        Space.id.in_(space_ids))).all() if space_ids else []
    alleanza_ids = {alleanza for _, alleanza in rows if alleanza}
    alleanza_ids.update(db.session.scalars(select(organisation_alleanze.c.alleanza_id).where(
        organisation_alleanze.c.organisation_id == user.organisation_id)))
    coordinated = coordinated_ats_ids(user)
    ats_ids = {ats for ats, _ in rows if ats} | coordinated
    if user.organisation.ats_id:
        ats_ids.add(user.organisation.ats_id)
    if coordinated or alleanza_ids:  # and the ATS of those Alleanze
        for alleanza_id, ats_id in db.session.execute(select(Alleanza.id, Alleanza.ats_id).where(
                or_(Alleanza.ats_id.in_(coordinated), Alleanza.id.in_(alleanza_ids)))):
            alleanza_ids.add(alleanza_id)
            ats_ids.add(ats_id)
    return Territory(frozenset(ats_ids), frozenset(alleanza_ids))


def attributable_organisations_clause(user, territory: Territory | None):
    """SQL condition on Organisation: the lead organisations `user` may name, given their
    `attributable_territory`: their own, and those of their ATS and Alleanze."""
    if territory is None:
        return true()
    members = select(organisation_alleanze.c.organisation_id).where(
        organisation_alleanze.c.alleanza_id.in_(territory.alleanza_ids))
    return or_(Organisation.id == user.organisation_id,
               Organisation.ats_id.in_(territory.ats_ids), Organisation.id.in_(members))
