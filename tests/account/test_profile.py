"""The person's own profile: editing name, role, presentation and language, and nobody
else's."""
import html
import re

from cop.auth.models import User
from cop.extensions import db


def _text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def _main(response) -> str:
    return re.search(r"<main\b.*?</main>", _text(response), re.DOTALL).group(0)


def _edit(client, **fields):
    data = {"name": "Membro Alleanza", "job_title": "", "bio": "", "locale": "it"}
    data.update(fields)
    return client.post("/profilo", data)


def test_editing_the_own_profile(app, client, world):
    client.login(world.member.email)
    form = _text(client.get("/profilo"))
    assert 'value="Membro Alleanza"' in form

    response = _edit(client, name="  Maria Membro  ", job_title="Operatrice di rete",
                     bio="Seguo i *voucher* di conciliazione.", locale="en")
    assert response.status_code == 302
    assert response.headers["Location"] == f"/persone/{world.member.id}"
    page = _text(client.get(response.headers["Location"]))
    assert "Profile updated." in page  # the chosen language applies at once
    assert "Maria Membro" in page and "Operatrice di rete" in page
    assert "<em>voucher</em>" in page
    with app.app_context():
        user = db.session.get(User, world.member.id)
        assert (user.name, user.job_title, user.locale) == (
            "Maria Membro", "Operatrice di rete", "en")
        assert user.bio == "Seguo i *voucher* di conciliazione."

    form = _text(client.get("/profilo"))
    assert 'value="Operatrice di rete"' in form and "Seguo i *voucher* di conciliazione." in form


def test_profile_errors_keep_what_was_typed(app, client, world, factory):
    client.login(world.member.email)
    typed = {"job_title": "Ruolo scritto", "bio": "Una presentazione scritta"}
    for fields, problem_field in [({"name": ""}, "name"), ({"name": "N" * 121}, "name"),
                                  ({"name": "Nome Nuovo", "locale": "de"}, "locale")]:
        response = _edit(client, **typed, **fields)
        page = _text(response)
        assert response.status_code == 200
        assert "Il modulo contiene errori" in page and f'href="#{problem_field}"' in page
        assert 'value="Ruolo scritto"' in page and "Una presentazione scritta" in page
        if fields["name"]:
            assert f'value="{fields["name"]}"' in page
    user = factory.get(User, world.member.id)
    assert (user.name, user.job_title, user.bio) == ("Membro Alleanza", "", "")


def test_nobody_edits_someone_elses_profile(client, world, factory):
    client.login(world.member.email)
    response = _edit(client, name="Nome Cambiato", user_id=str(world.outsider.id),
                     id=str(world.outsider.id), email=world.outsider.email, site_role="admin",
                     organisation_id=str(world.outsider.organisation_id), active="")
    assert response.headers["Location"] == f"/persone/{world.member.id}"
    outsider = factory.get(User, world.outsider.id)
    assert outsider.name == "Persona Esterna"
    member = factory.get(User, world.member.id)
    assert member.name == "Nome Cambiato"
    assert (member.email, member.site_role, member.organisation_id, member.active) == (
        world.member.email, "membro", world.member.organisation_id, True)

    assert client.post(f"/persone/{world.outsider.id}", {"name": "Altro"}).status_code == 405
    page = _main(client.get(f"/persone/{world.outsider.id}"))
    assert 'href="/profilo"' not in page and "Gestisci l'account" not in page
