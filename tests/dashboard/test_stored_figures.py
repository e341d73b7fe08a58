"""Issue 20: the dashboards' and the skills map's figures are computed outside requests by
`flask cop refresh-figures`, stored in `figure_snapshots` and read by the pages in a few
statements however old they are; the pages say when they were computed; a fresh install's
first page computes them once."""
from __future__ import annotations

import csv
import io
import logging
import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from cop.dashboard import queries
from cop.dashboard.metrics import Scope
from cop.database import utcnow
from cop.extensions import db
from cop.figure_store import FigureSnapshot
from cop.ops.models import JobRun
from cop.spaces.models import Space
from tests.dashboard import data


def _refresh(app):
    result = app.test_cli_runner().invoke(args=["cop", "refresh-figures"])
    assert result.exit_code == 0, result.output
    return result.output


def _stored_keys(app) -> set[str]:
    with app.app_context():
        return set(db.session.scalars(select(FigureSnapshot.key)))


def _figure(csv_text: str, name: str) -> str:
    rows = csv.reader(io.StringIO(csv_text.lstrip("\ufeff")), delimiter=";")
    return {row[1]: row[2] for row in rows}[name]


def _computed_at(page: str) -> str:
    return re.search(r"Calcolato il ([^;]+);", page).group(1)


def _local(app, moment) -> str:
    with app.test_request_context():
        return app.jinja_env.filters["local_datetime"](moment)


def test_the_command_stores_every_dashboard_and_the_map_and_records_its_run(app, world):
    output = _refresh(app)
    with app.app_context():
        spaces = set(db.session.scalars(select(Space.id)))
        run = db.session.get(JobRun, "refresh-figures")
        from cop.health import checks

        ready = checks.jobs_last_success().detail
    assert _stored_keys(app) == ({"dashboard.v1:region", "skills_map.v1:everybody"}
                                 | {f"dashboard.v1:space-{n}" for n in spaces})
    assert f"Cifre aggiornate: {len(spaces) + 2}." in output
    assert run.last_success_at is not None and run.last_failure_at is None
    assert ready["refresh-figures"] == run.last_success_at.isoformat()  # /health/ready


def test_the_page_shows_what_the_command_stored_until_the_next_run(app, client, factory, world):
    data.build(factory, world, now=utcnow())
    _refresh(app)
    with app.app_context():
        board = queries.stored(Scope())
    client.login(world.admin.email)
    page = client.get("/cruscotto/").get_data(as_text=True)
    assert _computed_at(page) == _local(app, board.now)  # «Calcolato il …» is when it was
    figures = client.get("/cruscotto.csv").get_data(as_text=True)
    last_30 = int(_figure(figures, "Contributi negli ultimi 30 giorni"))
    assert last_30 == board.trend.last_30 > 0
    assert int(_figure(figures, "Membri")) == board.participation.members

    with app.app_context():
        data.thread(world.regional.id, world.member.id, utcnow() - timedelta(hours=1), "Dopo")
        db.session.commit()
    again = client.get("/cruscotto.csv").get_data(as_text=True)
    assert int(_figure(again, "Contributi negli ultimi 30 giorni")) == last_30  # not computed
    _refresh(app)
    later = client.get("/cruscotto.csv").get_data(as_text=True)
    assert int(_figure(later, "Contributi negli ultimi 30 giorni")) == last_30 + 1


def test_pages_run_the_same_few_statements_however_old_the_figures(
        app, client, new_client, factory, world, count_queries, clock):
    data.build(factory, world, now=utcnow())
    _refresh(app)
    coordinator, admin, member = client, new_client(), new_client()
    coordinator.login(world.coordinator.email)
    admin.login(world.admin.email)
    member.login(world.member.email)
    pages = [(coordinator, f"/spazi/{world.reserved.slug}/cruscotto"), (admin, "/cruscotto/"),
             (admin, "/cruscotto.csv"), (member, "/rubrica/mappa")]
    for reader, url in pages:
        assert reader.get(url).status_code == 200  # the session's first page loads more
    fresh, shown = [], []
    for reader, url in pages:
        with count_queries() as statements:
            page = reader.get(url)
        assert page.status_code == 200
        fresh.append(len(statements))
        shown.append(page.get_data(as_text=True))
    clock.travel(utcnow() + timedelta(hours=3))  # the timer stopped: the figures are old
    for (reader, url), count, before in zip(pages, fresh, shown, strict=True):
        with count_queries() as statements:
            page = reader.get(url)
        assert len(statements) == count, url
        if url.endswith("cruscotto") or url.endswith("/"):
            assert _computed_at(page.get_data(as_text=True)) == _computed_at(before)
    assert fresh[0] <= 10 and fresh[1] <= 10, fresh  # with the computation it was 18 and more


def test_a_fresh_install_computes_the_first_page_once(app, client, world, caplog):
    assert _stored_keys(app) == set()
    client.login(world.admin.email)
    with caplog.at_level(logging.WARNING, logger="cop.figure_store"):
        page = client.get("/cruscotto/")
    assert page.status_code == 200
    assert "Calcolato il" in page.get_data(as_text=True)
    assert "figures dashboard.v1:region: none stored yet" in caplog.text
    client.logout()
    client.login(world.member.email)
    page = client.get("/rubrica/mappa")
    assert page.status_code == 200 and "Aggiornato il" in page.get_data(as_text=True)


@pytest.mark.commits
def test_a_fresh_install_stores_what_its_first_page_computed(app, client, world, caplog):
    """For real commits: the first page's figures are stored on a connection of their own
    (inside one test transaction they would go with the request's savepoint)."""
    client.login(world.admin.email)
    with caplog.at_level(logging.WARNING, logger="cop.figure_store"):
        first = _computed_at(client.get("/cruscotto/").get_data(as_text=True))
        second = _computed_at(client.get("/cruscotto/").get_data(as_text=True))
    assert first == second
    assert caplog.text.count("none stored yet") == 1  # computed once
    assert "dashboard.v1:region" in _stored_keys(app)


def test_stored_figures_are_read_by_the_same_people_as_before(app, client, world):
    _refresh(app)
    space = f"/spazi/{world.reserved.slug}/cruscotto"
    client.login(world.member.email)
    assert [client.get(url).status_code for url in
            ("/cruscotto/", "/cruscotto.csv", space, space + ".csv")] == [403, 403, 403, 403]
    client.logout()
    client.login(world.coordinator.email)
    assert client.get("/cruscotto/").status_code == 403  # the region's is for admins only
    assert client.get("/cruscotto.csv").status_code == 403
    assert client.get(space).status_code == 200
    client.logout()
    client.login(world.outsider.email)
    assert client.get(space).status_code in (403, 404)
    client.logout()
    client.login(world.admin.email)
    assert client.get("/cruscotto/").status_code == 200


def test_the_map_says_when_its_figures_were_computed(app, client, world):
    _refresh(app)
    with app.app_context():
        computed_at = db.session.get(FigureSnapshot, "skills_map.v1:everybody").computed_at
    client.login(world.member.email)
    page = client.get("/rubrica/mappa").get_data(as_text=True)
    assert f"Aggiornato il {_local(app, computed_at)} (i conteggi" in page


def test_a_deleted_space_loses_its_stored_figures(app, factory, world):
    space = factory.space(name="Spazio di passaggio")
    _refresh(app)
    assert f"dashboard.v1:space-{space.id}" in _stored_keys(app)
    with app.app_context():
        db.session.delete(db.session.get(Space, space.id))
        db.session.commit()
    _refresh(app)
    assert f"dashboard.v1:space-{space.id}" not in _stored_keys(app)
