"""How the meetings routes answer each kind of person (merged into tests/core/test_route_access.py).

GET_ROUTES / POST_ROUTES: endpoint -> class, as in that file. route_args() returns URL
arguments that exist: an upcoming meeting of the `world` fixture's reserved space, with the
members invited, draft minutes, a decision and an action owned by the member, in a series.
"""
from __future__ import annotations

from cop.auth.models import User
from cop.extensions import db
from cop.meetings import services
from cop.meetings.models import Meeting, MeetingGuest
from cop.meetings.series import start_series
from tests.meetings.helpers import Meetings

LOGIN = "login"  # as in tests/core/test_route_access.py: a redirect to the sign-in page

GET_ROUTES: dict = {
    "meetings.space_meetings": "member",
    "meetings.new": "coordinator",
    "meetings.show": "member",
    "meetings.meeting_ics": "member",
    "meetings.edit": "coordinator",
    "meetings.invite": "coordinator",
    "meetings.attendance": "coordinator",
    "meetings.minutes": "coordinator",
    "meetings.materials": "coordinator",
    "meetings.feedback": "coordinator",  # before the end: only those who run it, for the summary
    "meetings.versions": "coordinator",  # draft minutes: only their writers
    "meetings.printable": "coordinator",
    "meetings.version": (LOGIN, 404, 403, 404, 404),  # no version before the review
    "meetings.series_page": "member",  # whoever sees the space
    "meetings.series_print": "member",
    "meetings.series_decisions": "member",
    "meetings.series_actions": "member",
    "meetings.choose_series": "coordinator",  # those who run the meeting
    "meetings.my_actions": "signed_in",
    "meetings.calendar": "signed_in",
    "feeds.personal": (404, 404, 404, 404, 404),  # with a key that is not valid
    "feeds.space": (404, 404, 404, 404, 404),
    "feeds.guest_answer": (404, 404, 404, 404, 404),  # a guest's link that is not valid
}
POST_ROUTES: dict = {
    **{name: "coordinator" for name in (
        "meetings.cancel", "meetings.uninvite", "meetings.uninvite_guest", "meetings.add_decision",
        "meetings.remove_decision", "meetings.add_action", "meetings.remove_action",
        "meetings.send_for_review", "meetings.back_to_draft", "meetings.approve")},
    "meetings.answer": "member",
    "meetings.update_action": "member",  # its owner (the member) and those who run the meeting
    "meetings.review": "member",  # participants only: refused to the others below the member line
    "meetings.remove_material": "coordinator",
    "meetings.reset_calendar_key": "signed_in",
}


def route_args(app, world, factory) -> dict:
    meeting_id = Meetings(app).make(world.reserved.slug, world.coordinator.id,
                                    invite_members=True)
    with app.app_context():
        meeting = db.session.get(Meeting, meeting_id)
        coordinator = db.session.get(User, world.coordinator.id)
        action = services.add_action(meeting, coordinator, "Scrivere al Comune",
                                     world.member.id, None)
        decision = services.add_decision(meeting, coordinator, "Una decisione")
        series = start_series(meeting, coordinator, "Tavolo di coordinamento")
        guest = MeetingGuest(meeting_id=meeting_id, email="ospite@esempio.it",
                             token_hash="1" * 64, invited_by_id=coordinator.id)
        db.session.add(guest)
        db.session.commit()
        return {"meeting_id": meeting_id, "action_id": action.id, "decision_id": decision.id,
                "number": 1, "guest_id": guest.id, "series_id": series.id}
