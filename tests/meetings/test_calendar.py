"""Calendars: a meeting's .ics, the personal and space feeds behind secret URLs, the month
page with its subscription addresses; what each person's calendar may hold."""
from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta

from icalendar import Calendar
from sqlalchemy import select

from cop.auth.models import User
from cop.database import utcnow
from cop.extensions import db
from cop.meetings import calendar, services
from cop.meetings.calendar_views import month_meetings
from cop.meetings.models import AgendaItem, Meeting, MeetingFacilitator
from cop.meetings.times import local, to_utc
from cop.spaces.models import Space
from tests.meetings.helpers import Meetings

UTC = UTC


def soon(days: int, hour: int = 10) -> datetime:
    """`hour` o'clock in Rome, `days` from today."""
    return to_utc(local(utcnow()).date() + timedelta(days=days), time(hour))


def make(app, world, title, starts, slug=None, planner=None, invite_ids=()) -> int:
    return Meetings(app).make(slug or world.reserved.slug, planner or world.coordinator.id,
                              title=title, starts=starts, invite_ids=invite_ids)


def meeting_input(meeting: Meeting, **changes) -> services.MeetingInput:
    items = db.session.scalars(select(AgendaItem).where(AgendaItem.meeting_id == meeting.id)
                               .order_by(AgendaItem.position)).all()
    facilitators = db.session.scalars(select(MeetingFacilitator.user_id).where(
        MeetingFacilitator.meeting_id == meeting.id)).all()
    values = {name: getattr(meeting, name) for name in (
        "title", "kind", "mode", "starts_at", "ends_at", "place", "online_url", "description",
        "minute_taker_id")}
    values.update(changes)
    return services.MeetingInput(
        **values, facilitator_ids=list(facilitators),
        agenda=[services.AgendaRow(i.title, i.presenter, i.planned_minutes) for i in items])


def reschedule(app, meeting_id, actor_id, starts: datetime, **changes) -> None:
    with app.app_context():
        meeting = db.session.get(Meeting, meeting_id)
        services.update_meeting(meeting, db.session.get(User, actor_id), meeting_input(
            meeting, starts_at=starts, ends_at=starts + timedelta(hours=2), **changes))
        db.session.commit()


def cancel(app, meeting_id, actor_id, reason="") -> None:
    with app.app_context():
        services.cancel_meeting(db.session.get(Meeting, meeting_id),
                                db.session.get(User, actor_id), reason)
        db.session.commit()


def feed_path(app, user_id, slug=None) -> str:
    with app.test_request_context():
        user = db.session.get(User, user_id)
        if slug:
            space = db.session.scalar(select(Space).where(Space.slug == slug))
            url = calendar.space_feed_url(user, space)
        else:
            url = calendar.personal_feed_url(user)
    assert url.startswith("http://localhost/calendario/feed/")
    return url.removeprefix("http://localhost")


def events(response) -> dict:
    assert response.status_code == 200, response.status_code
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    parsed = Calendar.from_ical(response.data)
    assert str(parsed["version"]) == "2.0" and "prodid" in parsed and "x-wr-calname" in parsed
    return {str(e["summary"]): e for e in parsed.walk("VEVENT")}


# --- one meeting's .ics ----------------------------------------------------------------------

