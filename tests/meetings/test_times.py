"""Meeting times across the changes of Europe/Rome: entered in local time, stored in UTC,
and written into calendars as the same instant."""
from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
from icalendar import Calendar
from sqlalchemy import select

from cop.auth.models import User
from cop.extensions import db
from cop.meetings import calendar, services
from cop.meetings.models import Meeting
from cop.meetings.times import NonexistentTime, local, to_utc
from cop.spaces.models import Space

UTC = UTC


def test_ten_o_clock_is_nine_utc_on_the_last_sunday_of_october_and_eight_the_day_before():
    assert to_utc(date(2026, 10, 25), time(10)) == datetime(2026, 10, 25, 9, tzinfo=UTC)
    assert to_utc(date(2026, 10, 24), time(10)) == datetime(2026, 10, 24, 8, tzinfo=UTC)
    assert local(datetime(2026, 10, 25, 9, tzinfo=UTC)).strftime("%H:%M %Z") == "10:00 CET"
    assert local(datetime(2026, 10, 24, 8, tzinfo=UTC)).strftime("%H:%M %Z") == "10:00 CEST"


def test_the_hour_skipped_in_march_is_refused_and_the_repeated_one_in_october_is_the_first():
    with pytest.raises(NonexistentTime):
        to_utc(date(2026, 3, 29), time(2, 30))
    assert to_utc(date(2026, 3, 29), time(3, 30)) == datetime(2026, 3, 29, 1, 30, tzinfo=UTC)
    assert to_utc(date(2026, 3, 29), time(1, 30)) == datetime(2026, 3, 29, 0, 30, tzinfo=UTC)
    # 02:30 happens twice on 25 October 2026: the first (still summer time) is meant.
    assert to_utc(date(2026, 10, 25), time(2, 30)) == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)


def _series(app, world, first_day: date, count: int) -> list[Meeting]:
    with app.app_context():
        space = db.session.scalar(select(Space).where(Space.slug == world.reserved.slug))
        planner = db.session.get(User, world.coordinator.id)
        starts = to_utc(first_day, time(10))
        data = services.MeetingInput(
            title="Tavolo settimanale", kind="comunita_pratica", mode="presenza",
            starts_at=starts, ends_at=starts + timedelta(hours=2), place="Sala riunioni")
        ids = [m.id for m in services.plan_series(space, planner, data, "settimanale", count)]
        db.session.commit()
    return ids


def test_a_weekly_series_across_the_october_change_stays_at_ten_local(app, world):
    ids = _series(app, world, date(2026, 10, 17), 3)
    with app.app_context():
        meetings = [db.session.get(Meeting, i) for i in ids]
        assert [m.starts_at for m in meetings] == [
            datetime(2026, 10, 17, 8, tzinfo=UTC), datetime(2026, 10, 24, 8, tzinfo=UTC),
            datetime(2026, 10, 31, 9, tzinfo=UTC)]
        assert [local(m.starts_at).strftime("%a %d %H:%M") for m in meetings] == [
            "Sat 17 10:00", "Sat 24 10:00", "Sat 31 10:00"]
        assert [local(m.ends_at).strftime("%H:%M") for m in meetings] == ["12:00"] * 3
        with app.test_request_context():
            ics = calendar.calendar_bytes(meetings)
    events = Calendar.from_ical(ics).walk("VEVENT")
    assert [e.decoded("dtstart") for e in events] == [m.starts_at for m in meetings]
    assert b"DTSTART:20261031T090000Z" in ics and b"DTSTART:20261024T080000Z" in ics


def test_a_weekly_series_across_the_march_change_stays_at_ten_local(app, world):
    ids = _series(app, world, date(2027, 3, 25), 2)  # clocks go forward on 28 March 2027
    with app.app_context():
        starts = [db.session.get(Meeting, i).starts_at for i in ids]
    assert starts == [datetime(2027, 3, 25, 9, tzinfo=UTC), datetime(2027, 4, 1, 8, tzinfo=UTC)]
