"""Admin management of people: deactivate, reactivate, site role, organisation; admins only."""
import html
import re

import pytest
from sqlalchemy import func, select

from cop.auth.models import LoginSession, User
from cop.extensions import db
from cop.network.models import Organisation
from tests.conftest import TEST_PASSWORD


def _text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def _row(page: str, name: str) -> str:
    """The admin list's table row of `name`."""
    return re.search(rf'<tr>\s*<th scope="row"><a href="/admin/persone/\d+">{name}</a>.*?</tr>',
                     page, re.DOTALL).group(0)


def _save(client, person, *, site_role="membro", organisation_id=None, active=True):
    data = {"site_role": site_role,
            "organisation_id": str(organisation_id or person.organisation_id)}
    if active:
        data["active"] = "y"
    return client.post(f"/admin/persone/{person.id}", data)


def _sessions(app, user_id) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(LoginSession)
                                 .where(LoginSession.user_id == user_id))


def _refused(client, email) -> bool:
    page = _text(client.post("/accedi", {"email": email, "password": TEST_PASSWORD}))
    return "Email o password non corretti" in page


def test_admin_page_of_a_person_shows_the_current_settings(client, world):
    client.login(world.admin.email)
    page = _text(client.get(f"/admin/persone/{world.member.id}"))
    assert "<h1>Membro Alleanza</h1>" in page and world.member.email in page
    assert re.search(r'<option (selected value="membro"|value="membro" selected)', page)
    assert re.search(r'<input[^>]*checked[^>]*id="active"|<input[^>]*id="active"[^>]*checked', page)
    assert f'href="/persone/{world.member.id}"' in page


def test_deactivating_ends_the_sessions_and_stops_sign_in(app, client, new_client, world):
    phone = new_client()
    phone.post("/accedi", {"email": world.member.email, "password": TEST_PASSWORD, "remember": "y"})
    assert phone.get("/spazi/miei").status_code == 200

    client.login(world.admin.email)
    response = _save(client, world.member, active=False)
    assert response.status_code == 302 and response.headers["Location"] == "/admin/persone"
    page = _text(client.get("/admin/persone"))
    assert "Dati di Membro Alleanza aggiornati." in page
    assert "<td>disattivato</td>" in _row(page, "Membro Alleanza")
    assert "<td>attivo</td>" in _row(page, "Persona Esterna")
    page = _text(client.get("/admin/persone?stato=disattivati"))
    assert "Membro Alleanza" in page and "Persona Esterna" not in page

    assert _sessions(app, world.member.id) == 0
    response = phone.get("/spazi/miei")
    assert response.status_code == 302 and "/accedi" in response.headers["Location"]
    assert _refused(new_client(), world.member.email)
    assert "account disattivato" in _text(client.get(f"/persone/{world.member.id}"))
    page = _text(client.get(f"/admin/persone/{world.member.id}"))
    assert not re.search(r'<input[^>]*checked[^>]*id="active"|<input[^>]*id="active"[^>]*checked',
                         page)


def test_reactivating_lets_the_person_back_in(app, client, new_client, world, factory):
    gone = factory.user(name="Persona Sospesa", active=False)
    client.login(world.admin.email)
    assert "<td>disattivato</td>" in _row(_text(client.get("/admin/persone")), "Persona Sospesa")
    assert _save(client, gone, active=True).status_code == 302
    assert "<td>attivo</td>" in _row(_text(client.get("/admin/persone")), "Persona Sospesa")
    new_client().login(gone.email)
    assert factory.get(User, gone.id).active is True


def test_changing_the_site_role(app, client, new_client, world):
    client.login(world.admin.email)
    member = new_client()
    member.login(world.member.email)
    assert member.get("/admin/").status_code == 403

    assert _save(client, world.member, site_role="curatore").status_code == 302
    page = _text(client.get("/admin/persone?ruolo=curatore"))
    assert "<td>Curatore regionale</td>" in _row(page, "Membro Alleanza")
    assert "Persona Esterna" not in page
    assert "Curatore regionale" in _text(client.get(f"/persone/{world.member.id}"))
    assert member.get("/admin/").status_code == 403  # a curator is not an admin

    assert _save(client, world.member, site_role="admin").status_code == 302
    assert "<td>Amministratore</td>" in _row(_text(client.get("/admin/persone")), "Membro Alleanza")
    assert member.get("/admin/persone").status_code == 200  # effective at once, same session

    assert _save(client, world.member, site_role="membro").status_code == 302
    assert "<td>Membro</td>" in _row(_text(client.get("/admin/persone")), "Membro Alleanza")
    assert member.get("/admin/").status_code == 403
    with app.app_context():
        assert db.session.get(User, world.member.id).site_role == "membro"


def test_moving_a_person_to_another_organisation(app, client, world, factory):
    target = factory.organisation("Comune di Bergamo", entity_type="ente_pubblico")
    client.login(world.admin.email)
    assert _save(client, world.member, organisation_id=target.id).status_code == 302
    assert "<td>Comune di Bergamo</td>" in _row(_text(client.get("/admin/persone")),
                                                "Membro Alleanza")
    with app.app_context():
        assert db.session.get(User, world.member.id).organisation_id == target.id
        assert db.session.get(Organisation, target.id).people_count == 1
        assert db.session.get(Organisation, world.member.organisation_id).people_count == 0
    assert "Membro Alleanza" in _text(client.get(f"/organizzazioni/{target.id}"))


