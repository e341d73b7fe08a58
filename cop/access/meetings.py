"""Access rules for meetings: the meeting, its minutes, actions, feedback, calendar feeds.

Part of cop.access (see its docstring): `can(user, action, meeting)` and the SQL conditions
below say the same thing, so a page, a list, the calendar, a feed and an email agree.

- A meeting is seen by whoever sees its space, and by the people invited to it: somebody
  invited from outside a private space sees that meeting and nothing else of the space.
- The space's managers (coordinators, and the ATS referent for an Alleanza) and its
  facilitators plan meetings in it; they and the meeting's own facilitators run it: edit,
  invite, cancel, take the register, write the minutes, decisions and actions, send the
  minutes for review and approve them. The minute-taker writes the minutes and the register.
- Anybody invited answers the invitation; so does whoever may post in the space (its members,
  and everybody signed in for a regional space): their answer counts as registering.
- Participants are those marked present in the register, or, before it is taken, those who
  answered «partecipo». They read the minutes under review and approve or comment on them, and
  give feedback once the meeting has ended. Draft minutes are read only by those who write
  them; approved minutes by everybody who sees the meeting.
- Four eyes: the minutes are approved by somebody who runs the meeting and wrote none of them
  since the last approval (`MinutesAuthor`), never by the minute-taker; authors do not review
  them either. When nobody else may, the page says so: nobody approves their own minutes.
- Approved minutes are locked: a change is an amendment, in draft and review like the first
  minutes, read by those same people; everybody else who sees the meeting keeps reading the
  latest approved version (READ_APPROVED_MINUTES) until the amendment is approved.
- An action is part of the minutes: it is seen, wherever it is listed (the meeting page's
  open actions, the space home, «Le mie azioni», reminders, digests), by those who may read
  the minutes as they stand, and by its owner, where they may still see the meeting. It is
  updated by its owner and by those who write the minutes.
"""
from __future__ import annotations

from dataclasses import dataclass

from flask import g, has_request_context
from sqlalchemy import and_, false, or_, select, true

from cop.access.core import (
    POST,
    VIEW,
    _can_space,
    _manages,
    _signed_in,
    _ties,
    managed_spaces_clause,
    once_per_request,
    users_who_manage_space_clause,
    users_who_see_space_clause,
    visible_spaces_clause,
)
from cop.auth.models import User
from cop.database import utcnow
from cop.extensions import db
from cop.meetings.models import (
    Action,
    Answer,
    Attendance,
    Meeting,
    MeetingFacilitator,
    MeetingInvitation,
    MinutesAuthor,
    MinutesStatus,
    Presence,
)
from cop.spaces.models import Membership, Space, SpaceRole

PLAN_MEETING = "plan_meeting"  # in a space
RUN_MEETING = "run_meeting"  # edit, invite, cancel, approve the minutes, see the feedback
WRITE_MINUTES = "write_minutes"  # minutes, register, decisions, actions
ANSWER = "answer"
READ_MINUTES = "read_minutes"  # as they stand, an amendment under way included
READ_APPROVED_MINUTES = "read_approved_minutes"  # the latest approved version
REVIEW_MINUTES = "review_minutes"  # a participant approves or comments
APPROVE_MINUTES = "approve_minutes"  # publishes them: somebody who runs it and wrote none
GIVE_FEEDBACK = "give_feedback"
UPDATE_ACTION = "update_action"

__all__ = [
    "PLAN_MEETING", "RUN_MEETING", "WRITE_MINUTES", "ANSWER", "READ_MINUTES",
    "READ_APPROVED_MINUTES", "REVIEW_MINUTES", "APPROVE_MINUTES", "GIVE_FEEDBACK",
    "UPDATE_ACTION", "may_plan_meetings", "meeting_rules", "MeetingRules",
    "visible_meetings_clause", "readable_minutes_clause", "visible_actions_clause",
    "users_who_see_meeting_clause", "users_who_may_approve_minutes_clause",
    "followed_meetings_clause", "forget_meeting_rules",
]


def may_plan_meetings(user, space: Space) -> bool:
    if not _signed_in(user) or not user.is_active:
        return False
    tie = _ties(user).get(space.id)
    return _manages(user, space) or (tie is not None and tie.role == SpaceRole.FACILITATOR.value)