def test_a_meetings_ics_has_a_stable_uid_its_sequence_and_utc_times(app, world, client, new_client):
    mid = make(app, world, "Tavolo di coordinamento", to_utc(date(2026, 10, 25), time(10)))
    client.login(world.member.email)
    response = client.get(f"/incontri/{mid}/incontro.ics")
    assert f'filename="incontro-{mid}.ics"' in response.headers["Content-Disposition"]
    [event] = events(response).values()
    assert str(event["uid"]) == f"meeting-{mid}@cop"
    assert event["sequence"] == 0 and str(event["status"]) == "CONFIRMED"
    assert event.decoded("dtstart") == datetime(2026, 10, 25, 9, tzinfo=UTC)  # DST has ended
    assert event.decoded("dtend") == datetime(2026, 10, 25, 11, tzinfo=UTC)
    assert b"DTSTART:20261025T090000Z" in response.data
    assert str(event["location"]) == "Sala riunioni"
    assert str(event["url"]) == f"http://localhost/incontri/{mid}"
    assert f"http://localhost/incontri/{mid}" in str(event["description"])
    assert "Alleanza Bergamo 1" in str(event["description"])
    assert "organizer" not in event and "attendee" not in event  # only in invitation emails

    outsider = new_client()
    outsider.login(world.outsider.email)
    assert outsider.get(f"/incontri/{mid}/incontro.ics").status_code == 404
    assert outsider.get("/incontri/999999/incontro.ics").status_code == 404
    anonymous = new_client().get(f"/incontri/{mid}/incontro.ics")
    assert anonymous.status_code == 302 and "/accedi" in anonymous.headers["Location"]


def test_the_location_has_the_place_and_or_the_link_as_the_mode_says(app, world):
    mid = make(app, world, "Ibrido", soon(5))
    with app.app_context():
        meeting = db.session.get(Meeting, mid)
        meeting.mode, meeting.online_url = "ibrido", "https://meet.example.org/tavolo"
        assert calendar.location(meeting) == "Sala riunioni · https://meet.example.org/tavolo"
        meeting.mode = "online"
        assert calendar.location(meeting) == "https://meet.example.org/tavolo"
        meeting.mode = "presenza"
        assert calendar.location(meeting) == "Sala riunioni"
        db.session.rollback()


def test_a_change_raises_the_sequence_and_a_cancellation_stays_in_the_feed(app, world, client):
    mid = make(app, world, "Tavolo che cambia", soon(10))
    path = feed_path(app, world.member.id)
    first = events(client.get(path))["Tavolo che cambia"]
    assert first["sequence"] == 0 and first.decoded("dtstart") == soon(10)

    reschedule(app, mid, world.coordinator.id, soon(11, hour=15))
    changed = events(client.get(path))["Tavolo che cambia"]
    assert str(changed["uid"]) == str(first["uid"]) == f"meeting-{mid}@cop"
    assert changed["sequence"] == 1 and changed.decoded("dtstart") == soon(11, hour=15)

    with app.app_context():  # a change a calendar need not hear of keeps the sequence
        meeting = db.session.get(Meeting, mid)
        services.update_meeting(meeting, db.session.get(User, world.coordinator.id),
                                meeting_input(meeting, description="Solo la descrizione"))
        db.session.commit()
    assert events(client.get(path))["Tavolo che cambia"]["sequence"] == 1

    cancel(app, mid, world.coordinator.id, "Sala non disponibile")
    gone = events(client.get(path))["Tavolo che cambia"]
    assert str(gone["uid"]) == f"meeting-{mid}@cop"
    assert gone["sequence"] == 2 and str(gone["status"]) == "CANCELLED"
    client.login(world.member.email)
    single = events(client.get(f"/incontri/{mid}/incontro.ics"))["Tavolo che cambia"]
    assert single["sequence"] == 2 and str(single["status"]) == "CANCELLED"


# --- feeds -----------------------------------------------------------------------------------

def test_each_feed_holds_the_meetings_of_its_owners_own_calendar(app, world, client):
    reserved_a = make(app, world, "Riservato A", soon(3))
    make(app, world, "Riservato B", soon(4))
    make(app, world, "Regionale C", soon(5), slug=world.regional.slug)

    assert set(events(client.get(feed_path(app, world.outsider.id)))) == set()
    assert set(events(client.get(feed_path(app, world.member.id)))) == {"Riservato A",
                                                                         "Riservato B"}
    assert set(events(client.get(feed_path(app, world.coordinator.id)))) == {
        "Riservato A", "Riservato B", "Regionale C"}

    with app.app_context():
        services.invite(db.session.get(Meeting, reserved_a),
                        db.session.get(User, world.coordinator.id), user_ids=[world.outsider.id])
        db.session.commit()
    assert set(events(client.get(feed_path(app, world.outsider.id)))) == {"Riservato A"}


