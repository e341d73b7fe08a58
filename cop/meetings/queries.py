"""Reads of the meeting pages: each a bounded number of statements, whatever the size."""
from __future__ import annotations

import functools
from collections import Counter
from datetime import datetime

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import joinedload, selectinload

from cop import access
from cop.auth.models import SiteRole, User
from cop.extensions import db
from cop.files.models import Attachment
from cop.meetings.models import (
    ITEM_OWNER_TYPE,
    OPEN_ACTION_STATUSES,
    OWNER_TYPE,
    Action,
    Attendance,
    Decision,
    Feedback,
    Meeting,
    MeetingFacilitator,
    MeetingGuest,
    MeetingInvitation,
    MinutesReview,
    MinutesStatus,
    MinutesVersion,
)
from cop.spaces.models import Membership, Space

PAST_PAGE = 20


@functools.cache
def meeting_page() -> tuple:
    """What a meeting's page shows beside it (loader options for `access.get_or_404`)."""
    return (joinedload(Meeting.space), selectinload(Meeting.items),
            selectinload(Meeting.facilitators).joinedload(MeetingFacilitator.user),
            joinedload(Meeting.minute_taker))


def meeting_for_page(meeting_id: int) -> Meeting | None:
    return db.session.scalar(
        select(Meeting).where(Meeting.id == meeting_id).options(*meeting_page()))


def _cards():
    return (joinedload(Meeting.space),)


def space_meetings(user, space_id: int, now: datetime, past_limit: int = PAST_PAGE):
    """Upcoming meetings of a space (soonest first) and the latest past ones."""
    base = select(Meeting).where(Meeting.space_id == space_id,
                                 access.visible_meetings_clause(user)).options(*_cards())
    upcoming = db.session.scalars(base.where(Meeting.ends_at > now)
                                  .order_by(Meeting.starts_at).limit(50)).all()
    past = db.session.scalars(base.where(Meeting.ends_at <= now)
                              .order_by(Meeting.starts_at.desc()).limit(past_limit)).all()
    return upcoming, past


def invitations(meeting_id: int) -> list[MeetingInvitation]:
    return list(db.session.scalars(
        select(MeetingInvitation).where(MeetingInvitation.meeting_id == meeting_id)
        .options(joinedload(MeetingInvitation.user))
        .join(User, User.id == MeetingInvitation.user_id).order_by(User.name)))


def guests(meeting_id: int) -> list[MeetingGuest]:
    """The guests invited by email (people without an account), by address."""
    return list(db.session.scalars(
        select(MeetingGuest).where(MeetingGuest.meeting_id == meeting_id)
        .order_by(MeetingGuest.email)))


@functools.cache
def _register():
    """Built once: the register of a big plenary has 150 rows; each shows the person's name
    (the organisation is the row's own, as it was on the day)."""
    return (select(Attendance).where(Attendance.meeting_id == bindparam("meeting_id"))
            .options(joinedload(Attendance.user).load_only(User.id, User.name)
                     .lazyload(User.organisation))
            .join(User, User.id == Attendance.user_id).order_by(User.name))


def attendance(meeting_id: int) -> list[Attendance]:
    return list(db.session.scalars(_register(), {"meeting_id": meeting_id}))


def guest_attendance(meeting_id: int) -> list[MeetingGuest]:
    """The guests' rows of the register (their presence recorded), by the name shown."""
    return sorted(db.session.scalars(select(MeetingGuest).where(
        MeetingGuest.meeting_id == meeting_id, MeetingGuest.presence.is_not(None))),
        key=lambda guest: guest.shown_name.lower())


def decisions(meeting_id: int) -> list[Decision]:
    return list(db.session.scalars(select(Decision).where(Decision.meeting_id == meeting_id)
                                   .order_by(Decision.id)))


def actions(meeting_id: int) -> list[Action]:
    return list(db.session.scalars(select(Action).where(Action.meeting_id == meeting_id)
                                   .options(joinedload(Action.owner)).order_by(Action.id)))


def open_space_actions(user, meeting: Meeting, limit: int = 50) -> list[Action]:
    """The space's open actions from earlier meetings that `user` may see: the top of the
    next agenda."""
    return list(db.session.scalars(
        select(Action).join(Meeting, Meeting.id == Action.meeting_id)
        .where(Action.space_id == meeting.space_id, Action.status.in_(OPEN_ACTION_STATUSES),
               Meeting.starts_at < meeting.starts_at, access.visible_actions_clause(user))
        .options(joinedload(Action.owner), joinedload(Action.meeting))
        .order_by(Action.due_date.is_(None), Action.due_date, Action.id).limit(limit)))


def my_actions(user, include_closed: bool = False, limit: int = 200) -> list[Action]:
    """A person's actions across spaces, where they may still see the meeting."""
    query = (select(Action).join(Meeting, Meeting.id == Action.meeting_id)
             .where(Action.owner_id == user.id, access.visible_actions_clause(user))
             .options(joinedload(Action.meeting).joinedload(Meeting.space)))
    if not include_closed:
        query = query.where(Action.status.in_(OPEN_ACTION_STATUSES))
    return list(db.session.scalars(
        query.order_by(Action.due_date.is_(None), Action.due_date, Action.id).limit(limit)))


def reviews(meeting_id: int) -> list[MinutesReview]:
    return list(db.session.scalars(select(MinutesReview).where(
        MinutesReview.meeting_id == meeting_id).options(joinedload(MinutesReview.user))
        .order_by(MinutesReview.created_at)))


def my_review(meeting_id: int, user_id: int) -> MinutesReview | None:
    return db.session.scalar(select(MinutesReview).where(
        MinutesReview.meeting_id == meeting_id, MinutesReview.user_id == user_id))


