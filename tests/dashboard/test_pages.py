"""The dashboard pages as their readers use them: figures with definitions, warnings with
suggested actions, CSV, who may read them, and a constant number of statements."""
from __future__ import annotations

import csv
import io

from cop.database import utcnow
from cop.extensions import db
from tests.dashboard import data


def _levels(html: str) -> dict[str, str]:
    import re

    table = html[html.index('id="levels-table"'):]
    return dict(re.findall(r'data-level="(\w+)"><th scope="row">[^<]+</th><td>(\d+)</td>', table))


def test_coordinator_reads_figures_warning_and_definitions(client, factory, world):
    known = data.build(factory, world, now=utcnow())
    with factory.app.app_context():
        from cop.stories.models import ValueStory

        story = ValueStory(space_id=world.reserved.id, author_id=known.people.a.id,
                           cycle="applicato", title="Abbiamo cambiato gli orari", body="",
                           body_html="")
        db.session.add(story)
        db.session.commit()
        story_id = story.id
    client.login(world.coordinator.email)
    page = client.get(f"/spazi/{world.reserved.slug}/cruscotto")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert _levels(html) == {"core": "1", "attivo": "1", "occasionale": "1", "periferico": "3"}
    assert 'data-warning="unanswered"' in html and 'data-warning="falling"' not in html
    assert "1 discussione aspetta una risposta da più di 7 giorni." in html
    assert f'/discussioni/{known.t4_id}' in html  # the thread waiting is listed, linked
    assert "almeno 12 contributi negli ultimi 90 giorni" in html  # each level's definition
    assert "Mediana del tempo tra l'apertura di una discussione" in html
    assert "10 ore" in html  # the median
    assert "20%" in html  # attendance: 1 present of 5
    assert "Elena Lettrice" in html  # a peripheral member to involve
    stories = html[html.index('id="stories-table"'):]
    assert f'href="/spazi/{world.reserved.slug}/storie/{story_id}">Abbiamo cambiato gli orari' \
        in stories


def test_csv_has_every_figure_with_its_definition(client, factory, world):
    data.build(factory, world, now=utcnow())
    client.login(world.coordinator.email)
    response = client.get(f"/spazi/{world.reserved.slug}/cruscotto.csv")
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff")),
                           delimiter=";"))
    assert rows[0] == ["sezione", "indicatore", "valore", "definizione"]
    by_figure = {row[1]: row for row in rows[1:]}
    assert by_figure["Nucleo (core)"][2] == "1"
    assert by_figure["Periferici"][2] == "3"
    assert by_figure["Membri"][2] == "6"
    assert by_figure["Discussioni senza risposta dopo 7 giorni"][2] == "1"
    assert all(row[3] for row in rows[1:])  # no figure without its definition


def test_facilitators_read_it_members_do_not(client, factory, world):
    facilitator = factory.user(name="Facilitatrice")
    factory.member(world.reserved, facilitator, "facilitatore")
    client.login(facilitator.email)
    page = client.get(f"/spazi/{world.reserved.slug}/")
    assert f'href="/spazi/{world.reserved.slug}/cruscotto"' in page.get_data(as_text=True)
    assert client.get(f"/spazi/{world.reserved.slug}/cruscotto").status_code == 200
    client.logout()
    client.login(world.member.email)
    page = client.get(f"/spazi/{world.reserved.slug}/")
    assert "/cruscotto" not in page.get_data(as_text=True)
    assert client.get(f"/spazi/{world.reserved.slug}/cruscotto").status_code == 403
    assert client.get("/cruscotto/").status_code == 403


def test_regional_dashboard_lists_falling_spaces(client, factory, world):
    space = factory.space(name="Spazio silenzioso", visibility="regionale")
    person = factory.user(name="Voce Lontana")
    factory.member(space, person)
    with factory.app.app_context():
        now = utcnow()
        data.thread(space.id, person.id, data.ago(100) - (data.NOW - now), "Tanto tempo fa",
                    replies=[(person.id, now - (data.NOW - data.ago(60 + k))) for k in range(6)])
        db.session.commit()
    with factory.app.app_context():
        waiting, _ = data.thread(world.regional.id, person.id, utcnow() - (data.NOW - data.ago(9)),
                                 "Nessuno risponde")
        db.session.commit()
        waiting_id = waiting.id
    client.login(world.admin.email)
    html = client.get("/cruscotto/").get_data(as_text=True)
    assert f'href="/spazi/{world.regional.slug}/discussioni/{waiting_id}">Nessuno risponde' in html
    start = html.index('id="falling-table"')
    table = html[start:html.index("</table>", start)]
    assert "Spazio silenzioso" in table
    assert client.get("/cruscotto.csv").mimetype == "text/csv"


def test_statements_do_not_grow_with_the_data(client, factory, world, count_queries):
    client.login(world.coordinator.email)
    url = f"/spazi/{world.reserved.slug}/cruscotto"
    client.get(url)
    with count_queries() as few:
        assert client.get(url).status_code == 200
    data.build(factory, world, now=utcnow())
    with count_queries() as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(few)
    assert len(few) <= 18


def test_suggested_question_opens_the_form_set_to_a_question(client, world):
    client.login(world.coordinator.email)
    html = client.get(f"/spazi/{world.reserved.slug}/discussioni/nuova?tipo=domanda"
                      "&titolo=Che+cosa+vi+servirebbe%3F").get_data(as_text=True)
    assert 'value="Che cosa vi servirebbe?"' in html
    import re

    assert re.search(r'<input[^>]*checked[^>]*value="domanda"'
                     r'|<input[^>]*value="domanda"[^>]*checked'
                     r'|<option[^>]*selected[^>]*value="domanda"'
                     r'|<option[^>]*value="domanda"[^>]*selected',
                     html)
    html = client.get(f"/spazi/{world.reserved.slug}/discussioni/nuova?tipo=altro").get_data(
        as_text=True)
    assert 'value="altro"' not in html


def test_home_links_the_dashboards_of_the_spaces_one_runs(client, world):
    client.login(world.coordinator.email)
    html = client.get("/").get_data(as_text=True)
    assert f'href="/spazi/{world.reserved.slug}/cruscotto"' in html
    assert 'href="/cruscotto/"' not in html
    client.logout()
    client.login(world.member.email)
    assert "/cruscotto" not in client.get("/").get_data(as_text=True)
    client.logout()
    client.login(world.admin.email)
    assert 'href="/cruscotto/"' in client.get("/").get_data(as_text=True)
