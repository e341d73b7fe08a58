"""Every figure of the dashboard on a hand-built space where the right answer is known
(tests/dashboard/data.py tells the story of the data)."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import insert

from cop.auth.models import User
from cop.dashboard import metrics, queries, snapshot
from cop.dashboard.metrics import Scope
from cop.extensions import db
from cop.network.models import organisation_alleanze
from cop.spaces.models import Space
from cop.stories.models import ValueStory
from tests.dashboard import data
from tests.dashboard.data import NOW, ago


@pytest.fixture
def known(app, factory, world):
    return data.build(factory, world)


def _scope(space_id):
    return Scope.of(db.session.get(Space, space_id))


def test_participation_levels_and_shares(app, known):
    with app.app_context():
        p = metrics.participation(_scope(known.space.id), NOW)
    assert p.members == 6
    assert p.levels == {"core": 1, "attivo": 1, "occasionale": 1, "periferico": 3}
    assert p.contributors == 3
    assert p.monthly_active == 4  # A, B and C contributed, E read a thread
    assert p.new_contributors == 1  # C's first contribution is 10 days old
    assert p.share(p.monthly_active) == pytest.approx(4 / 6)


def test_median_time_to_first_reply_counts_only_other_people(app, known):
    with app.app_context():
        median, threads = metrics.median_hours_to_first_reply(_scope(known.space.id), NOW)
    assert threads == 3  # T1, T2, T3; T0 is older than 90 days, its reply is its author's
    assert median == pytest.approx(10, abs=0.01)


def test_median_of_an_even_number_is_the_mean_of_the_middle_two(app, known, factory, world):
    with app.app_context():
        # a fourth thread answered by B after 50 hours: the middle two are 10 h and 30 h
        data.thread(known.space.id, known.people.a.id, ago(5), "T7",
                    replies=[(known.people.b.id, ago(5, 50))])
        db.session.commit()
        median, threads = metrics.median_hours_to_first_reply(_scope(known.space.id), NOW)
    assert (median, threads) == (pytest.approx(20, abs=0.01), 4)


def test_unanswered_threads_skip_young_ones_and_notices(app, known):
    with app.app_context():
        count, rows = metrics.unanswered_threads(_scope(known.space.id), NOW)
    assert count == 1
    assert [r.title for r in rows] == ["T4 senza risposta"]


def test_meeting_attendance_rate(app, known):
    with app.app_context():
        attendance = metrics.meeting_attendance(_scope(known.space.id), NOW)
    assert (attendance.meetings, attendance.registered, attendance.present) == (2, 5, 1)
    assert attendance.rate == pytest.approx(0.2)


def test_trend_and_early_warning(app, known):
    with app.app_context():
        trend = metrics.trend(_scope(known.space.id), NOW)
    assert trend.last_30 == 10
    assert trend.previous_average == pytest.approx(8 / 3)
    assert not trend.falling


def test_falling_activity_is_flagged_below_half_the_previous_average(app, factory, world):
    space = factory.space(name="Spazio che cala", visibility="regionale")
    person = factory.user(name="Persona Costante")
    factory.member(space, person)
    with app.app_context():
        # 12 contributions between 31 and 120 days ago: an average of 4 per 30 days
        data.thread(space.id, person.id, ago(119), "Vecchia", replies=[
            (person.id, ago(119 - 8 * k)) for k in range(1, 12)])
        db.session.commit()
        scope = _scope(space.id)
        assert metrics.trend(scope, NOW).falling  # nothing in the last 30 days
        assert [r.slug for r in queries.falling_spaces(NOW)] == [space.slug]
        data.thread(space.id, person.id, ago(3), "Nuova", replies=[(person.id, ago(2))])
        db.session.commit()
        trend = metrics.trend(scope, NOW)
        assert (trend.last_30, trend.previous_average) == (2, 4)
        assert not trend.falling  # 2 is half of 4, not below it
        assert queries.falling_spaces(NOW) == []
        board = queries.build(scope, NOW)
    assert [w.kind for w in board.warnings] == []


def test_warnings_name_what_to_do(app, known):
    with app.app_context():
        board = queries.build(_scope(known.space.id), NOW + timedelta(days=45))
    # 45 days later: nothing new in the last 30 days, and T4, T5 wait for a reply
    kinds = {w.kind: w.actions for w in board.warnings}
    assert kinds == {"falling": ("meeting", "question", "trainer"),
                     "unanswered": ("reply", "question")}
    assert board.unanswered_count == 2


def test_activity_by_month_adds_up(app, known):
    with app.app_context():
        months = metrics.activity_by_month(_scope(known.space.id), NOW)
    assert len(months) == 12 and months[-1][0] == metrics.month_index(NOW)
    assert sum(sum(k.values()) for _, k in months) == 12 + 4 + 1 + 2
    june = dict(months)[metrics.month_index(NOW)]
    # June: A opened T3 and T5 and replied 3 times, B replied in T3, C came to M1
    assert june == {"thread": 2, "reply": 4, "meeting": 1}


def test_cohorts_by_month_of_joining(app, known):
    with app.app_context():
        cohorts = {c.month: c for c in metrics.cohorts(_scope(known.space.id), NOW)}
    march, may, june = (metrics.month_index(NOW) - 3, metrics.month_index(NOW) - 1,
                        metrics.month_index(NOW))
    assert len(cohorts) == 6
    assert (cohorts[march].joined, cohorts[march].retained) == (2, [0, 2, 2])
    assert (cohorts[may].joined, cohorts[may].retained) == (2, [1, None, None])
    assert (cohorts[june].joined, cohorts[june].retained) == (0, [None, None, None])


def test_coverage_of_ats_and_alleanze_this_quarter(app, known, factory):
    alleanza = factory.alleanza("BG", 1)
    with app.app_context():
        scope = _scope(known.space.id)
        before = metrics.coverage(scope, NOW)
        db.session.execute(insert(organisation_alleanze).values(
            organisation_id=known.organisation_of_a, alleanza_id=alleanza.id))
        db.session.commit()
        after = metrics.coverage(scope, NOW)
    assert [(r.name, r.people, r.active_alleanze, r.alleanze) for r in before.ats] == [
        ("Bergamo", 3, 0, 1)]
    assert [q.name for q in before.quiet_alleanze] == [alleanza.name]
    assert [(r.people, r.active_alleanze) for r in after.ats] == [(3, 1)]
    assert after.quiet_alleanze == []
    assert after.quarter_start.month == 4 and after.quarter_start.day == 1


def test_stories_by_cycle(app, known, world):
    with app.app_context():
        for cycle, title in (("applicato", "Orari nuovi"), ("applicato", "Sportello serale"),
                             ("immediato", "Un contatto utile")):
            db.session.add(ValueStory(space_id=known.space.id, author_id=known.people.a.id,
                                      cycle=cycle, title=title, body="", body_html=""))
        db.session.commit()
        scope = _scope(known.space.id)
        coordinator = db.session.get(User, world.coordinator.id)
        assert metrics.stories_by_cycle(scope, coordinator) == {"applicato": 2, "immediato": 1}
        assert len(metrics.latest_stories(scope, coordinator)) == 3


def test_stories_about_a_hidden_thread_are_left_out_for_a_facilitator(app, known, factory,
                                                                       world):
    facilitator = factory.user(name="Facilitatrice")
    factory.member(world.reserved, facilitator, "facilitatore")
    with app.app_context():
        hidden, _ = data.thread(known.space.id, known.people.a.id, ago(3), "Nascosta")
        hidden.hidden = True
        db.session.add(ValueStory(space_id=known.space.id, author_id=known.people.a.id,
                                  cycle="applicato", title="Sulla discussione nascosta",
                                  subject_type="thread", subject_id=hidden.id))
        db.session.commit()
        scope = _scope(known.space.id)
        reader = db.session.get(User, facilitator.id)
        manager = db.session.get(User, world.coordinator.id)
        assert metrics.stories_by_cycle(scope, reader) == {}
        assert metrics.latest_stories(scope, reader) == []
        assert metrics.stories_by_cycle(scope, manager) == {"applicato": 1}


def test_peripheral_members_longest_standing_first(app, known, world):
    with app.app_context():
        count, rows = metrics.peripheral_members(_scope(known.space.id), NOW)
    assert count == 3
    assert {r.id for r in rows} == {world.coordinator.id, world.member.id, known.people.e.id}
    assert rows[-1].id == known.people.e.id  # joined in May, after the other two


def test_regional_scope_counts_every_space_and_person(app, known, factory):
    other = factory.space(name="Altro spazio", visibility="regionale")
    outsider = factory.user(name="Altra Persona")
    with app.app_context():
        data.thread(other.id, outsider.id, ago(1), "Altrove")
        db.session.commit()
        p = metrics.participation(Scope(), NOW)
        region_trend = metrics.trend(Scope(), NOW)
    assert p.levels["occasionale"] == 2  # C and the person who wrote elsewhere
    assert region_trend.last_30 == 11


def test_stored_figures_are_the_computed_ones_and_stay_until_refreshed(app, known):
    """What the page reads is what `build` computed, through JSON and back; a write does not
    change them until the next refresh (flask cop refresh-figures)."""
    from cop import figure_store

    with app.app_context():
        scope = _scope(known.space.id)
        built = queries.build(scope, NOW)
        figure_store.refresh(queries.key(scope), lambda now: snapshot.encode(built))
        db.session.commit()
        first = queries.stored(scope)
        data.thread(known.space.id, known.people.a.id, ago(1), "Nuova")
        db.session.commit()
        assert queries.stored(scope) == first  # no computation at the read
        figure_store.refresh(queries.key(scope), lambda now: snapshot.encode(
            queries.build(scope, NOW + timedelta(minutes=6))))
        db.session.commit()
        later = queries.stored(scope)
    assert snapshot.encode(first) == snapshot.encode(built)
    assert first.unanswered == [tuple(row) for row in built.unanswered]
    assert first.coverage.ats == [tuple(row) for row in built.coverage.ats]
    assert later.now > first.now and later.trend.last_30 == first.trend.last_30 + 1


def test_a_fall_from_almost_nothing_is_no_warning(app, factory, world):
    space = factory.space(name="Spazio quasi fermo", visibility="regionale")
    person = factory.user(name="Persona Rara")
    factory.member(space, person)
    with app.app_context():
        # 1 contribution 60 days ago (an average of 0.3), none since: noise, not a fall
        data.thread(space.id, person.id, ago(60), "Una sola")
        db.session.commit()
        trend = metrics.trend(_scope(space.id), NOW)
        assert (trend.last_30, round(trend.previous_average * 3)) == (0, 1)
        assert not trend.falling
        assert queries.falling_spaces(NOW) == []
        # 5 in the 90 days is still below the baseline; 6 is a fall worth a warning
        data.thread(space.id, person.id, ago(70), "Altre", replies=[
            (person.id, ago(70 - k)) for k in range(1, 4)])
        db.session.commit()
        assert not metrics.trend(_scope(space.id), NOW).falling
        data.thread(space.id, person.id, ago(80), "Ancora")
        db.session.commit()
        assert metrics.trend(_scope(space.id), NOW).falling
        assert [r.slug for r in queries.falling_spaces(NOW)] == [space.slug]


def test_the_region_gets_warnings_without_actions(app, known):
    with app.app_context():
        board = queries.build(Scope(), NOW + timedelta(days=45))
    assert board.warnings and all(w.actions == () for w in board.warnings)


def test_regional_cohorts_count_people_from_when_they_joined_a_space(app, factory, world):
    space = factory.space(name="Spazio delle coorti", visibility="regionale")
    person = factory.user(name="Persona Seminata")
    factory.member(space, person)
    with app.app_context():
        from cop.spaces.models import Membership

        db.session.query(User).update({User.created_at: NOW})  # every account made by a seeder
        db.session.query(Membership).filter_by(user_id=person.id).update(
            {Membership.created_at: ago(70)})
        db.session.commit()
        cohorts = {c.month: c.joined for c in metrics.cohorts(Scope(), NOW)}
    assert cohorts[metrics.month_index(ago(70))] == 1