@dataclass(frozen=True)
class MeetingRules:
    """What one person may do with one meeting, worked out once per request."""

    sees: bool
    runs: bool
    writes_minutes: bool
    invited: bool
    may_take_part: bool
    participant: bool
    author: bool  # the minute-taker, or wrote the minutes since their last approval
    minutes_status: str
    published: bool  # approved at least once
    cancelled: bool
    answer: str | None = None  # the person's answer to their invitation

    def allows(self, action: str, ended: bool) -> bool:
        if not self.sees:
            return False
        if action == VIEW:
            return True
        if action == RUN_MEETING:
            return self.runs
        if action == WRITE_MINUTES:
            return self.writes_minutes and not self.cancelled
        if action == ANSWER:
            return not self.cancelled and not ended and (self.invited or self.may_take_part)
        if action == READ_MINUTES:
            if self.minutes_status == MinutesStatus.APPROVED.value:
                return True
            if self.minutes_status == MinutesStatus.REVIEW.value:
                return self.writes_minutes or self.participant
            return self.writes_minutes
        if action == READ_APPROVED_MINUTES:
            return self.published
        if action == REVIEW_MINUTES:
            return (self.minutes_status == MinutesStatus.REVIEW.value and self.participant
                    and not self.author)
        if action == APPROVE_MINUTES:
            return self.minutes_status == MinutesStatus.REVIEW.value and self.runs \
                and not self.author
        if action == GIVE_FEEDBACK:
            return ended and self.participant and not self.cancelled
        return False


def _cache() -> dict:
    return g.setdefault("_cop_meeting_rules", {}) if has_request_context() else {}


def forget_meeting_rules() -> None:
    """Call after a write within a request that will ask again (an answer, the register)."""
    if has_request_context():
        g.pop("_cop_meeting_rules", None)
        g.pop("_cop_clauses", None)  # some are built from invitations and facilitators


def meeting_rules(user, meeting: Meeting) -> MeetingRules:
    key = (user.id, meeting.id)
    cache = _cache()
    if key in cache:
        return cache[key]
    space = db.session.get(Space, meeting.space_id)
    answer = presence = None
    facilitates = select(MeetingFacilitator.id).where(
        MeetingFacilitator.meeting_id == meeting.id, MeetingFacilitator.user_id == user.id
    ).exists()
    wrote = select(MinutesAuthor.user_id).where(
        MinutesAuthor.meeting_id == meeting.id, MinutesAuthor.user_id == user.id).exists()
    row = db.session.execute(
        select(MeetingInvitation.answer, Attendance.presence, facilitates, wrote)
        .select_from(MeetingInvitation)
        .outerjoin(Attendance, and_(Attendance.meeting_id == meeting.id,
                                    Attendance.user_id == user.id))
        .where(MeetingInvitation.meeting_id == meeting.id, MeetingInvitation.user_id == user.id)
    ).first()
    invited = row is not None
    if row is not None:
        answer, presence, facilitator, wrote_minutes = row
    else:
        presence, facilitator, wrote_minutes = db.session.execute(select(
            select(Attendance.presence).where(Attendance.meeting_id == meeting.id,
                                              Attendance.user_id == user.id).scalar_subquery(),
            facilitates, wrote)).one()
    runs = user.is_admin or may_plan_meetings(user, space) or bool(facilitator)
    sees = invited or runs or _can_space(user, VIEW, space)
    if presence is not None:
        participant = presence == Presence.PRESENT.value
    else:
        participant = answer == Answer.YES.value
    rules = MeetingRules(
        sees=sees, runs=runs, writes_minutes=runs or meeting.minute_taker_id == user.id,
        invited=invited, may_take_part=_can_space(user, POST, space),
        participant=participant,
        author=bool(wrote_minutes) or meeting.minute_taker_id == user.id,
        minutes_status=meeting.minutes_status, published=meeting.minutes_published,
        cancelled=meeting.is_cancelled, answer=answer)
    cache[key] = rules
    return rules


def can_meeting(user, action: str, meeting: Meeting) -> bool:

    return meeting_rules(user, meeting).allows(action, meeting.has_ended(utcnow()))


def can_action(user, action: str, item: Action) -> bool:
    meeting = db.session.get(Meeting, item.meeting_id)
    rules = meeting_rules(user, meeting)
    if action == VIEW:
        return rules.sees and (item.owner_id == user.id or rules.allows(READ_MINUTES, False))
    if action == UPDATE_ACTION:
        return rules.sees and (item.owner_id == user.id or rules.writes_minutes)
    return False




def _invited_to(user):
    return select(MeetingInvitation.meeting_id).where(MeetingInvitation.user_id == user.id)


