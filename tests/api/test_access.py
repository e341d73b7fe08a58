"""A token reads what its owner may read on the pages, never more: a reserved space's spaces,
meetings and practices never reach an outsider's token; what they may not see is 404."""
from __future__ import annotations

from cop.auth.models import User
from cop.extensions import db
from cop.meetings import services as meeting_services
from cop.meetings.models import Meeting
from tests.api.helpers import api, approve_minutes, make_token
from tests.meetings.helpers import Meetings
from tests.practices.helpers import Practices


def _reserved_meeting(app, world) -> int:
    meeting_id = Meetings(app).make(world.reserved.slug, world.coordinator.id,
                                    title="Tavolo riservato", invite_members=True)
    with app.app_context():
        meeting = db.session.get(Meeting, meeting_id)
        coordinator = db.session.get(User, world.coordinator.id)
        meeting_services.add_decision(meeting, coordinator, "Si approva il piano")
        meeting_services.add_action(meeting, coordinator, "Scrivere al Comune", world.member.id,
                                    None)
        db.session.commit()
    return meeting_id


def test_an_outsider_token_never_sees_a_reserved_space_or_its_content(app, world):
    meeting_id = _reserved_meeting(app, world)
    approve_minutes(app, meeting_id)
    secret_practice = Practices(app).make(world.reserved.slug, world.coordinator.id,
                                          title="Pratica dello spazio", visibility="spazio")
    outsider = make_token(app, world.outsider.id)

    spaces = api(app, "/api/v1/spaces?per_page=100", outsider).get_json()
    slugs = {s["slug"] for s in spaces["data"]}
    assert world.regional.slug in slugs and world.reserved.slug not in slugs

    meetings = api(app, "/api/v1/meetings?per_page=100", outsider).get_json()
    assert "Tavolo riservato" not in {m["title"] for m in meetings["data"]}
    practices = api(app, "/api/v1/practices?per_page=100", outsider).get_json()
    assert secret_practice not in {p["id"] for p in practices["data"]}

    for path in (f"/api/v1/spaces/{world.reserved.slug}", f"/api/v1/meetings/{meeting_id}",
                 f"/api/v1/practices/{secret_practice}",
                 f"/api/v1/dashboards/spaces/{world.reserved.slug}"):
        response = api(app, path, outsider)
        assert response.status_code == 404, path
        assert response.get_json()["error"]["code"] == "not_found"
        assert "Tavolo" not in response.get_data(as_text=True)
    # Not even as a filter: the space is as unknown as a missing one.
    assert api(app, f"/api/v1/meetings?space={world.reserved.slug}", outsider).get_json() == \
        api(app, "/api/v1/meetings?space=non-esiste", outsider).get_json()


def test_a_member_token_reads_the_meeting_with_its_decisions_and_actions(app, world):
    meeting_id = _reserved_meeting(app, world)
    member = make_token(app, world.member.id)
    draft = api(app, f"/api/v1/meetings/{meeting_id}", member).get_json()
    # Draft minutes are read by those who write them only, as on the page.
    assert draft["minutes_readable"] is False and draft["decisions"] == []
    assert draft["minutes_source"] == "none"
    assert [a["title"] for a in draft["actions"]] == ["Scrivere al Comune"]  # their own action
    approve_minutes(app, meeting_id)
    meeting = api(app, f"/api/v1/meetings/{meeting_id}", member).get_json()
    assert meeting["title"] == "Tavolo riservato"
    assert meeting["space"]["slug"] == world.reserved.slug
    assert [d["text"] for d in meeting["decisions"]] == ["Si approva il piano"]
    assert meeting["actions"][0]["owner"] == "Membro Alleanza"
    assert [i["title"] for i in meeting["agenda"]] == ["Punto 1", "Punto 2"]
    listed = api(app, f"/api/v1/meetings?space={world.reserved.slug}", member).get_json()
    assert [m["id"] for m in listed["data"]] == [meeting_id]
    assert listed["data"][0]["decisions"] == meeting["decisions"]


def test_the_coordinator_reads_draft_decisions_as_on_the_minutes_page(app, world):
    meeting_id = _reserved_meeting(app, world)
    coordinator = make_token(app, world.coordinator.id)
    meeting = api(app, f"/api/v1/meetings/{meeting_id}", coordinator).get_json()
    assert meeting["minutes_readable"] is True
    assert [d["text"] for d in meeting["decisions"]] == ["Si approva il piano"]