def test_a_space_feed_needs_an_owner_who_may_see_the_space(app, world, client, factory):
    make(app, world, "Riservato A", soon(3), invite_ids=[world.outsider.id])
    make(app, world, "Riservato B", soon(4))
    make(app, world, "Regionale C", soon(5), slug=world.regional.slug)
    other = factory.space(name="Spazio chiuso")
    make(app, world, "Chiuso D", soon(6), slug=other.slug, planner=world.admin.id)

    member_reserved = events(client.get(feed_path(app, world.member.id, world.reserved.slug)))
    assert set(member_reserved) == {"Riservato A", "Riservato B"}
    # The invited outsider sees meeting A but not the space: its feed does not exist for them.
    assert client.get(feed_path(app, world.outsider.id, world.reserved.slug)).status_code == 404
    assert client.get(feed_path(app, world.member.id, other.slug)).status_code == 404
    assert set(events(client.get(feed_path(app, world.outsider.id, world.regional.slug)))) == {
        "Regionale C"}
    assert set(events(client.get(feed_path(app, world.admin.id, other.slug)))) == {"Chiuso D"}
    assert client.get(feed_path(app, world.member.id, world.reserved.slug)
                      .replace(world.reserved.slug, "non-esiste")).status_code == 404


def test_wrong_reset_and_deactivated_keys_open_nothing(app, world, client, new_client, factory):
    make(app, world, "Riservato A", soon(3))
    path = feed_path(app, world.member.id)
    key = re.search(r"/feed/([^/]+)\.ics$", path).group(1)
    user_id, token = key.split("-", 1)
    assert len(token) == 32
    outsider_token = feed_path(app, world.outsider.id).split("-", 1)[1].removesuffix(".ics")
    for wrong in (f"{user_id}-{token[:-1]}0" if token[-1] != "0" else f"{user_id}-{token[:-1]}1",
                  f"{user_id}-", f"{user_id}{token}", f"x-{token}", f"{user_id}-{outsider_token}",
                  f"{world.outsider.id}-{token}", "999999-" + token):
        assert client.get(f"/calendario/feed/{wrong}.ics").status_code == 404, wrong
        assert client.get(f"/calendario/feed/{wrong}/spazi/{world.reserved.slug}.ics") \
            .status_code == 404, wrong

    member = new_client()
    member.login(world.member.email)
    page = member.get("/calendario/").get_data(as_text=True)
    assert f"http://localhost{path}" in page
    assert member.post("/calendario/nuovi-indirizzi", csrf=False).status_code == 400
    assert client.get(path).status_code == 200
    response = member.post("/calendario/nuovi-indirizzi")
    assert response.status_code == 302 and response.headers["Location"] == "/calendario/"
    page = member.get("/calendario/").get_data(as_text=True)
    assert "quelli di prima non funzionano più" in page
    assert client.get(path).status_code == 404
    new_path = feed_path(app, world.member.id)
    assert new_path != path and f"http://localhost{new_path}" in page
    assert set(events(client.get(new_path))) == {"Riservato A"}
    assert client.get(path.replace(".ics", f"/spazi/{world.reserved.slug}.ics")).status_code == 404

    with app.app_context():
        db.session.get(User, world.member.id).active = False
        db.session.commit()
    assert client.get(new_path).status_code == 404
    space_path = new_path.replace(".ics", f"/spazi/{world.reserved.slug}.ics")
    assert client.get(space_path).status_code == 404


def test_a_feed_holds_a_bounded_window_of_meetings(app, world, client):
    make(app, world, "Di un mese fa", soon(-30))
    make(app, world, "Di cento giorni fa", soon(-100))
    make(app, world, "Fra due anni", soon(800))
    make(app, world, "Fra un anno", soon(360))
    assert set(events(client.get(feed_path(app, world.member.id)))) == {"Di un mese fa",
                                                                         "Fra un anno"}
    with app.app_context():
        from cop import access

        member = db.session.get(User, world.member.id)
        few = calendar.feed_meetings(access.followed_meetings_clause(member), limit=1)
        assert [m.title for m in few] == ["Di un mese fa"]


