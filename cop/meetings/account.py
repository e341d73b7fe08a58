"""A person's meetings in their data export, and what deleting their account changes here:
their answers, register rows, reviews and feedback go, and the meetings' counters follow."""
from __future__ import annotations

from sqlalchemy import delete, select

from cop import access
from cop.extensions import db
from cop.meetings import services
from cop.meetings.models import (
    Action,
    Attendance,
    Feedback,
    Meeting,
    MeetingInvitation,
    MinutesAuthor,
    MinutesReview,
)


def _when(value) -> str | None:
    return value.isoformat() if value else None


def export(user) -> dict:
    """The section «meetings»: only meetings the person may still see; their own answers,
    presence, actions, feedback."""
    visible = select(Meeting.id).where(access.visible_meetings_clause(user))
    invitations = db.session.execute(
        select(Meeting.title, Meeting.starts_at, MeetingInvitation.answer)
        .join(Meeting, Meeting.id == MeetingInvitation.meeting_id)
        .where(MeetingInvitation.user_id == user.id, Meeting.id.in_(visible))
        .order_by(Meeting.starts_at)).all()
    presence = db.session.execute(
        select(Meeting.title, Meeting.starts_at, Attendance.presence, Attendance.organisation_name)
        .join(Meeting, Meeting.id == Attendance.meeting_id)
        .where(Attendance.user_id == user.id, Meeting.id.in_(visible))
        .order_by(Meeting.starts_at)).all()
    actions = db.session.execute(
        select(Action.title, Action.status, Action.due_date, Meeting.title)
        .join(Meeting, Meeting.id == Action.meeting_id)
        .where(Action.owner_id == user.id, Meeting.id.in_(visible)).order_by(Action.id)).all()
    feedback = db.session.execute(
        select(Meeting.title, Feedback.usefulness, Feedback.will_apply)
        .join(Meeting, Meeting.id == Feedback.meeting_id)
        .where(Feedback.user_id == user.id, Meeting.id.in_(visible))).all()
    return {"meetings": {
        "invitations": [{"meeting": t, "starts_at": _when(s), "answer": a}
                        for t, s, a in invitations],
        "attendance": [{"meeting": t, "starts_at": _when(s), "presence": p, "organisation": o}
                       for t, s, p, o in presence],
        "actions": [{"title": t, "status": st, "due_date": _when(d), "meeting": m}
                    for t, st, d, m in actions],
        "feedback": [{"meeting": t, "usefulness": u, "will_apply": w} for t, u, w in feedback],
    }}


def before_deletion(user) -> None:
    touched = set(db.session.scalars(select(MeetingInvitation.meeting_id).where(
        MeetingInvitation.user_id == user.id))) | set(db.session.scalars(
            select(Attendance.meeting_id).where(Attendance.user_id == user.id))) | set(
        db.session.scalars(select(Feedback.meeting_id).where(Feedback.user_id == user.id)))
    for model in (MeetingInvitation, Attendance, MinutesReview, MinutesAuthor, Feedback):
        db.session.execute(delete(model).where(model.user_id == user.id))
    for meeting in db.session.scalars(select(Meeting).where(Meeting.id.in_(touched))):
        services.recount(meeting)
