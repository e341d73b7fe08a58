"""Invitations: who may invite whom into which space, the email, the link, and its limits."""
import html
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from cop.auth.models import Invitation, LoginSession, User
from cop.database import utcnow
from cop.extensions import db
from cop.network.models import Organisation
from cop.spaces.models import Membership

NEW_PASSWORD = "Una frase lunga per entrare"


def _text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def _invite(client, space_id, email="giulia.verdi@esempio.it", name="Giulia Verdi",
            organisation_id=None, role="membro", message=""):
    return client.post("/invita", {
        "email": email, "name": name, "organisation_id": str(organisation_id),
        "space_id": str(space_id), "space_role": role, "message": message})


def _link_path(smtp, email) -> str:
    [message] = smtp.to(email)
    [link] = smtp.links(message)
    assert link.startswith("http://localhost/invito/")
    return link.removeprefix("http://localhost")


def _accept(client, path, name="Giulia Verdi", password=NEW_PASSWORD, locale="it"):
    return client.post(path, {"name": name, "password": password, "confirm": password,
                              "locale": locale})


def _invitations(app) -> list[Invitation]:
    with app.app_context():
        rows = db.session.scalars(select(Invitation).order_by(Invitation.id)).all()
        db.session.expunge_all()
        return rows


def _membership_role(app, email, space_id) -> str | None:
    with app.app_context():
        return db.session.scalar(select(Membership.role).join(User).where(
            User.email == email, Membership.space_id == space_id))


def test_admin_invites_and_the_invitee_joins_the_space_with_the_invited_role(
        app, client, new_client, world, factory, smtp):
    organisation = factory.organisation("Cooperativa Il Melograno")
    client.login(world.admin.email)
    form = _text(client.get("/invita"))
    assert "Invita una persona" in form and "Cooperativa Il Melograno" in form

    response = _invite(client, world.reserved.id, organisation_id=organisation.id,
                       role="facilitatore", message="Ci servi per il tavolo sul welfare.")
    assert response.status_code == 302
    assert response.headers["Location"] == f"/spazi/{world.reserved.slug}/membri"
    members = _text(client.get(response.headers["Location"]))
    assert "Invito inviato a giulia.verdi@esempio.it" in members
    assert "giulia.verdi@esempio.it (Giulia Verdi)" in members  # among the open invitations

    [message] = smtp.messages
    assert message.to == ["giulia.verdi@esempio.it"]
    assert message.subject == "Invito alla comunità di pratica della conciliazione"
    assert "Buongiorno Giulia Verdi" in message.body
    assert "Amministratrice Regionale ti invita a partecipare allo spazio «Alleanza Bergamo 1»" \
        in message.body
    assert "come persona di Cooperativa Il Melograno" in message.body
    assert "Ci servi per il tavolo sul welfare." in message.body
    assert "per 14 giorni" in message.body
    path = _link_path(smtp, "giulia.verdi@esempio.it")

    invitee = new_client()
    page = _text(invitee.get(path))
    assert ("Amministratrice Regionale ti ha invitato a partecipare allo spazio "
            "«Alleanza Bergamo 1»") in page
    assert "giulia.verdi@esempio.it" in page and 'value="Giulia Verdi"' in page

    response = _accept(invitee, path, name="Giulia Verdi Rossi")
    assert response.status_code == 302
    assert response.headers["Location"] == f"/spazi/{world.reserved.slug}/"
    response = invitee.get(response.headers["Location"])
    assert response.status_code == 200  # a reserved space: only its members see it
    space_home = _text(response)
    assert "Giulia Verdi Rossi" in space_home  # signed in: the header names her
    assert "Benvenuta, benvenuto nella comunità di pratica!" in space_home
    assert invitee.get("/spazi/miei").status_code == 200

    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == "giulia.verdi@esempio.it"))
        assert user.name == "Giulia Verdi Rossi" and user.organisation_id == organisation.id
        assert user.site_role == "membro" and user.active
        assert db.session.get(Organisation, organisation.id).people_count == 1
        assert db.session.scalar(select(func.count()).select_from(LoginSession)
                                 .where(LoginSession.user_id == user.id)) == 1
    assert _membership_role(app, "giulia.verdi@esempio.it", world.reserved.id) == "facilitatore"
    [invitation] = _invitations(app)
    assert invitation.accepted_at is not None

    # The same browser and a fresh one may both sign in with the chosen password.
    new_client().login("giulia.verdi@esempio.it", NEW_PASSWORD)


def test_the_link_works_once(app, client, new_client, world, smtp):
    client.login(world.admin.email)
    _invite(client, world.reserved.id, organisation_id=world.member.organisation_id)
    path = _link_path(smtp, "giulia.verdi@esempio.it")
    assert _accept(new_client(), path).status_code == 302

    again = new_client()
    response = again.get(path)
    assert response.status_code == 404
    assert "Collegamento non valido o scaduto" in _text(response)
    response = _accept(again, path, name="Qualcun Altro", password="Un'altra frase segreta")
    assert response.status_code == 404
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(User).where(
            User.email == "giulia.verdi@esempio.it")) == 1
        assert db.session.scalar(select(User.name).where(
            User.email == "giulia.verdi@esempio.it")) == "Giulia Verdi"
    again.login("giulia.verdi@esempio.it", NEW_PASSWORD)  # the first password still holds
    assert "accettato" in _text(client.get("/admin/inviti"))


