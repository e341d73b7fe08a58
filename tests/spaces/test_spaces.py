from sqlalchemy import select

from cop.extensions import db
from cop.spaces.models import JoinRequest, Membership, Space


def test_reference_data_creates_a_space_for_every_ats_and_alleanza(app, factory):
    with app.app_context():
        spaces = db.session.scalars(select(Space)).all()
    assert sum(s.kind == "ats" for s in spaces) == 8
    assert sum(s.kind == "alleanza" for s in spaces) == 40
    assert {s.name for s in spaces if s.kind == "ats"} >= {"ATS Bergamo", "ATS Val Padana"}


def test_all_spaces_lists_regional_ones_and_reserved_ones_of_members_only(client, world):
    client.login(world.outsider.email)
    page = client.get("/spazi/").get_data(as_text=True)
    assert "ATS Bergamo" in page and world.regional.name in page
    assert "Alleanza Bergamo 1" not in page  # reserved, not a member

    client.logout()
    client.login(world.member.email)
    page = client.get("/spazi/").get_data(as_text=True)
    assert "Alleanza Bergamo 1" in page
    assert "Alleanza Bergamo 2" not in page


def test_ats_referent_sees_and_manages_the_spaces_of_its_alleanze(client, world):
    client.login(world.referent.email)
    page = client.get("/spazi/?tipo=alleanza").get_data(as_text=True)
    assert "Alleanza Bergamo 1" in page and "Alleanza Bergamo 5" in page
    assert "Alleanza Milano 1" not in page
    assert client.get("/spazi/alleanza-bergamo-2/modifica").status_code == 200
    assert client.get("/spazi/alleanza-milano-1/").status_code == 404


def test_my_spaces_shows_role(client, world):
    client.login(world.coordinator.email)
    page = client.get("/spazi/miei").get_data(as_text=True)
    assert "Alleanza Bergamo 1" in page and "Coordinatore" in page
    assert world.regional.name in page
    assert "ATS Milano" not in page


def test_join_request_accepted_by_a_coordinator(client, new_client, world, smtp, app):
    client.login(world.outsider.email)
    page = client.get(f"/spazi/{world.regional.slug}/").get_data(as_text=True)
    assert "Chiedi di partecipare" in page
    response = client.post(f"/spazi/{world.regional.slug}/partecipa",
                           {"message": "Mi interessa il tema"})
    assert response.status_code == 302
    page = client.get(f"/spazi/{world.regional.slug}/").get_data(as_text=True)
    assert "Hai chiesto di partecipare" in page
    [notice] = smtp.to(world.coordinator.email)
    assert "Persona Esterna" in notice.body and "Mi interessa il tema" in notice.body

    coordinator = new_client()
    coordinator.login(world.coordinator.email)
    requests_page = coordinator.get(
        f"/spazi/{world.regional.slug}/richieste").get_data(as_text=True)
    assert "Persona Esterna" in requests_page and "Mi interessa il tema" in requests_page
    with app.app_context():
        request_id = db.session.scalar(select(JoinRequest.id))
    coordinator.post(f"/spazi/{world.regional.slug}/richieste/{request_id}",
                     {"decisione": "accetta"})

    members = client.get(f"/spazi/{world.regional.slug}/membri").get_data(as_text=True)
    assert f'href="/persone/{world.outsider.id}">Persona Esterna</a>' in members
    assert any("accettata" in m.body for m in smtp.to(world.outsider.email))
    assert factory_space(app, world.regional.id).pending_request_count == 0


def factory_space(app, space_id):
    with app.app_context():
        space = db.session.get(Space, space_id)
        db.session.expunge(space)
        return space


def test_join_request_refused(client, new_client, world, smtp, factory, app):
    request_id = factory.join_request(world.regional, world.outsider)
    coordinator = new_client()
    coordinator.login(world.coordinator.email)
    coordinator.post(f"/spazi/{world.regional.slug}/richieste/{request_id}",
                     {"decisione": "rifiuta"})
    members = coordinator.get(f"/spazi/{world.regional.slug}/membri").get_data(as_text=True)
    assert f'href="/persone/{world.outsider.id}"' not in members
    assert any("non hanno accolto" in m.body for m in smtp.to(world.outsider.email))
    # A request decided twice is not decided again.
    response = coordinator.post(f"/spazi/{world.regional.slug}/richieste/{request_id}",
                                {"decisione": "accetta"})
    assert response.status_code == 302
    assert "già stata gestita" in coordinator.get(
        f"/spazi/{world.regional.slug}/richieste").get_data(as_text=True)


def test_a_request_for_another_space_is_not_found(client, world, factory):
    other = factory.space(name="Altro spazio", visibility="regionale")
    request_id = factory.join_request(other, world.outsider)
    client.login(world.coordinator.email)
    response = client.post(f"/spazi/{world.regional.slug}/richieste/{request_id}",
                           {"decisione": "accetta"})
    assert response.status_code == 404


def test_bad_decision_value_is_a_clear_400(client, world, factory):
    request_id = factory.join_request(world.regional, world.outsider)
    client.login(world.coordinator.email)
    response = client.post(f"/spazi/{world.regional.slug}/richieste/{request_id}",
                           {"decisione": "boh"})
    assert response.status_code == 400
    assert "Richiesta non valida" in response.get_data(as_text=True)


def test_reserved_spaces_take_no_join_requests(client, world):
    client.login(world.outsider.email)
    response = client.post(f"/spazi/{world.reserved.slug}/partecipa", {"message": "x"})
    assert response.status_code == 404


