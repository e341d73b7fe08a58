"""`python -m bench.scale` writes meetings: 200 per factor with agenda, invitations, register,
minutes, decisions, actions, reviews, versions and feedback, counters that agree with the rows,
minutes as the app renders and snapshots them; the big meeting and busiest month the
benchmark asks for; the benchmark's pages working for its member; the app writing after."""
from __future__ import annotations

import html
import importlib.util
import json
import re
from collections import Counter, defaultdict
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bench.scale.__main__ import main as seed_scale_main
from bench.scale.meetings import BIG_ACTIONS, BIG_ITEMS, PER_FACTOR
from cop.auth.models import User
from cop.database import utcnow
from cop.extensions import db
from cop.markdown import render_markdown
from cop.meetings import services
from cop.meetings.models import (
    Action,
    AgendaItem,
    Attendance,
    Decision,
    Feedback,
    Meeting,
    MeetingFacilitator,
    MeetingInvitation,
    MeetingSeries,
    MinutesReview,
    MinutesVersion,
)
from cop.meetings.times import local

FACTOR = 0.1
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def seeded(app, tmp_path, capsys):
    path = tmp_path / "facts.json"
    status = seed_scale_main([
        "--factor", str(FACTOR), "--long-thread-replies", "20", "--facts", str(path)], app=app)
    output = capsys.readouterr()
    assert status == 0, output.out + output.err
    assert "incontri:" in output.out
    return json.loads(path.read_text())


def _by_meeting(model, *columns):
    rows = defaultdict(list)
    for row in db.session.execute(select(model.meeting_id, *columns)):
        rows[row[0]].append(row[1:] if len(row) > 2 else row[1])
    return rows


def test_meetings_with_their_rows_and_counters_that_agree(app, seeded):
    with app.app_context():
        now = utcnow()
        meetings = db.session.scalars(select(Meeting)).all()
        assert len(meetings) == round(PER_FACTOR * FACTOR) == seeded["meeting_count"]
        assert seeded["counts"]["meetings"] == len(meetings)
        answers = _by_meeting(MeetingInvitation, MeetingInvitation.answer)
        register = _by_meeting(Attendance, Attendance.presence)
        actions = _by_meeting(Action, Action.id)
        marks = _by_meeting(Feedback, Feedback.usefulness)
        versions = _by_meeting(MinutesVersion, MinutesVersion.number, MinutesVersion.status)
        reviews = _by_meeting(MinutesReview, MinutesReview.user_id)
        items = _by_meeting(AgendaItem, AgendaItem.id)
        facilitators = _by_meeting(MeetingFacilitator, MeetingFacilitator.user_id)
        for m in meetings:
            counted = Counter(answers[m.id])
            assert m.invited_count == len(answers[m.id]) > 0
            assert (m.yes_count, m.no_count, m.maybe_count) == (
                counted["si"], counted["no"], counted["forse"])
            assert m.present_count == register[m.id].count("presente")
            assert m.action_count == len(actions[m.id])
            assert (m.feedback_count, m.feedback_total) == (len(marks[m.id]), sum(marks[m.id]))
            assert m.minutes_version_count == len(versions[m.id])
            assert len(items[m.id]) >= 3 and m.created_by_id in facilitators[m.id]
            assert m.created_at < m.starts_at < m.ends_at and m.updated_at <= now
            if m.ends_at > now or m.is_cancelled:  # nothing happened yet
                assert not register[m.id] and not actions[m.id]
                assert m.minutes_status == "bozza"
            expected = {"bozza": [], "in_revisione": [(1, "in_revisione")],
                        "approvato": [(1, "in_revisione"), (2, "approvato")]}
            assert sorted(versions[m.id]) == expected[m.minutes_status]
            assert (m.minutes_approved_at is not None) == m.minutes_approved
            if reviews[m.id]:
                assert m.minutes_status != "bozza"
        future = [m for m in meetings if m.starts_at > now]
        assert future and any(m.invited_count for m in future)
        approved = [m for m in meetings if m.minutes_approved]
        assert approved and any(m.action_count for m in approved)
        assert any(m.feedback_count for m in approved)
        assert any(m.mode == "online" and m.online_url for m in meetings)
        series = db.session.scalars(select(MeetingSeries)).all()
        assert series
        for s in series:
            occurrences = [m for m in meetings if m.series_id == s.id]
            assert len(occurrences) == s.occurrences and s.frequency == "mensile"
            assert all(m.space_id == s.space_id for m in occurrences)
            assert len(s.agenda_template.splitlines()) >= 3


