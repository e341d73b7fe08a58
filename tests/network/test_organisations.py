"""Organisations: the list with its filters, and an organisation's page."""
import html
import re
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from cop.extensions import db
from cop.network import services
from cop.network.models import Alleanza, Ats, Organisation
from cop.reference.services import REGION_ORGANISATION


def _text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def _listed(response) -> list[str]:
    """The organisation names in the table, in order."""
    return re.findall(r'<th scope="row"><a href="/organizzazioni/\d+">([^<]+)</a>', _text(response))


def _alleanza(ats_code, number) -> Alleanza:
    return db.session.scalar(select(Alleanza).join(Ats).where(Ats.code == ats_code,
                                                              Alleanza.number == number))


def _ats_id(app, code) -> int:
    with app.app_context():
        return db.session.scalar(select(Ats.id).where(Ats.code == code))


@pytest.fixture
def network(app, factory):
    """Three organisations besides the Region, with their Alleanze, and a person to look."""
    with app.app_context():
        def save(name, kind, ats_code, city, alleanze, website=""):
            ats_id = (db.session.scalar(select(Ats.id).where(Ats.code == ats_code))
                      if ats_code else None)
            return services.save_organisation(
                None, name=name, entity_type_code=kind, ats_id=ats_id, city=city, website=website,
                alleanza_ids=[_alleanza(*a).id for a in alleanze]).id

        ids = SimpleNamespace(
            girasole=save("Cooperativa sociale Il Girasole", "no_profit", "BG", "Treviglio",
                          [("BG", 1), ("BG", 2)], "https://girasole.example"),
            brescia=save("Comune di Brescia", "ente_pubblico", "BS", "Brescia", [("BS", 1)]),
            sindacato=save("Sindacato 100% Lombardo", "sindacato", None, "Milano", []),
        )
        db.session.commit()
    ids.viewer = factory.user(name="Chi Guarda", organisation_id=ids.brescia)
    return ids


def test_the_list_shows_every_organisation_with_type_territory_and_alleanze(client, network):
    client.login(network.viewer.email)
    response = client.get("/organizzazioni/")
    assert response.status_code == 200
    assert _listed(response) == ["Comune di Brescia", "Cooperativa sociale Il Girasole",
                                 REGION_ORGANISATION, "Sindacato 100% Lombardo"]
    page = _text(response)
    assert "4 organizzazioni" in page
    row = re.search(r"Il Girasole</a>.*?</tr>", page, re.DOTALL).group(0)
    assert "Treviglio" in row and "<td>Privato no profit</td>" in row and "<td>Bergamo</td>" in row
    assert "<td>Alleanza Bergamo 1, Alleanza Bergamo 2</td>" in row
    row = re.search(r"Sindacato 100% Lombardo</a>.*?</tr>", page, re.DOTALL).group(0)
    assert "<td>Regionale</td>" in row


def test_filters_by_type_ats_and_name(app, client, network):
    client.login(network.viewer.email)
    response = client.get("/organizzazioni/?tipo=no_profit")
    assert _listed(response) == ["Cooperativa sociale Il Girasole"]
    assert '<option value="no_profit" selected>' in _text(response)

    brescia = _ats_id(app, "BS")
    response = client.get(f"/organizzazioni/?ats={brescia}")
    assert _listed(response) == ["Comune di Brescia"]
    assert f'<option value="{brescia}" selected>Brescia</option>' in _text(response)

    response = client.get("/organizzazioni/?q=GIRASOLE")
    assert _listed(response) == ["Cooperativa sociale Il Girasole"]
    assert 'value="GIRASOLE"' in _text(response)

    assert _listed(client.get(f"/organizzazioni/?q=comune&ats={brescia}&tipo=ente_pubblico")) == [
        "Comune di Brescia"]
    response = client.get(f"/organizzazioni/?q=girasole&ats={brescia}")
    assert _listed(response) == [] and "0 organizzazioni" in _text(response)


def test_search_takes_wildcards_literally(client, network):
    client.login(network.viewer.email)
    assert _listed(client.get("/organizzazioni/?q=100%25")) == ["Sindacato 100% Lombardo"]
    assert _listed(client.get("/organizzazioni/?q=%25")) == ["Sindacato 100% Lombardo"]
    assert _listed(client.get("/organizzazioni/?q=_")) == []


@pytest.mark.parametrize("query", ["ats=abc", "ats=", "ats=999999", "ats=99999999999999999999",
                                   "tipo=", "pagina=abc", "pagina=-2", "q="])
def test_odd_filter_values_show_the_whole_list(client, network, query):
    client.login(network.viewer.email)
    response = client.get(f"/organizzazioni/?{query}")
    assert response.status_code == 200
    assert len(_listed(response)) == 4


def test_pages_keep_the_filters(make_app, factory):
    from tests.conftest import Client

    app = make_app(PAGE_SIZE=2)
    factory.app = app
    viewer = factory.user(name="Chi Guarda", organisation_id=factory.organisation(
        "Comune di Dalmine", entity_type="ente_pubblico").id)
    for name in ("Coop Alfa", "Coop Beta", "Coop Gamma"):
        factory.organisation(name, entity_type="no_profit")
    client = Client(app)
    client.login(viewer.email)
    response = client.get("/organizzazioni/?q=coop&tipo=no_profit")
    assert _listed(response) == ["Coop Alfa", "Coop Beta"]
    page = _text(response)
    assert "Pagina 1 di 2" in page
    next_link = re.search(r'href="([^"]+)">Successiva', page).group(1)
    assert "q=coop" in next_link and "tipo=no_profit" in next_link and "pagina=2" in next_link
    assert _listed(client.get(next_link)) == ["Coop Gamma"]