def test_coordinator_changes_roles_but_the_last_coordinator_stays(client, world, app):
    client.login(world.coordinator.email)
    client.post(f"/spazi/{world.reserved.slug}/membri/{world.member.id}/ruolo",
                {"role": "facilitatore"})
    page = client.get(f"/spazi/{world.reserved.slug}/membri").get_data(as_text=True)
    assert "Facilitatore" in page

    response = client.post(f"/spazi/{world.reserved.slug}/membri/{world.coordinator.id}/ruolo",
                           {"role": "membro"}, follow_redirects=True)
    assert "almeno un coordinatore" in response.get_data(as_text=True)
    response = client.post(f"/spazi/{world.reserved.slug}/lascia", follow_redirects=True)
    assert "almeno un coordinatore" in response.get_data(as_text=True)


def test_coordinator_removes_a_member_and_counters_follow(client, world, app):
    client.login(world.coordinator.email)
    client.post(f"/spazi/{world.reserved.slug}/membri/{world.member.id}/rimuovi")
    with app.app_context():
        space = db.session.get(Space, world.reserved.id)
        rows = db.session.scalars(select(Membership).where(Membership.space_id == space.id)).all()
        assert space.member_count == len(rows) == 1


def test_member_leaves_and_loses_access_to_the_reserved_space(client, world):
    client.login(world.member.email)
    response = client.post(f"/spazi/{world.reserved.slug}/lascia", follow_redirects=True)
    assert "Hai lasciato lo spazio" in response.get_data(as_text=True)
    assert client.get(f"/spazi/{world.reserved.slug}/").status_code == 404


def test_coordinator_edits_the_space(client, world):
    client.login(world.coordinator.email)
    response = client.post(f"/spazi/{world.reserved.slug}/modifica", {
        "name": "Alleanza Bergamo 1", "description": "Ci occupiamo di **pre e post scuola**.",
        "visibility": "regionale"})
    assert response.status_code == 302
    page = client.get(f"/spazi/{world.reserved.slug}/").get_data(as_text=True)
    assert "<strong>pre e post scuola</strong>" in page and "Regionale" in page


def test_editing_with_errors_keeps_what_was_typed(client, world):
    client.login(world.coordinator.email)
    response = client.post(f"/spazi/{world.reserved.slug}/modifica", {
        "name": "AB", "description": "Testo che non va perso", "visibility": "pubblico"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Testo che non va perso" in page and 'value="AB"' in page
    assert "Il modulo contiene errori" in page


def test_member_cannot_manage(client, world):
    client.login(world.member.email)
    response = client.post(f"/spazi/{world.reserved.slug}/membri/{world.coordinator.id}/rimuovi")
    assert response.status_code == 403
    page = client.get(f"/spazi/{world.reserved.slug}/").get_data(as_text=True)
    assert "Modifica" not in page and "Lascia lo spazio" in page


def test_unknown_space_and_bad_ids_are_404_not_500(client, world):
    client.login(world.coordinator.email)
    assert client.get("/spazi/non-esiste/").status_code == 404
    for member_id in ("999999", "abc"):
        response = client.post(f"/spazi/{world.reserved.slug}/membri/{member_id}/ruolo",
                               {"role": "membro"})
        assert response.status_code == 404, member_id
    assert client.get("/spazi/?ats=abc&tipo=strano").status_code == 200
    assert client.get("/organizzazioni/?pagina=-3&ats=x").status_code == 200


def test_coordinator_sees_and_revokes_the_space_invitations(client, world, smtp, app):
    client.login(world.coordinator.email)
    client.post("/invita", {"email": "invitata@esempio.it", "name": "Persona Invitata",
                            "organisation_id": str(world.member.organisation_id),
                            "space_id": str(world.reserved.id), "space_role": "membro"})
    page = client.get(f"/spazi/{world.reserved.slug}/membri").get_data(as_text=True)
    assert "invitata@esempio.it" in page and "Inviti in attesa" in page
    from cop.auth.models import Invitation

    with app.app_context():
        invitation_id = db.session.scalar(select(Invitation.id))
    client.post(f"/spazi/{world.reserved.slug}/inviti/{invitation_id}/revoca")
    page = client.get(f"/spazi/{world.reserved.slug}/membri").get_data(as_text=True)
    assert "invitata@esempio.it" not in page.split("Inviti in attesa")[1]
    link = smtp.links(smtp.to("invitata@esempio.it")[0])[0]
    assert client.get(link.replace("http://localhost", "")).status_code == 404


def test_members_do_not_see_invitations(client, world):
    client.login(world.member.email)
    page = client.get(f"/spazi/{world.reserved.slug}/membri").get_data(as_text=True)
    assert "Inviti in attesa" not in page


def test_the_library_technical_space_is_not_listed(app, client, world):
    from cop.practices.services import library_space

    with app.app_context():
        library = library_space()
        db.session.commit()
        name = library.name
    client.login(world.member.email)
    assert name not in client.get("/spazi/").get_data(as_text=True)
    assert name not in client.get("/cerca?q=sportello").get_data(as_text=True)
    assert world.regional.name in client.get("/spazi/").get_data(as_text=True)
    listed = client.get("/spazi/").get_data(as_text=True).count('<th scope="row">')
    home = client.get("/").get_data(as_text=True)
    assert f'<span class="cop-stat">{listed}</span>' in home  # the count of the same list