@once_per_request
def visible_meetings_clause(user):
    """SQL condition on Meeting: the meetings `user` may see."""
    if not _signed_in(user) or not user.is_active:
        return false()
    if user.is_admin:
        return true()
    return or_(Meeting.space_id.in_(select(Space.id).where(visible_spaces_clause(user))),
               Meeting.id.in_(_invited_to(user)), Meeting.id.in_(_facilitated_by(user)))


def _facilitated_by(user):
    return select(MeetingFacilitator.meeting_id).where(MeetingFacilitator.user_id == user.id)


def _runs_clause(user):
    """SQL condition on Meeting: `MeetingRules.runs` (for a signed-in active person)."""
    if user.is_admin:
        return true()
    space_facilitator = select(Membership.space_id).where(
        Membership.user_id == user.id, Membership.role == SpaceRole.FACILITATOR.value)
    return or_(Meeting.space_id.in_(select(Space.id).where(managed_spaces_clause(user))),
               Meeting.space_id.in_(space_facilitator), Meeting.id.in_(_facilitated_by(user)))


def _reads_minutes_clause(user):
    """SQL condition on Meeting, among those `user` sees: READ_MINUTES."""
    status = Meeting.minutes_status
    mine = select(Attendance.meeting_id).where(Attendance.user_id == user.id)
    participant = or_(
        Meeting.id.in_(mine.where(Attendance.presence == Presence.PRESENT.value)),
        and_(Meeting.id.not_in(mine), Meeting.id.in_(select(MeetingInvitation.meeting_id).where(
            MeetingInvitation.user_id == user.id,
            MeetingInvitation.answer == Answer.YES.value))))
    return or_(status == MinutesStatus.APPROVED.value, _runs_clause(user),
               Meeting.minute_taker_id == user.id,
               and_(status == MinutesStatus.REVIEW.value, participant))


@once_per_request
def readable_minutes_clause(user):
    """SQL condition on Meeting: the meetings whose minutes, as they stand, `user` may read
    (READ_MINUTES)."""
    if not _signed_in(user) or not user.is_active:
        return false()
    return and_(visible_meetings_clause(user), _reads_minutes_clause(user))


@once_per_request
def visible_actions_clause(user):
    """SQL condition on Action joined to its Meeting: the actions `user` may see in any list
    (VIEW on Action): those of minutes they may read, and their own."""
    if not _signed_in(user) or not user.is_active:
        return false()
    return and_(visible_meetings_clause(user),
                or_(Action.owner_id == user.id, _reads_minutes_clause(user)))


@once_per_request
def followed_meetings_clause(user):
    """SQL condition on Meeting: the meetings of a person's own calendar (their spaces', and
    those they are invited to), a subset of what they may see."""
    if not _signed_in(user) or not user.is_active:
        return false()
    member_of = list(_ties(user))
    return or_(Meeting.space_id.in_(member_of) if member_of else false(),
               Meeting.id.in_(_invited_to(user)))


def users_who_see_meeting_clause(meeting: Meeting):
    """SQL condition on User: who may see `meeting` (emails about it go to no one else)."""
    space = db.session.get(Space, meeting.space_id)
    invited = select(MeetingInvitation.user_id).where(MeetingInvitation.meeting_id == meeting.id)
    facilitators = select(MeetingFacilitator.user_id).where(
        MeetingFacilitator.meeting_id == meeting.id)
    return or_(users_who_see_space_clause(space),
               and_(User.active.is_(True), or_(User.id.in_(invited), User.id.in_(facilitators))))


def users_who_may_approve_minutes_clause(meeting: Meeting):
    """SQL condition on User: who may approve the minutes of `meeting` (APPROVE_MINUTES, in
    review): the active people who run it, less the minute-taker and the authors."""
    space = db.session.get(Space, meeting.space_id)
    space_facilitators = select(Membership.user_id).where(
        Membership.space_id == space.id, Membership.role == SpaceRole.FACILITATOR.value)
    facilitators = select(MeetingFacilitator.user_id).where(
        MeetingFacilitator.meeting_id == meeting.id)
    authors = select(MinutesAuthor.user_id).where(MinutesAuthor.meeting_id == meeting.id)
    runs = or_(users_who_manage_space_clause(space), User.id.in_(space_facilitators),
               User.id.in_(facilitators))
    return and_(User.active.is_(True), runs, User.id.not_in(authors),
                User.id != meeting.minute_taker_id if meeting.minute_taker_id else true())