def versions(meeting_id: int, up_to: int | None = None) -> list[MinutesVersion]:
    """The steps of the minutes, the latest first (up to number `up_to`, if given)."""
    query = select(MinutesVersion).where(MinutesVersion.meeting_id == meeting_id)
    if up_to is not None:
        query = query.where(MinutesVersion.number <= up_to)
    return list(db.session.scalars(query.options(joinedload(MinutesVersion.author))
                                   .order_by(MinutesVersion.number.desc())))


def approved_version(meeting_id: int) -> MinutesVersion | None:
    """The latest approved version: what readers see while an amendment is under way."""
    return db.session.scalar(select(MinutesVersion).where(
        MinutesVersion.meeting_id == meeting_id,
        MinutesVersion.status == MinutesStatus.APPROVED.value)
        .order_by(MinutesVersion.number.desc()).limit(1))


def approvers(meeting: Meeting, limit: int = 10) -> list[User]:
    """Who may approve the minutes of `meeting` (the admins last)."""
    return list(db.session.scalars(
        select(User).where(access.users_who_may_approve_minutes_clause(meeting))
        .order_by(User.site_role == SiteRole.ADMIN.value, User.name).limit(limit)))


def version(meeting_id: int, number: int) -> MinutesVersion | None:
    return db.session.scalar(select(MinutesVersion).where(
        MinutesVersion.meeting_id == meeting_id, MinutesVersion.number == number)
        .options(joinedload(MinutesVersion.author)))


def materials(meeting: Meeting) -> tuple[list[Attachment], dict[int, list[Attachment]]]:
    """The meeting's files, and each agenda item's, in one statement."""
    item_ids = [item.id for item in meeting.items]
    clause = (Attachment.owner_type == OWNER_TYPE) & (Attachment.owner_id == meeting.id)
    if item_ids:
        clause = clause | ((Attachment.owner_type == ITEM_OWNER_TYPE)
                           & Attachment.owner_id.in_(item_ids))
    rows = db.session.scalars(select(Attachment).where(clause).order_by(Attachment.id)).all()
    by_item: dict[int, list[Attachment]] = {i: [] for i in item_ids}
    own = []
    for row in rows:
        (own if row.owner_type == OWNER_TYPE else by_item[row.owner_id]).append(row)
    return own, by_item


def my_feedback(meeting_id: int, user_id: int) -> Feedback | None:
    return db.session.scalar(select(Feedback).where(Feedback.meeting_id == meeting_id,
                                                    Feedback.user_id == user_id))


def feedback_summary(meeting_id: int) -> dict:
    """How many gave each mark, and what people said they will apply (for the facilitator)."""
    marks = Counter(dict(db.session.execute(
        select(Feedback.usefulness, func.count()).where(Feedback.meeting_id == meeting_id)
        .group_by(Feedback.usefulness)).all()))
    notes = db.session.scalars(select(Feedback.will_apply).where(
        Feedback.meeting_id == meeting_id, Feedback.will_apply != "")
        .order_by(Feedback.created_at)).all()
    return {"marks": [(mark, marks.get(mark, 0)) for mark in range(1, 6)], "notes": list(notes),
            "count": sum(marks.values())}


def people_for_forms(space: Space, meeting: Meeting | None = None) -> list[User]:
    """Who may be facilitator, minute-taker or owner of an action: the space's members and
    the people invited to the meeting."""
    ids = select(Membership.user_id).where(Membership.space_id == space.id)
    clause = User.id.in_(ids)
    if meeting is not None:
        clause = clause | User.id.in_(select(MeetingInvitation.user_id).where(
            MeetingInvitation.meeting_id == meeting.id)) | User.id.in_(
            select(MeetingFacilitator.user_id).where(MeetingFacilitator.meeting_id == meeting.id))
    return list(db.session.scalars(select(User).where(clause, User.active.is_(True))
                                   .order_by(User.name).limit(500)))


def space_members(space: Space, meeting: Meeting | None = None, limit: int = 500) -> list[User]:
    """The space's active members (and the meeting's facilitators, so none is dropped
    unseen), by name: whom to choose facilitators or invite among."""
    clause = User.id.in_(select(Membership.user_id).where(Membership.space_id == space.id))
    if meeting is not None:
        clause = clause | User.id.in_(select(MeetingFacilitator.user_id).where(
            MeetingFacilitator.meeting_id == meeting.id))
    return list(db.session.scalars(select(User).where(clause, User.active.is_(True))
                                   .order_by(User.name).limit(limit)))


def space_members_to_invite(meeting: Meeting) -> list[User]:
    """The space's active members not yet invited to `meeting`, by name."""
    invited = select(MeetingInvitation.user_id).where(MeetingInvitation.meeting_id == meeting.id)
    return list(db.session.scalars(select(User).where(
        User.id.in_(select(Membership.user_id).where(Membership.space_id == meeting.space_id)),
        User.id.not_in(invited), User.active.is_(True)).order_by(User.name)))


def register_people(meeting: Meeting) -> list[tuple[User, Attendance | None, str | None]]:
    """The register's rows: the space's members, everybody invited and everybody already
    recorded, with the row and the invitation answer."""
    invited = dict(db.session.execute(select(MeetingInvitation.user_id, MeetingInvitation.answer)
                                      .where(MeetingInvitation.meeting_id == meeting.id)).all())
    rows = {a.user_id: a for a in db.session.scalars(
        select(Attendance).where(Attendance.meeting_id == meeting.id))}

    members = select(Membership.user_id).where(Membership.space_id == meeting.space_id)
    people = db.session.scalars(select(User).where(
        User.id.in_(set(invited) | set(rows)) | (User.id.in_(members) & User.active.is_(True)))
        .order_by(User.name))
    return [(p, rows.get(p.id), invited.get(p.id)) for p in people]