def test_practices_published_only_with_the_space_named_only_to_its_readers(app, world):
    practices = Practices(app)
    everyone = practices.make(world.reserved.slug, world.coordinator.id, title="Per tutti",
                              visibility="registrati")
    draft = practices.make(world.reserved.slug, world.coordinator.id, title="Bozza",
                           status="bozza", visibility="registrati")
    outsider = make_token(app, world.outsider.id)
    listed = api(app, "/api/v1/practices?per_page=100", outsider).get_json()["data"]
    record = next(p for p in listed if p["id"] == everyone)
    assert record["space"] is None  # the reserved space is not named to an outsider
    assert record["ats"]["code"] == "BG" and record["status"] == "pubblicata"
    assert draft not in {p["id"] for p in listed}
    assert api(app, f"/api/v1/practices/{draft}", outsider).status_code == 404
    member = make_token(app, world.member.id)
    full = api(app, f"/api/v1/practices/{everyone}", member).get_json()
    assert full["space"]["slug"] == world.reserved.slug
    assert full["partners"] == [{"name": "Partner 0", "role": ""}]
    # Its writers see the draft on the pages, but the API serves published records only.
    assert api(app, f"/api/v1/practices/{draft}", member).status_code == 404


def test_dashboards_as_on_the_pages(app, world):
    coordinator = make_token(app, world.coordinator.id)
    board = api(app, f"/api/v1/dashboards/spaces/{world.reserved.slug}", coordinator)
    assert board.status_code == 200
    figures = board.get_json()
    assert figures["scope"] == "space" and figures["space"]["slug"] == world.reserved.slug
    assert figures["participation"]["members"] == 2
    listed = api(app, "/api/v1/dashboards", coordinator).get_json()
    assert listed["region"] is None
    assert world.reserved.slug in {d["space"]["slug"] for d in listed["data"]}
    region = api(app, "/api/v1/dashboards/region", coordinator)
    assert region.status_code == 403 and region.get_json()["error"]["code"] == "forbidden"
    member = make_token(app, world.member.id)
    assert api(app, f"/api/v1/dashboards/spaces/{world.reserved.slug}", member).status_code \
        == 403  # sees the space, does not run it
    admin = make_token(app, world.admin.id)
    region = api(app, "/api/v1/dashboards/region", admin).get_json()
    assert region["scope"] == "region" and region["participation"]["members"] >= 5


def test_while_an_amendment_is_drafted_readers_get_the_approved_version(app, world):
    import json

    from cop.database import utcnow
    from cop.meetings.models import MinutesVersion

    meeting_id = _reserved_meeting(app, world)
    with app.app_context():
        meeting = db.session.get(Meeting, meeting_id)
        db.session.add(MinutesVersion(
            meeting_id=meeting_id, number=1, status="approvato", author_id=world.coordinator.id,
            data=json.dumps({"decisions": [{"text": "Si approva il piano", "item": "Punto 1"}],
                             "actions": [{"title": "Scrivere al Comune",
                                          "owner": "Membro Alleanza", "status": "aperta",
                                          "due": ""}]})))
        meeting.minutes_version_count = 1
        meeting.minutes_approved_at = utcnow()  # approved once; now amended, in draft
        meeting.minutes_status = "bozza"
        meeting_services.add_decision(meeting, db.session.get(User, world.coordinator.id),
                                      "Correzione in bozza")
        db.session.commit()
    member = api(app, f"/api/v1/meetings/{meeting_id}", make_token(app, world.member.id))
    body = member.get_json()
    assert body["minutes_source"] == "approved_version" and body["minutes_version"] == 1
    assert [d["text"] for d in body["decisions"]] == ["Si approva il piano"]
    assert body["decisions"][0]["agenda_item"] == "Punto 1"
    assert [a["title"] for a in body["actions"]] == ["Scrivere al Comune"]
    writer = api(app, f"/api/v1/meetings/{meeting_id}",
                 make_token(app, world.coordinator.id)).get_json()
    assert writer["minutes_source"] == "current"
    assert [d["text"] for d in writer["decisions"]] == ["Si approva il piano",
                                                        "Correzione in bozza"]