# --- the calendar page -----------------------------------------------------------------------

def _cells(page: str) -> dict[str, str]:
    """The day cells of the month grid, by their full date."""
    cells = re.findall(r'<td class="cop-cal-day[^"]*"[^>]*>(.*?)</td>', page, re.S)
    return {re.search(r'<span class="cop-cal-date">([^<]+)</span>', c).group(1).strip(): c
            for c in cells}


def test_the_month_page_lists_each_days_meetings_at_rome_time(app, world, client):
    sunday = make(app, world, "Tavolo della domenica", to_utc(date(2026, 10, 25), time(10)))
    make(app, world, "Tavolo del sabato", to_utc(date(2026, 10, 24), time(10)))
    cancelled = make(app, world, "Tavolo annullato", to_utc(date(2026, 10, 24), time(15, 30)))
    make(app, world, "Tavolo di novembre", to_utc(date(2026, 11, 2), time(9)))
    cancel(app, cancelled, world.coordinator.id)
    client.login(world.member.email)
    page = client.get("/calendario/?mese=2026-10").get_data(as_text=True)
    assert '<caption class="cop-cal-caption">Ottobre 2026</caption>' in page
    assert page.count('<th scope="col">') == 7 and '<th scope="col">Lunedì</th>' in page
    cells = _cells(page)
    assert len(cells) == 31
    assert "Tavolo della domenica" in cells["Domenica 25 ottobre"]
    assert ">10:00</time>" in cells["Domenica 25 ottobre"]
    assert f'href="/incontri/{sunday}"' in cells["Domenica 25 ottobre"]
    saturday = cells["Sabato 24 ottobre"]
    assert ">10:00</time>" in saturday and ">15:30</time>" in saturday
    assert saturday.index("Tavolo del sabato") < saturday.index("Tavolo annullato")
    assert re.search(rf'<li class="cop-cal-cancelled">\s*<a href="/incontri/{cancelled}">.*?</a>\s*'
                     r'<span class="badge bg-danger">Annullato</span>', saturday, re.S)
    assert "Tavolo di novembre" not in page
    assert "3 incontri a ottobre 2026." in page
    assert 'href="/calendario/?mese=2026-09"' in page and 'href="/calendario/?mese=2026-11"' in page
    assert "Mese precedente: Settembre 2026" in page and "Mese successivo: Novembre 2026" in page

    english = client.post("/lingua", {"lang": "en", "next": "/calendario/?mese=2026-10"})
    assert english.status_code == 302
    page = client.get("/calendario/?mese=2026-10").get_data(as_text=True)
    assert "October 2026" in page and ">10:00</time>" in page


def test_an_unreadable_month_is_this_month_and_today_is_marked(app, world, client):
    client.login(world.member.email)
    today = local(utcnow()).date()
    page = client.get("/calendario/?mese=2026-13").get_data(as_text=True)
    assert f'href="/calendario/?mese={(today.replace(day=1) - timedelta(days=1)):%Y-%m}"' in page
    assert page.count('aria-current="date"') == 1
    assert "Questo mese" not in page  # already on it
    assert "Nessun incontro a" in page