def test_organisation_page_shows_its_details_alleanze_and_people(app, client, factory, network):
    lucia = factory.user(name="Lucia Ferri", organisation_id=network.girasole)
    factory.user(name="Andrea Bassi", organisation_id=network.girasole)
    factory.user(name="Persona Disattivata", organisation_id=network.girasole, active=False)
    with app.app_context():
        from cop.auth.models import User

        db.session.get(User, lucia.id).job_title = "Educatrice"
        db.session.commit()

    client.login(network.viewer.email)
    response = client.get(f"/organizzazioni/{network.girasole}")
    assert response.status_code == 200
    page = _text(response)
    assert "<h1>Cooperativa sociale Il Girasole</h1>" in page
    assert "Privato no profit" in page and "ATS Bergamo · Treviglio" in page
    assert "Alleanza Bergamo 1, Alleanza Bergamo 2" in page
    assert '<a href="https://girasole.example" rel="noopener noreferrer nofollow">' in page
    people = re.search(r'<h2 class="h4">Persone</h2>(.*)', page, re.DOTALL).group(1)
    names = re.findall(r'<a href="/persone/\d+">([^<]+)</a>', people)
    assert names == ["Andrea Bassi", "Lucia Ferri"]
    assert (f'<a href="/persone/{lucia.id}">Lucia Ferri</a> '
            '<span class="cop-meta">· Educatrice</span>') in people
    assert "Persona Disattivata" not in page
    assert "Modifica</a>" not in page  # only admins edit organisations


def test_organisation_without_people_or_alleanze(client, network):
    client.login(network.viewer.email)
    page = _text(client.get(f"/organizzazioni/{network.sindacato}"))
    assert "Sindacato 100% Lombardo" in page and "Regionale · Milano" in page
    assert "Nessuna persona di questa organizzazione è ancora sulla piattaforma." in page
    assert re.search(r"Alleanze</dt><dd[^>]*>—</dd>", page)
    assert "Sito web" not in page


def test_admin_sees_the_edit_link(client, factory, network):
    admin = factory.user(site_role="admin", organisation_id=network.brescia)
    client.login(admin.email)
    page = _text(client.get(f"/organizzazioni/{network.girasole}"))
    assert f'href="/admin/organizzazioni/{network.girasole}">Modifica</a>' in page


def test_the_people_of_a_large_organisation_are_paged(make_app, factory):
    from tests.conftest import Client

    app = make_app(PAGE_SIZE=2)
    factory.app = app
    organisation = factory.organisation("Ente Grande")
    for name in ("Anna Uno", "Bruno Due", "Carla Tre"):
        factory.user(name=name, organisation_id=organisation.id)
    client = Client(app)
    client.login(factory.user(name="Chi Guarda").email)
    page = _text(client.get(f"/organizzazioni/{organisation.id}"))
    assert "Anna Uno" in page and "Bruno Due" in page and "Carla Tre" not in page
    next_link = re.search(r'href="([^"]+)">Successiva', page).group(1)
    assert next_link == f"/organizzazioni/{organisation.id}?pagina=2"
    page = _text(client.get(next_link))
    assert "Carla Tre" in page and "Anna Uno" not in page


def test_organisations_need_signing_in(client, network):
    for url in ("/organizzazioni/", f"/organizzazioni/{network.girasole}"):
        response = client.get(url)
        assert response.status_code == 302 and "/accedi" in response.headers["Location"]


@pytest.mark.parametrize("path", ["/organizzazioni/abc", "/organizzazioni/0",
                                  "/organizzazioni/-1", "/organizzazioni/999999",
                                  "/organizzazioni/99999999999999999999"])
def test_bad_organisation_ids_are_not_found(client, network, path):
    client.login(network.viewer.email)
    assert client.get(path).status_code == 404


def test_a_page_number_too_large_for_the_database_is_not_an_error(client, network):
    client.login(network.viewer.email)
    response = client.get("/organizzazioni/?pagina=99999999999999999999")
    assert response.status_code == 200 and _listed(response) == []


def test_organisation_counts_follow_people(app, factory, network):
    factory.user(organisation_id=network.girasole)
    with app.app_context():
        assert db.session.get(Organisation, network.girasole).people_count == 1


@pytest.mark.parametrize("website", ["javascript://esempio.it/%0Aalert(1)",
                                     "data://esempio.it/text/html,ciao", "ftp://esempio.it/"])
def test_the_website_of_an_organisation_is_a_web_address(app, client, factory, network, website):
    admin = factory.user(site_role="admin", organisation_id=network.brescia)
    client.login(admin.email)
    response = client.post(f"/admin/organizzazioni/{network.sindacato}", {
        "name": "Sindacato 100% Lombardo", "entity_type_code": "sindacato", "ats_id": "0",
        "city": "Milano", "website": website})
    page = _text(response)
    assert response.status_code == 200
    assert "Scrivi un indirizzo che inizia con https://." in page and f'value="{website}"' in page
    with app.app_context():
        assert db.session.get(Organisation, network.sindacato).website == ""

    response = client.post(f"/admin/organizzazioni/{network.sindacato}", {
        "name": "Sindacato 100% Lombardo", "entity_type_code": "sindacato", "ats_id": "0",
        "city": "Milano", "website": "HTTPS://sindacato.example/chi-siamo"})
    assert response.status_code == 302
    page = _text(client.get(f"/organizzazioni/{network.sindacato}"))
    assert '<a href="HTTPS://sindacato.example/chi-siamo"' in page