def test_an_admin_cannot_lock_themselves_out(app, client, world):
    client.login(world.admin.email)
    admin = world.admin
    response = _save(client, admin, site_role="membro")
    assert response.status_code == 200
    assert "Non puoi togliere a te stesso il ruolo di amministratore." in _text(response)
    response = _save(client, admin, site_role="admin", active=False)
    assert response.status_code == 200
    assert "Non puoi disattivare il tuo stesso account." in _text(response)
    with app.app_context():
        user = db.session.get(User, admin.id)
        assert (user.site_role, user.active) == ("admin", True)
    assert client.get("/admin/persone").status_code == 200


def test_a_refused_change_changes_nothing_at_all(app, client, world, factory):
    target = factory.organisation("Comune di Lecco")
    client.login(world.admin.email)
    # The organisation would be valid, but the self-deactivation is refused: nothing is saved.
    response = _save(client, world.admin, site_role="admin", organisation_id=target.id,
                     active=False)
    assert response.status_code == 200
    with app.app_context():
        assert db.session.get(User, world.admin.id).organisation_id == world.admin.organisation_id
        assert db.session.get(Organisation, target.id).people_count == 0


def test_bad_form_values_are_refused(app, client, world):
    client.login(world.admin.email)
    for data in ({"site_role": "superuser", "organisation_id": str(world.member.organisation_id)},
                 {"site_role": "admin", "organisation_id": "999999"},
                 {"site_role": "admin", "organisation_id": "abc"}):
        response = client.post(f"/admin/persone/{world.member.id}", data)
        assert response.status_code == 200
        assert "Il modulo contiene errori" in _text(response)
    with app.app_context():
        user = db.session.get(User, world.member.id)
        assert (user.site_role, user.active) == ("membro", True)


@pytest.mark.parametrize("who", ["member", "coordinator", "referent", "curator"])
def test_people_who_are_not_admins_get_403(app, client, world, factory, who):
    person = factory.user(site_role="curatore") if who == "curator" else getattr(world, who)
    client.login(person.email)
    for url in ("/admin/", "/admin/persone", f"/admin/persone/{world.member.id}", "/admin/inviti"):
        assert client.get(url).status_code == 403, url
    response = _save(client, world.member, site_role="admin", active=False)
    assert response.status_code == 403
    response = _save(client, person, site_role="admin")
    assert response.status_code == 403
    with app.app_context():
        assert db.session.get(User, world.member.id).site_role == "membro"
        assert db.session.get(User, world.member.id).active is True
        assert db.session.get(User, person.id).site_role != "admin"


def test_visitors_are_sent_to_sign_in(client, world):
    for url in ("/admin/persone", f"/admin/persone/{world.member.id}"):
        response = client.get(url)
        assert response.status_code == 302 and "/accedi" in response.headers["Location"]
    response = _save(client, world.member, site_role="admin")
    assert response.status_code == 302 and "/accedi" in response.headers["Location"]


def test_people_list_search_and_role_filter(client, world, factory):
    factory.user(name="Curatrice Regionale", site_role="curatore")
    client.login(world.admin.email)
    page = _text(client.get(f"/admin/persone?q={world.outsider.email.upper()}"))
    assert "Persona Esterna" in page and "Membro Alleanza" not in page and "1 persona" in page
    page = _text(client.get("/admin/persone?ruolo=admin"))
    assert "Amministratrice Regionale" in page and "Curatrice Regionale" not in page
    page = _text(client.get("/admin/persone?ruolo=inventato&q=%25"))
    assert page.count('<th scope="row"><a href="/admin/persone/') == 0  # "%" is taken literally
    page = _text(client.get("/admin/persone?ruolo=inventato"))
    assert page.count('<th scope="row"><a href="/admin/persone/') == 6  # unknown role: no filter


@pytest.mark.parametrize("path", ["/admin/persone/abc", "/admin/persone/0", "/admin/persone/-1",
                                  "/admin/persone/999999", "/admin/persone/99999999999999999999",
                                  "/admin/inviti/abc/revoca",
                                  "/admin/inviti/99999999999999999999/revoca"])
def test_bad_ids_are_not_found(client, world, path):
    client.login(world.admin.email)
    response = client.post(path, {}) if path.endswith("revoca") else client.get(path)
    assert response.status_code == 404


def test_revoking_a_missing_invitation_is_not_found(client, world):
    client.login(world.admin.email)
    assert client.post("/admin/inviti/999999/revoca").status_code == 404


@pytest.mark.parametrize("query", ["ats=abc", "ats=999999", "ats=99999999999999999999", "q=%25"])
def test_admin_organisation_list_ignores_odd_filters(client, world, query):
    client.login(world.admin.email)
    response = client.get(f"/admin/organizzazioni?{query}")
    assert response.status_code == 200
    rows = _text(response).count('<th scope="row">')
    assert rows == (0 if query == "q=%25" else 6), rows  # the Region's and the world's five