def test_my_calendar_by_default_and_every_meeting_i_may_see_on_request(app, world, client,
                                                                      factory):
    make(app, world, "Riservato A", soon(1))
    make(app, world, "Regionale C", soon(1, hour=15), slug=world.regional.slug)
    other = factory.space(name="Spazio chiuso")
    factory.member(other, world.coordinator, "coordinatore")
    make(app, world, "Chiuso D", soon(1, hour=17), slug=other.slug)
    month = f"{local(soon(1)):%Y-%m}"

    client.login(world.member.email)
    mine = client.get(f"/calendario/?mese={month}").get_data(as_text=True)
    assert "Riservato A" in mine and "Regionale C" not in mine and "Chiuso D" not in mine
    everything = client.get(f"/calendario/?mese={month}&tutti=1").get_data(as_text=True)
    assert "Riservato A" in everything and "Regionale C" in everything
    assert "Chiuso D" not in everything
    assert f'href="/calendario/?mese={month}&amp;tutti=1" aria-current="page"' in everything

    client.logout()
    client.login(world.outsider.email)
    assert "Riservato A" not in client.get(f"/calendario/?mese={month}&tutti=1") \
        .get_data(as_text=True)


def test_the_page_gives_a_personal_address_and_one_per_space_of_mine(app, world, client):
    client.login(world.coordinator.email)
    page = client.get("/calendario/").get_data(as_text=True)
    personal = feed_path(app, world.coordinator.id)
    assert re.search(r'<label class="form-label cop-label" for="feed-personal">[^<]+</label>\s*'
                     r'<input [^>]*id="feed-personal" '
                     rf'value="http://localhost{re.escape(personal)}" readonly', page)
    for slug, name in ((world.reserved.slug, "Alleanza Bergamo 1"),
                       (world.regional.slug, "Smart working")):
        assert f'value="http://localhost{feed_path(app, world.coordinator.id, slug)}"' in page
        assert f"Incontri dello spazio «{name}»" in page
    assert page.count('class="form-control cop-cal-url"') == 3
    assert 'action="/calendario/nuovi-indirizzi"' in page and 'name="csrf_token"' in page


def _grow(app, world, factory, n: int, offset: int) -> None:
    extra = factory.space(name=f"Spazio in più {offset}", visibility="regionale")
    factory.member(extra, world.coordinator, "coordinatore")
    factory.member(extra, world.member)
    for i in range(n):
        slug = (world.reserved.slug, world.regional.slug, extra.slug)[i % 3]
        make(app, world, f"Incontro {offset}-{i}", soon(1 + i % 20, hour=9 + i % 8), slug=slug,
             invite_ids=[world.outsider.id] if i % 2 else ())
    mid = make(app, world, f"Annullato {offset}", soon(2))
    cancel(app, mid, world.coordinator.id)


def test_calendar_pages_and_feeds_run_a_constant_number_of_statements(app, world, client,
                                                                       factory, count_queries):
    month = f"{local(soon(1)):%Y-%m}"
    urls = [f"/calendario/?mese={month}", f"/calendario/?mese={month}&tutti=1"]
    feeds = [feed_path(app, world.member.id), feed_path(app, world.member.id, world.reserved.slug)]
    _grow(app, world, factory, 2, 1)
    first = make(app, world, "Primo", soon(1))
    client.login(world.member.email)

    def measure():
        counts = {}
        for url in urls + feeds + [f"/incontri/{first}/incontro.ics"]:
            with count_queries() as statements:
                response = client.get(url)
            assert response.status_code == 200, url
            counts[url] = len(statements)
        return counts

    small = measure()
    _grow(app, world, factory, 30, 2)
    large = measure()
    page = client.get(urls[1]).get_data(as_text=True)
    assert "Incontro 2-29" in page and "Annullato 2" in page
    assert large == small
    assert max(small.values()) <= 12, small


def test_month_meetings_counts_the_month_in_rome(app, world):
    make(app, world, "Ultima sera di ottobre", to_utc(date(2026, 10, 31), time(23, 30)))
    make(app, world, "Prima mattina di novembre", to_utc(date(2026, 11, 1), time(0, 30)))
    with app.app_context():
        clause = Meeting.space_id == world.reserved.id
        assert [m.title for m in month_meetings(clause, date(2026, 10, 1))] == [
            "Ultima sera di ottobre"]
        assert [m.title for m in month_meetings(clause, date(2026, 11, 1))] == [
            "Prima mattina di novembre"]
