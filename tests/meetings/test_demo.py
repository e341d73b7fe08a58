"""The demo meetings: past ones of every kind with approved minutes, decisions, actions and
feedback, one under review and one in draft, upcoming ones with invitations (from other ATS
too), a monthly series, an online and a cancelled meeting; counters that agree with the rows,
reminders to send, no email at seeding, and the demo sign-ins' pages."""
from __future__ import annotations

import html
from collections import Counter
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from cop.auth.models import User
from cop.database import utcnow
from cop.demo.services import DEMO_PASSWORD
from cop.extensions import db
from cop.meetings import notify
from cop.meetings.models import (
    Action,
    AgendaItem,
    Attendance,
    Decision,
    Feedback,
    Meeting,
    MeetingInvitation,
    MeetingSeries,
    MinutesReview,
    MinutesVersion,
)
from cop.meetings.times import local
from cop.spaces.models import Membership, Space

pytestmark = pytest.mark.demo  # seeded once per session (tests/conftest.py)

KINDS = {"comunita_pratica", "benchlearning", "plenaria", "tavolo_ats", "webinar",
         "visita_studio"}


def _user(email: str) -> User:
    return db.session.scalar(select(User).where(User.email == email))


def _count(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def _check_counters(meeting: Meeting) -> None:
    answers = Counter(db.session.scalars(select(MeetingInvitation.answer).where(
        MeetingInvitation.meeting_id == meeting.id)))
    assert meeting.invited_count == sum(answers.values())
    assert (meeting.yes_count, meeting.no_count, meeting.maybe_count) == (
        answers["si"], answers["no"], answers["forse"])
    assert meeting.present_count == _count(Attendance, Attendance.meeting_id == meeting.id,
                                           Attendance.presence == "presente")
    assert meeting.action_count == _count(Action, Action.meeting_id == meeting.id)
    marks = db.session.scalars(select(Feedback.usefulness).where(
        Feedback.meeting_id == meeting.id)).all()
    assert (meeting.feedback_count, meeting.feedback_total) == (len(marks), sum(marks))
    assert meeting.minutes_version_count == _count(MinutesVersion,
                                                   MinutesVersion.meeting_id == meeting.id)


def test_demo_meetings_past_and_upcoming_with_consistent_counters(app, smtp):
    assert smtp.messages == []  # the services queued invitations and minutes: all dropped
    with app.app_context():
        now = utcnow()
        today = local(now).date()
        meetings = db.session.scalars(select(Meeting)).all()
        spaces = {s.id: s for s in db.session.scalars(select(Space))}
        past = [m for m in meetings if m.ends_at <= now]
        upcoming = [m for m in meetings if m.ends_at > now]
        for meeting in meetings:
            _check_counters(meeting)
            assert meeting.created_at <= now and meeting.created_at < meeting.starts_at
            assert _count(AgendaItem, AgendaItem.meeting_id == meeting.id) >= 2

        # Past meetings of every kind, in ATS, Alleanza and a regional thematic space.
        assert {m.kind for m in past} == KINDS
        assert {spaces[m.space_id].kind for m in past} == {"ats", "alleanza", "tematico"}
        assert any(spaces[m.space_id].visibility == "regionale"
                   and spaces[m.space_id].kind == "tematico" for m in past)
        statuses = Counter(m.minutes_status for m in past)
        assert statuses["in_revisione"] == 1 and statuses["bozza"] == 1
        approved = [m for m in past if m.minutes_approved]
        assert len(approved) >= 6 and statuses["approvato"] == len(approved)
        for meeting in approved:
            assert meeting.present_count and meeting.action_count and meeting.feedback_count
            assert _count(Decision, Decision.meeting_id == meeting.id) >= 1
            assert _count(AgendaItem, AgendaItem.meeting_id == meeting.id,
                          AgendaItem.minutes_html != "") >= 2
            assert meeting.minutes_version_count == 2  # sent for review, then approved
            assert _count(MinutesReview, MinutesReview.meeting_id == meeting.id,
                          MinutesReview.approved.is_(True)) >= 1
            assert meeting.ends_at < meeting.minutes_approved_at <= now
        assert _count(MinutesReview, MinutesReview.approved.is_(False)) >= 2  # comments too
        reviewing = next(m for m in past if m.minutes_status == "in_revisione")
        assert _count(MinutesReview, MinutesReview.meeting_id == reviewing.id) >= 1

        # Actions: done, overdue, and open ones coming due in the next days.
        actions = db.session.scalars(select(Action)).all()
        open_ = [a for a in actions if a.is_open]
        assert any(a.status == "fatta" for a in actions)
        assert any(a.due_date < today for a in open_)
        assert any(today < a.due_date <= today + timedelta(days=3) for a in open_)
        reminded = {owner.email for owner, _ in notify.due_reminders(today)}
        assert {"referente.bergamo@cop.example", "capofila@cop.example",
                "membro@cop.example"} <= reminded

        # Upcoming: invitations with a mix of answers; a benchlearning lab across ATS.
        assert len(upcoming) >= 6 and all(m.invited_count for m in upcoming[:1])
        answers = Counter(db.session.scalars(select(MeetingInvitation.answer).where(
            MeetingInvitation.meeting_id.in_([m.id for m in upcoming]))))
        assert answers["si"] and answers["no"] and answers["forse"] and answers[None]
        lab = next(m for m in upcoming if m.kind == "benchlearning")
        guests = db.session.scalars(select(User).join(
            MeetingInvitation, MeetingInvitation.user_id == User.id).where(
            MeetingInvitation.meeting_id == lab.id, User.id.not_in(
                select(Membership.user_id).where(Membership.space_id == lab.space_id)))).all()
        lab_ats = spaces[lab.space_id].ats_id
        assert len({g.organisation.ats_id for g in guests} - {lab_ats}) >= 3
        online = [m for m in upcoming if m.mode == "online"]
        assert online and all(m.online_url.startswith("https://") for m in online)
        cancelled = [m for m in meetings if m.is_cancelled]
        assert len(cancelled) == 1 and cancelled[0].starts_at > now

        series = db.session.scalars(select(MeetingSeries)).one()
        assert series.frequency == "mensile" and len(series.agenda_template.splitlines()) >= 3
        occurrences = [m for m in meetings if m.series_id == series.id]
        assert len(occurrences) == series.occurrences
        assert any(m.ends_at <= now for m in occurrences) and any(
            m.starts_at > now for m in occurrences)

        # The demo sign-ins have meetings to answer and open actions.
        for email in ("referente.bergamo@cop.example", "capofila@cop.example",
                      "facilitatore@cop.example", "membro@cop.example"):
            person = _user(email)
            assert _count(Action, Action.owner_id == person.id,
                          Action.status.in_(["aperta", "in_corso"])), email
            assert _count(MeetingInvitation, MeetingInvitation.user_id == person.id,
                          MeetingInvitation.meeting_id.in_([m.id for m in upcoming])), email
        unanswered = db.session.scalars(select(User.email).join(
            MeetingInvitation, MeetingInvitation.user_id == User.id).where(
            MeetingInvitation.answer.is_(None),
            MeetingInvitation.meeting_id.in_([m.id for m in upcoming
                                              if not m.is_cancelled]))).all()
        assert {"referente.bergamo@cop.example", "membro@cop.example"} <= set(unanswered)


def test_demo_pages_for_the_demo_sign_ins(app, client):
    with app.app_context():
        now = utcnow()
        tavolo = db.session.scalar(select(Meeting).where(
            Meeting.kind == "tavolo_ats", Meeting.minutes_status == "approvato"))
        decision = db.session.scalars(select(Decision.text).where(
            Decision.meeting_id == tavolo.id)).first()
        tavolo_actions = db.session.scalars(select(Action.title).where(
            Action.meeting_id == tavolo.id)).all()
        reviewing = db.session.scalar(select(Meeting).where(
            Meeting.minutes_status == "in_revisione"))
        member = _user("membro@cop.example")
        my_open = db.session.scalars(select(Action.title).where(
            Action.owner_id == member.id, Action.status.in_(["aperta", "in_corso"]))).all()
        my_done = db.session.scalars(select(Action.title).where(
            Action.owner_id == member.id, Action.status == "fatta")).all()
        lab = db.session.scalar(select(Meeting).where(Meeting.kind == "benchlearning",
                                                      Meeting.starts_at > now))
        lab_month = local(lab.starts_at).strftime("%Y-%m")

    client.login("capofila@cop.example", DEMO_PASSWORD)
    page = html.unescape(client.get(f"/incontri/{tavolo.id}").get_data(as_text=True))
    assert tavolo.title in page and "Verbale approvato" in page and decision in page
    assert all(title in page for title in tavolo_actions)
    assert "Presente" in page and "Piano territoriale di conciliazione" in page
    page = html.unescape(client.get(f"/incontri/{reviewing.id}").get_data(as_text=True))
    assert "Il verbale è in revisione" in page and "1 approvazione e 1 commento" in page
    page = html.unescape(client.get("/spazi/alleanza-bergamo-1/incontri/").get_data(
        as_text=True))
    assert "Cabina di regia dell'Alleanza Bergamo 1" in page
    client.logout()

    client.login("membro@cop.example", DEMO_PASSWORD)
    page = html.unescape(client.get("/azioni/").get_data(as_text=True))
    assert my_open and all(title in page for title in my_open)
    assert not any(title in page for title in my_done) and "scaduta" in page
    page = html.unescape(client.get(f"/incontri/{lab.id}").get_data(as_text=True))
    assert lab.title in page and "Sei invitato: partecipi?" in page  # from another ATS
    if "meetings.calendar" in app.view_functions:
        page = html.unescape(client.get(f"/calendario/?mese={lab_month}").get_data(
            as_text=True))
        assert lab.title in page