def test_an_expired_link_is_refused(app, client, new_client, world, smtp):
    client.login(world.admin.email)
    _invite(client, world.reserved.id, organisation_id=world.member.organisation_id)
    path = _link_path(smtp, "giulia.verdi@esempio.it")
    with app.app_context():
        invitation = db.session.scalar(select(Invitation))
        invitation.expires_at = utcnow() - timedelta(minutes=1)
        db.session.commit()

    invitee = new_client()
    response = invitee.get(path)
    assert response.status_code == 404
    assert "Collegamento non valido o scaduto" in _text(response)
    assert _accept(invitee, path).status_code == 404
    with app.app_context():
        assert db.session.scalar(
            select(User).where(User.email == "giulia.verdi@esempio.it")) is None
    assert "scaduto" in _text(client.get("/admin/inviti"))


def test_a_made_up_link_is_refused(client):
    response = client.get("/invito/non-un-vero-collegamento")
    assert response.status_code == 404
    assert "Collegamento non valido o scaduto" in _text(response)


def test_a_new_invitation_replaces_the_open_one(app, client, new_client, world, smtp):
    client.login(world.admin.email)
    _invite(client, world.reserved.id, organisation_id=world.member.organisation_id)
    _invite(client, world.regional.id, organisation_id=world.member.organisation_id)
    first, second = (m for m in smtp.messages)
    old = smtp.links(first)[0].removeprefix("http://localhost")
    new = smtp.links(second)[0].removeprefix("http://localhost")
    assert new_client().get(old).status_code == 404
    assert _accept(new_client(), new).status_code == 302
    assert _membership_role(app, "giulia.verdi@esempio.it", world.regional.id) == "membro"
    assert _membership_role(app, "giulia.verdi@esempio.it", world.reserved.id) is None


def test_coordinator_invites_into_the_space_they_coordinate(app, client, new_client, world, smtp):
    client.login(world.coordinator.email)
    form = _text(client.get(f"/invita?spazio={world.reserved.slug}"))
    assert f'<option selected value="{world.reserved.id}">' in form \
        or f'<option value="{world.reserved.id}" selected>' in form
    assert "Nessuno spazio: solo l'organizzazione" not in form  # only admins invite without a space
    assert "ATS Bergamo" not in form.split('id="space_id"')[1].split("</select>")[0]

    response = _invite(client, world.reserved.id, organisation_id=world.member.organisation_id,
                       role="coordinatore")
    assert response.headers["Location"] == f"/spazi/{world.reserved.slug}/membri"
    [message] = smtp.messages
    assert "Coordinatrice Alleanza ti invita" in message.body
    assert _accept(new_client(), _link_path(smtp, "giulia.verdi@esempio.it")).status_code == 302
    assert _membership_role(app, "giulia.verdi@esempio.it", world.reserved.id) == "coordinatore"


def test_coordinator_cannot_invite_into_a_space_they_do_not_manage(app, client, world, smtp):
    client.login(world.coordinator.email)
    response = _invite(client, world.ats_space.id, organisation_id=world.member.organisation_id)
    assert response.status_code == 200
    page = _text(response)
    assert "Il modulo contiene errori" in page and "Non è una opzione valida" in page
    assert 'value="giulia.verdi@esempio.it"' in page
    # Nor without a space, which only admins may do.
    response = _invite(client, 0, organisation_id=world.member.organisation_id)
    assert response.status_code == 200 and "Il modulo contiene errori" in _text(response)
    assert _invitations(app) == [] and smtp.messages == []


def test_ats_referent_invites_into_an_alleanza_of_their_ats(app, client, world, smtp, factory):
    client.login(world.referent.email)
    other_ats_alleanza = factory.space(slug="alleanza-milano-1")
    response = _invite(client, other_ats_alleanza.id, organisation_id=world.member.organisation_id)
    assert response.status_code == 200 and _invitations(app) == []

    response = _invite(client, world.reserved.id, organisation_id=world.member.organisation_id)
    assert response.status_code == 302
    [invitation] = _invitations(app)
    assert invitation.space_id == world.reserved.id
    assert len(smtp.messages) == 1


def test_members_and_visitors_may_not_invite(app, client, world, smtp):
    assert "/accedi" in client.get("/invita").headers["Location"]
    client.login(world.member.email)
    assert client.get("/invita").status_code == 403
    response = _invite(client, world.reserved.id, organisation_id=world.member.organisation_id)
    assert response.status_code == 403
    assert _invitations(app) == [] and smtp.messages == []