def test_minutes_decisions_and_actions_as_the_app_leaves_them(app, seeded):
    with app.app_context():
        today = local(utcnow()).date()
        meeting_of_item = dict(db.session.execute(
            select(AgendaItem.id, AgendaItem.meeting_id)).all())
        for item in db.session.scalars(select(AgendaItem).where(AgendaItem.minutes != "")):
            assert item.minutes_html == render_markdown(item.minutes)
        for decision in db.session.scalars(select(Decision)):
            assert decision.agenda_item_id is None or \
                meeting_of_item[decision.agenda_item_id] == decision.meeting_id
        space_of = dict(db.session.execute(select(Meeting.id, Meeting.space_id)).all())
        present = {(a.meeting_id, a.user_id) for a in db.session.scalars(
            select(Attendance).where(Attendance.presence == "presente"))}
        actions = db.session.scalars(select(Action)).all()
        assert {a.status for a in actions} >= {"aperta", "fatta"}
        for action in actions:
            assert action.space_id == space_of[action.meeting_id]
            assert (action.meeting_id, action.owner_id) in present
            assert action.agenda_item_id is None or \
                meeting_of_item[action.agenda_item_id] == action.meeting_id
        assert any(a.is_open and a.due_date < today for a in actions)
        for version in db.session.scalars(select(MinutesVersion)):
            meeting = db.session.get(Meeting, version.meeting_id)
            data, now = json.loads(version.data), services.snapshot_data(meeting)
            for snapshot in (data, now):
                snapshot["attendance"].sort(key=lambda r: (r["name"], r["organisation"],
                                                           r["presence"]))
            assert data == now


def test_the_big_meeting_and_the_benchmark_pages(app, seeded, client):
    with app.app_context():
        member = db.session.scalar(select(User).where(User.email == seeded["member_email"]))
        big = db.session.get(Meeting, seeded["meeting_id"])
        assert big.action_count == BIG_ACTIONS and big.minutes_approved
        assert db.session.scalar(select(func.count()).select_from(AgendaItem).where(
            AgendaItem.meeting_id == big.id)) == BIG_ITEMS
        assert db.session.scalar(select(Attendance.presence).where(
            Attendance.meeting_id == big.id, Attendance.user_id == member.id)) == "presente"
        mine = db.session.scalars(select(Action.title).where(
            Action.owner_id == member.id, Action.status.in_(["aperta", "in_corso"]))
            .order_by(Action.due_date)).all()
        assert len(mine) >= 4
        decision = db.session.scalars(select(Decision.text).where(
            Decision.meeting_id == big.id)).first()
        month = seeded["calendar_month"]
        months = Counter(local(m.starts_at).strftime("%Y-%m")
                         for m in db.session.scalars(select(Meeting)))
        assert months[month] >= 1
        big_month = local(big.starts_at).strftime("%Y-%m")
        title = big.title

    client.login(seeded["member_email"], seeded["password"])
    page = html.unescape(client.get(f"/incontri/{seeded['meeting_id']}").get_data(as_text=True))
    assert title in page and decision in page and "Verbale approvato" in page
    page = html.unescape(client.get("/azioni/").get_data(as_text=True))
    assert all(t in page for t in mine[:10])
    page = client.get(f"/calendario/?tutti=1&mese={month}").get_data(as_text=True)
    assert re.search(r"\d+ incontr[io] a ", page)
    page = html.unescape(client.get(f"/calendario/?tutti=1&mese={big_month}").get_data(
        as_text=True))
    assert title in page

    spec = importlib.util.spec_from_file_location("bench_run", ROOT / "bench" / "run.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    assert set(bench.REQUIRED_FACTS) <= set(seeded)
    paths = [path for _name, path, _kind in bench.pages(seeded)]
    assert f"/incontri/{seeded['meeting_id']}" in paths and "/azioni/" in paths
    for path in paths:
        assert client.get(path).status_code == 200, path


def test_the_app_writes_meetings_after_seeding(app, seeded):
    """Ids continue after the seeded ones (PostgreSQL sequences reset) and counters follow."""
    with app.app_context():
        big = db.session.get(Meeting, seeded["meeting_id"])
        owner = db.session.scalar(select(User).where(User.email == seeded["member_email"]))
        before = big.action_count
        action = services.add_action(big, owner, "Una nuova azione", owner.id, None)
        decision = services.add_decision(big, owner, "Una nuova decisione")
        services.give_feedback(big, owner, 5, "")
        db.session.commit()
        assert action.id > seeded["counts"]["meeting_actions"]
        assert decision.id > seeded["counts"]["meeting_decisions"]
        assert big.action_count == before + 1
        assert big.feedback_total == db.session.scalar(
            select(func.sum(Feedback.usefulness)).where(Feedback.meeting_id == big.id))
