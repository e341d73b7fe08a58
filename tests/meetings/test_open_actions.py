"""Actions shown outside their own minutes (the meeting page's «open actions», the space home,
the meeting cards) follow the meetings' rule: the meeting may be opened and its minutes read,
or the action is the viewer's own. `can` and the SQL clauses agree."""
from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select

from cop import access
from cop.auth.models import User
from cop.extensions import db
from cop.meetings import services
from cop.meetings.models import Action, Meeting
from tests.meetings.helpers import Meetings


def _with_action(app, meeting_id, writer_id, title, owner_id, step=None, approver_id=None):
    """Adds an action to the minutes, then sends them for review ("review") or has
    `approver_id` approve them ("approved")."""
    with app.app_context():
        meeting = db.session.get(Meeting, meeting_id)
        writer = db.session.get(User, writer_id)
        services.add_action(meeting, writer, title, owner_id, date(2031, 1, 15))
        if step in ("review", "approved"):
            services.send_minutes_for_review(meeting, writer)
        if step == "approved":
            services.approve_minutes(meeting, db.session.get(User, approver_id))
        db.session.commit()


def _invite(app, meeting_id, planner_id, *user_ids):
    with app.app_context():
        services.invite(db.session.get(Meeting, meeting_id), db.session.get(User, planner_id),
                        user_ids=list(user_ids))
        db.session.commit()


def test_a_meeting_page_shows_no_actions_of_meetings_the_viewer_may_not_open_or_read(
        client, world, app):
    meetings = Meetings(app)
    other = meetings.past(world.reserved.slug, world.coordinator.id, title="Tavolo B riservato",
                          invite_members=True)
    _with_action(app, other, world.coordinator.id, "Azione riservata di B", world.member.id,
                 "review")
    this = meetings.make(world.reserved.slug, world.coordinator.id, title="Incontro A",
                         invite_ids=[world.outsider.id], hours=3,  # under way: minutes begun
                         starts=datetime.now(UTC).replace(microsecond=0)
                         - timedelta(hours=1))
    _with_action(app, this, world.coordinator.id, "Azione propria di A", world.coordinator.id,
                 "approved", world.referent.id)

    client.login(world.outsider.email)  # invited to A only
    page = client.get(f"/incontri/{this}").get_data(as_text=True)
    assert "Azione propria di A" in page  # A's own minutes, approved
    for leak in ("Azione riservata di B", "Tavolo B riservato", "Membro Alleanza",
                 "azioni ancora aperte"):
        assert leak not in page, leak

    _invite(app, other, world.coordinator.id, world.outsider.id)  # B may be opened now ...
    assert client.get(f"/incontri/{other}").status_code == 200
    page = client.get(f"/incontri/{this}").get_data(as_text=True)
    assert "Azione riservata di B" not in page  # ... but its minutes are under review

    with app.app_context():
        services.approve_minutes(db.session.get(Meeting, other),
                                 db.session.get(User, world.referent.id))
        db.session.commit()
    page = client.get(f"/incontri/{this}").get_data(as_text=True)
    assert "Azione riservata di B" in page and "Tavolo B riservato" in page
    assert "Membro Alleanza" in page


def test_members_see_open_actions_of_draft_minutes_only_if_their_own(
        client, world, app, factory):
    colleague = factory.user(name="Collega Curiosa")
    factory.member(world.reserved, colleague)
    meetings = Meetings(app)
    earlier = meetings.past(world.reserved.slug, world.coordinator.id, title="Tavolo di maggio")
    _with_action(app, earlier, world.coordinator.id, "Azione in bozza", world.member.id)
    this = meetings.make(world.reserved.slug, world.coordinator.id, title="Tavolo di giugno")

    client.login(colleague.email)  # sees both meetings; the minutes of May are a draft
    page = client.get(f"/incontri/{this}").get_data(as_text=True)
    assert "Azione in bozza" not in page and "Tavolo di maggio" not in page
    home = client.get(f"/spazi/{world.reserved.slug}/").get_data(as_text=True)
    assert "azione aperta" not in home
    listing = client.get(f"/spazi/{world.reserved.slug}/incontri/").get_data(as_text=True)
    assert "1 azione" not in listing  # the card counts the actions of approved minutes only
    client.logout()

    client.login(world.member.email)  # the owner is told of their own action
    page = client.get(f"/incontri/{this}").get_data(as_text=True)
    assert "Azione in bozza" in page
    assert "Azione in bozza" in client.get("/azioni/").get_data(as_text=True)
    client.logout()

    client.login(world.coordinator.email)  # who writes the minutes reads them
    page = client.get(f"/incontri/{this}").get_data(as_text=True)
    assert "Azione in bozza" in page
    assert "1 azione aperta" in client.get(f"/spazi/{world.reserved.slug}/").get_data(
        as_text=True)


def test_can_and_the_sql_clauses_say_the_same(world, app, factory):
    taker = factory.user(name="Verbalizzante")
    factory.member(world.reserved, taker)
    meetings = Meetings(app)
    ids = {}
    for step in ("draft", "review", "approved"):
        ids[step] = meetings.past(world.reserved.slug, world.coordinator.id, title=step,
                                  invite_ids=[world.member.id, world.outsider.id],
                                  minute_taker_id=taker.id)
        with app.app_context():
            services.answer(db.session.get(Meeting, ids[step]),
                            db.session.get(User, world.member.id), "si")
            db.session.commit()
        _with_action(app, ids[step], taker.id, f"Azione {step}", world.outsider.id, step,
                     world.coordinator.id)
    ids["regional"] = meetings.past(world.regional.slug, world.coordinator.id, title="regionale")
    _with_action(app, ids["regional"], world.coordinator.id, "Azione regionale", None)
    people = [world.admin, world.coordinator, world.member, world.outsider, world.referent, taker,
              factory.user(name="Chiunque")]
    with app.app_context():
        for ref in people:
            person = db.session.get(User, ref.id)
            readable = set(db.session.scalars(select(Meeting.id).where(
                access.readable_minutes_clause(person))))
            shown = set(db.session.scalars(select(Action.id).join(
                Meeting, Meeting.id == Action.meeting_id).where(
                access.visible_actions_clause(person))))
            for meeting in db.session.scalars(select(Meeting)):
                assert access.can(person, access.READ_MINUTES, meeting) == (
                    meeting.id in readable), (person.name, meeting.title)
            for action in db.session.scalars(select(Action)):
                assert access.can(person, access.VIEW, action) == (action.id in shown), (
                    person.name, action.title)