def test_an_existing_address_is_added_to_the_space_and_told(app, client, world, smtp):
    client.login(world.coordinator.email)
    response = _invite(client, world.reserved.id, email=world.outsider.email.upper(),
                       organisation_id=world.member.organisation_id)
    assert response.status_code == 302
    page = _text(client.get(response.headers["Location"]))
    assert "Persona Esterna aveva già un account ed è stata aggiunta allo spazio" in page
    assert _membership_role(app, world.outsider.email, world.reserved.id) == "membro"
    assert _invitations(app) == []
    [message] = smtp.to(world.outsider.email)
    assert message.subject == "Sei stato aggiunto allo spazio Alleanza Bergamo 1"
    assert "Coordinatrice Alleanza ti ha aggiunto" in message.body
    assert smtp.links(message) == [f"http://localhost/spazi/{world.reserved.slug}/"]


def test_an_existing_member_gets_a_clear_message_and_the_form_keeps_its_text(
        app, client, world, smtp):
    client.login(world.coordinator.email)
    response = _invite(client, world.reserved.id, email=world.member.email, name="Nome Scritto",
                       organisation_id=world.member.organisation_id,
                       message="Un messaggio da non perdere")
    assert response.status_code == 200
    page = _text(response)
    assert "Questa persona fa già parte dello spazio." in page
    assert f'value="{world.member.email}"' in page and 'value="Nome Scritto"' in page
    assert "Un messaggio da non perdere" in page
    assert smtp.messages == []


def test_an_existing_account_without_a_space_gets_a_clear_message(app, client, world, smtp):
    client.login(world.admin.email)
    response = _invite(client, 0, email=world.outsider.email,
                       organisation_id=world.member.organisation_id)
    assert response.status_code == 200
    assert "Questa persona ha già un account." in _text(response)
    assert smtp.messages == [] and _invitations(app) == []


def test_a_deactivated_account_is_not_silently_added(app, client, world, factory, smtp):
    inactive = factory.user(name="Persona Disattivata", active=False)
    client.login(world.coordinator.email)
    response = _invite(client, world.reserved.id, email=inactive.email,
                       organisation_id=world.member.organisation_id)
    assert response.status_code == 200
    assert "account disattivato" in _text(response)
    assert _membership_role(app, inactive.email, world.reserved.id) is None
    assert smtp.messages == []


def test_invite_form_errors_keep_what_was_typed(app, client, world, smtp):
    client.login(world.admin.email)
    response = _invite(client, world.reserved.id, email="non-una-email", name="Mario Bianchi",
                       organisation_id=world.member.organisation_id,
                       message="Benvenuto nella rete")
    assert response.status_code == 200
    page = _text(response)
    assert "Il modulo contiene errori" in page
    assert 'value="non-una-email"' in page and 'value="Mario Bianchi"' in page
    assert "Benvenuto nella rete" in page
    assert f'<option selected value="{world.reserved.id}">' in page \
        or f'<option value="{world.reserved.id}" selected>' in page

    response = _invite(client, world.reserved.id, email="mario@esempio.it", name="Mario Bianchi",
                       organisation_id=999999)
    assert response.status_code == 200 and "Il modulo contiene errori" in _text(response)
    assert _invitations(app) == [] and smtp.messages == []


def test_accepting_requires_a_name_and_keeps_it_on_errors(app, client, new_client, world, smtp):
    client.login(world.admin.email)
    _invite(client, world.reserved.id, organisation_id=world.member.organisation_id)
    path = _link_path(smtp, "giulia.verdi@esempio.it")
    invitee = new_client()
    response = _accept(invitee, path, name="")
    assert response.status_code == 200 and "Il modulo contiene errori" in _text(response)
    response = invitee.post(path, {"name": "Giulia V.", "password": NEW_PASSWORD,
                                   "confirm": NEW_PASSWORD + "x", "locale": "it"})
    page = _text(response)
    assert response.status_code == 200
    assert "Le due password non coincidono." in page and 'value="Giulia V."' in page
    assert _invitations(app)[0].accepted_at is None
    assert _accept(invitee, path).status_code == 302  # the link still works after the errors


def test_accepting_while_signed_in_as_someone_else_signs_in_the_invitee(app, client, world, smtp):
    client.login(world.admin.email)
    _invite(client, world.reserved.id, organisation_id=world.member.organisation_id)
    path = _link_path(smtp, "giulia.verdi@esempio.it")
    assert _accept(client, path).status_code == 302
    page = _text(client.get("/profilo"))
    assert 'value="Giulia Verdi"' in page
    assert client.get("/admin/").status_code == 403  # no longer the admin


@pytest.mark.parametrize("token", ["x", "%C3%A8" * 10, "a" * 600, "%00"])
def test_odd_invitation_tokens_are_not_found(client, token):
    response = client.get(f"/invito/{token}")
    assert response.status_code == 404
    assert "Collegamento non valido o scaduto" in _text(response)
