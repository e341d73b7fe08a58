"""Profiles: what a profile shows to whom (editing one's own is tests/account)."""
import html
import re

import pytest


def _text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def _main(response) -> str:
    return re.search(r"<main\b.*?</main>", _text(response), re.DOTALL).group(0)


def _spaces_section(response) -> str:
    return re.search(r'<section aria-labelledby="spaces-title".*?</section>', _text(response),
                     re.DOTALL).group(0)


def _edit(client, **fields):
    data = {"name": "Membro Alleanza", "job_title": "", "bio": "", "locale": "it"}
    data.update(fields)
    return client.post("/profilo", data)


def test_profile_shows_name_organisation_job_and_bio(app, client, world, factory):
    organisation = factory.organisation("Comune di Treviglio", entity_type="ente_pubblico")
    person = factory.user(name="Lucia Ferri", organisation_id=organisation.id)
    signed_in = client
    signed_in.login(person.email)
    _edit(signed_in, name="Lucia Ferri", job_title="Referente conciliazione",
          bio="Mi occupo di **welfare territoriale**.\n\n- nidi\n- centri estivi")
    signed_in.logout()

    client.login(world.outsider.email)
    response = client.get(f"/persone/{person.id}")
    assert response.status_code == 200
    page = _main(response)
    assert "<h1 class=\"mb-1\">Lucia Ferri</h1>" in page
    assert "Referente conciliazione" in page
    assert f'<a href="/organizzazioni/{organisation.id}">Comune di Treviglio</a>' in page
    assert "Enti pubblici · ATS Bergamo" in page
    assert "<strong>welfare territoriale</strong>" in page and "<li>nidi</li>" in page
    assert "Modifica il profilo" not in page and "Cambia la password" not in page


def test_bio_html_is_sanitised(client, world):
    client.login(world.member.email)
    _edit(client, bio='**Forte** <script>alert("x")</script> <img src=x onerror="alert(1)"> '
                      '[clic](javascript:alert(2)) '
                      '<a href="https://esempio.it" onclick="x()">sito</a>')
    page = _main(client.get(f"/persone/{world.member.id}"))
    assert "<strong>Forte</strong>" in page
    assert "<script" not in page and "onerror" not in page and "onclick" not in page
    assert "javascript:" not in page and "<img" not in page
    assert 'href="https://esempio.it"' in page


def test_reserved_spaces_are_listed_only_to_who_may_see_them(client, new_client, world):
    as_outsider = client
    as_outsider.login(world.outsider.email)
    section = _spaces_section(as_outsider.get(f"/persone/{world.member.id}"))
    assert "Alleanza Bergamo 1" not in section and "Nessuno spazio visibile." in section

    section = _spaces_section(as_outsider.get(f"/persone/{world.coordinator.id}"))
    assert world.regional.name in section and "Coordinatore" in section
    assert "Alleanza Bergamo 1" not in section

    for viewer in (world.member, world.referent, world.admin, world.coordinator):
        other = new_client()
        other.login(viewer.email)
        section = _spaces_section(other.get(f"/persone/{world.member.id}"))
        assert f'<a href="/spazi/{world.reserved.slug}/">Alleanza Bergamo 1</a>' in section, viewer
        assert "Membro" in section


def test_own_profile_links_to_editing(client, world):
    client.login(world.member.email)
    page = _main(client.get(f"/persone/{world.member.id}"))
    assert 'href="/profilo"' in page and 'href="/profilo/password"' in page
    assert "Non hai ancora scritto una presentazione." in page
    assert "Gestisci l'account" not in page


def test_admin_sees_the_link_to_manage_the_account(client, world):
    client.login(world.admin.email)
    page = _main(client.get(f"/persone/{world.member.id}"))
    assert f'href="/admin/persone/{world.member.id}"' in page
    assert 'href="/profilo"' not in page








def test_profiles_need_signing_in(client, world):
    for url in (f"/persone/{world.member.id}", "/profilo"):
        response = client.get(url)
        assert response.status_code == 302 and "/accedi" in response.headers["Location"]
    response = client.post("/profilo", {"name": "Intruso", "locale": "it"})
    assert response.status_code == 302 and "/accedi" in response.headers["Location"]


def test_a_deactivated_person_is_shown_as_such(client, world, factory):
    gone = factory.user(name="Persona Andata Via", active=False)
    client.login(world.member.email)
    page = _main(client.get(f"/persone/{gone.id}"))
    assert "Persona Andata Via" in page and "account disattivato" in page


@pytest.mark.parametrize("path", ["/persone/abc", "/persone/", "/persone/0", "/persone/-1",
                                  "/persone/1.5", "/persone/999999",
                                  "/persone/99999999999999999999"])
def test_bad_profile_ids_are_not_found(client, world, path):
    client.login(world.member.email)
    assert client.get(path).status_code == 404
