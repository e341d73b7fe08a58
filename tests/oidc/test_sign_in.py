"""Sign-in with the organisation's identity provider, end to end against a real OpenID Connect
provider on loopback (tests/oidc/provider.py): the code flow with PKCE, the ID token's checks,
the first sign-in's choices, logout at the provider's end."""
from __future__ import annotations

import html
import re
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from sqlalchemy import func, select

from cop.auth.models import Invitation, LoginSession, User
from cop.extensions import db
from cop.oidc.models import OidcIdentity
from cop.spaces.models import Membership
from tests.conftest import Client
from tests.oidc.provider import CLIENT_ID, CLIENT_SECRET, s256

FAILED = "L'accesso tramite il fornitore di identità non è riuscito"
ASK_INVITATION = "chiedi un invito a un amministratore"


def _text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def _count(app, model, *where) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model).where(*where))


def _identities(app) -> list[tuple[str, str, int]]:
    with app.app_context():
        return [(i.issuer, i.subject, i.user_id)
                for i in db.session.scalars(select(OidcIdentity).order_by(OidcIdentity.id))]


def _signed_in_as(client, name: str) -> bool:
    page = client.page("/spazi/miei")
    return name in page and "/accedi" not in (client.get("/spazi/miei").headers.get("Location")
                                              or "")


def _refused(client, response, message: str) -> None:
    assert response.status_code == 302 and response.headers["Location"] == "/accedi"
    assert message in client.page("/accedi")
    assert client.get("/spazi/miei").status_code == 302, "nobody is signed in"


def test_first_sign_in_links_the_account_with_the_verified_email(app, client, provider, factory):
    person = factory.user(name="Lucia Ferri", email="lucia.ferri@ats-bergamo.it")
    provider.sign_in_as("sub-lucia", email="Lucia.Ferri@ats-bergamo.it", name="Lucia Ferri")

    response = client.sign_in_through_provider("/accedi/ente?next=/spazi/miei")

    assert response.status_code == 302 and response.headers["Location"] == "/spazi/miei"
    assert _signed_in_as(client, "Lucia Ferri")
    assert _identities(app) == [(provider.issuer, "sub-lucia", person.id)]
    assert _count(app, LoginSession, LoginSession.user_id == person.id) == 1
    # The flow as the provider saw it: PKCE S256, state and nonce, the verifier sent back.
    [authorize] = provider.authorize_requests
    assert authorize["client_id"] == CLIENT_ID and authorize["code_challenge_method"] == "S256"
    assert authorize["state"] and authorize["nonce"]
    assert "openid" in authorize["scope"].split()
    [token] = provider.token_requests
    assert s256(token["code_verifier"]) == authorize["code_challenge"]
    assert "client_secret" not in token, "the secret travels in the Authorization header"
    # The profile shows the linked identity.
    profile = client.page("/profilo")
    assert "Il tuo account è collegato all'identità sub-lucia" in profile
    assert provider.issuer in profile


def test_later_sign_ins_find_the_person_by_subject_never_by_email(app, client, provider,
                                                                  factory, new_client):
    first = factory.user(name="Paolo Riva", email="paolo.riva@comune.bg.it")
    factory.user(name="Altra Persona", email="altra@comune.bg.it")
    provider.sign_in_as("sub-paolo", email="paolo.riva@comune.bg.it")
    client.sign_in_through_provider()
    client.logout()

    # The provider now sends another person's address for the same subject.
    provider.sign_in_as("sub-paolo", email="altra@comune.bg.it")
    again = client.sign_in_through_provider()
    assert again.status_code == 302 and again.headers["Location"] == "/"
    assert _signed_in_as(client, "Paolo Riva")
    assert [row[2] for row in _identities(app)] == [first.id]


def test_an_unverified_email_is_refused_and_nothing_is_linked(app, client, provider, factory):
    factory.user(name="Marta Neri", email="marta.neri@esempio.it")
    provider.sign_in_as("sub-marta", email="marta.neri@esempio.it", email_verified=False)

    response = client.sign_in_through_provider()

    _refused(client, response, "non conferma il tuo indirizzo email")
    assert _identities(app) == []
    assert _count(app, LoginSession) == 0


def test_without_an_account_the_person_is_told_to_ask_for_an_invitation(app, client, provider):
    users_before = _count(app, User)
    provider.sign_in_as("sub-nuovo", email="sconosciuta@esempio.it", name="Persona Nuova")

    response = client.sign_in_through_provider()

    _refused(client, response, ASK_INVITATION)
    assert _count(app, User) == users_before
    assert _identities(app) == []


def test_an_open_invitation_is_accepted_through_the_provider(app, client, provider, world, smtp):
    coordinator = Client(app)
    coordinator.login(world.coordinator.email)
    invited = coordinator.post("/invita", {
        "email": "giulia.verdi@esempio.it", "name": "Giulia", "space_role": "membro",
        "organisation_id": str(world.member.organisation_id), "space_id": str(world.reserved.id)})
    assert invited.status_code == 302
    provider.sign_in_as("sub-giulia", email="giulia.verdi@esempio.it",
                        given_name="Giulia", family_name="Verdi")

    response = client.sign_in_through_provider()

    assert response.status_code == 302 and response.headers["Location"] == "/"
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == "giulia.verdi@esempio.it"))
        assert user.name == "Giulia Verdi" and user.password_hash == ""
        assert db.session.scalar(select(Membership.role).where(
            Membership.user_id == user.id, Membership.space_id == world.reserved.id)) == "membro"
        invitation = db.session.scalar(select(Invitation).where(
            Invitation.email == "giulia.verdi@esempio.it"))
        assert invitation.accepted_at is not None
        user_id = user.id
    assert _identities(app) == [(provider.issuer, "sub-giulia", user_id)]
    assert world.reserved.name in client.page("/spazi/miei")


def test_the_invitations_link_accepts_it_whatever_email_the_provider_sends(
        app, client, provider, world, smtp):
    """SPID's email is often not the one the invitation went to: the link proves the address."""
    coordinator = Client(app)
    coordinator.login(world.coordinator.email)
    coordinator.post("/invita", {
        "email": "anna.bianchi@esempio.it", "name": "Anna Bianchi", "space_role": "membro",
        "organisation_id": str(world.member.organisation_id), "space_id": str(world.reserved.id)})
    [message] = smtp.to("anna.bianchi@esempio.it")
    [link] = [x for x in smtp.links(message) if "/invito/" in x]
    page = client.page(link.removeprefix("http://localhost"))
    assert "Accetta l'invito entrando con il fornitore di identità" in page
    [button] = re.findall(r'href="(/accedi/ente\?invito=[^"]+)"', page)
    provider.sign_in_as("sub-anna", email="a.bianchi@pec.example.it", email_verified=False,
                        name="Anna Bianchi")

    response = client.sign_in_through_provider(button)

    assert response.status_code == 302 and response.headers["Location"] == "/"
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == "anna.bianchi@esempio.it"))
        assert user is not None and user.name == "Anna Bianchi"
        user_id = user.id
    assert _identities(app) == [(provider.issuer, "sub-anna", user_id)]
    # The link is spent: another identity coming through it is refused.
    client.logout()
    provider.sign_in_as("sub-altro", email="altro@esempio.it", email_verified=False)
    _refused(client, client.sign_in_through_provider(button), "non conferma il tuo indirizzo")


def test_invitation_only_links_no_existing_account_by_email(make_app, provider, factory):
    from tests.oidc.conftest import ProviderClient
    from tests.oidc.provider import app_config

    app = make_app(**app_config(provider, OIDC_FIRST_SIGN_IN="invitation_only"))
    client = ProviderClient(app, provider)
    factory.app = app
    factory.user(name="Sara Colombo", email="sara.colombo@esempio.it")
    provider.sign_in_as("sub-sara", email="sara.colombo@esempio.it")

    response = client.sign_in_through_provider()

    _refused(client, response, "collegalo dal tuo profilo")
    assert _identities(app) == []


def test_a_signed_in_person_links_their_account_from_the_profile(app, client, provider, factory):
    person = factory.user(name="Elena Bassi", email="elena.bassi@esempio.it")
    client.login(person.email)
    assert "Collega il tuo account" in client.page("/profilo")
    # At the provider the address differs: linking from the profile needs no email match.
    provider.sign_in_as("sub-elena", email="e.bassi@altro-ente.it")

    response = client.link_through_provider()

    assert response.status_code == 302 and response.headers["Location"] == "/profilo"
    assert _identities(app) == [(provider.issuer, "sub-elena", person.id)]
    assert "collegato all'identità sub-elena" in client.page("/profilo")


def test_a_deactivated_account_cannot_sign_in_through_the_provider(app, client, provider,
                                                                   factory):
    person = factory.user(name="Ugo Sala", email="ugo.sala@esempio.it")
    provider.sign_in_as("sub-ugo", email="ugo.sala@esempio.it")
    client.sign_in_through_provider()
    client.logout()
    with app.app_context():
        db.session.get(User, person.id).active = False
        db.session.commit()

    response = client.sign_in_through_provider()

    _refused(client, response, "Il tuo account è disattivato")

    # Never linked before, deactivated: not linked now either.
    other = factory.user(name="Ida Russo", email="ida.russo@esempio.it", active=False)
    provider.sign_in_as("sub-ida", email=other.email)
    _refused(client, client.sign_in_through_provider(), "Il tuo account è disattivato")
    assert [row[1] for row in _identities(app)] == ["sub-ugo"]


@pytest.mark.parametrize("fault", ["bad_nonce", "bad_signature", "wrong_audience",
                                   "wrong_issuer", "expired", "userinfo_other_subject"])
def test_an_id_token_that_fails_its_checks_signs_nobody_in(app, client, provider, factory,
                                                           fault):
    factory.user(name="Carla Villa", email="carla.villa@esempio.it")
    provider.sign_in_as("sub-carla", email="carla.villa@esempio.it")
    provider.misbehave = {fault}
    if fault == "userinfo_other_subject":  # the email only at userinfo, about someone else
        provider.misbehave.add("email_only_in_userinfo")

    response = client.sign_in_through_provider()

    _refused(client, response, FAILED)
    assert provider.token_requests, "the code was exchanged: the ID token itself was refused"
    assert _identities(app) == [] and _count(app, LoginSession) == 0


def test_the_email_is_read_from_userinfo_when_the_id_token_lacks_it(app, client, provider,
                                                                    factory):
    person = factory.user(name="Bruno Gatti", email="bruno.gatti@esempio.it")
    provider.sign_in_as("sub-bruno", email="bruno.gatti@esempio.it")
    provider.misbehave = {"email_only_in_userinfo"}

    response = client.sign_in_through_provider()

    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert _identities(app) == [(provider.issuer, "sub-bruno", person.id)]


def test_pkce_the_code_is_worthless_without_the_verifier(app, client, provider, factory):
    factory.user(name="Dario Conti", email="dario.conti@esempio.it")
    provider.sign_in_as("sub-dario", email="dario.conti@esempio.it")
    answer = client.to_provider()
    code = parse_qs(urlsplit(answer.headers["Location"]).query)["code"][0]
    [authorize] = provider.authorize_requests

    # An eavesdropper with the code and even the client's secret, but not the verifier.
    def exchange(**extra):
        return requests.post(f"{provider.issuer}/token", auth=(CLIENT_ID, CLIENT_SECRET), data={
            "grant_type": "authorization_code", "code": code,
            "redirect_uri": authorize["redirect_uri"], **extra}, timeout=10)

    missing = exchange()
    assert missing.status_code == 400 and "code_verifier missing" in missing.json()[
        "error_description"]
    wrong = exchange(code_verifier="x" * 50)
    assert wrong.status_code == 400 and "does not match" in wrong.json()["error_description"]

    # The app's own exchange carries the right verifier and goes through.
    response = client.back_from(answer)
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert exchange(code_verifier=provider.token_requests[-1]["code_verifier"]).status_code \
        == 400, "and the code is spent"


def test_a_callback_with_another_browsers_state_is_refused(app, client, provider, factory,
                                                           new_client):
    """Login CSRF: a code obtained in the attacker's browser, replayed into the victim's."""
    factory.user(name="Attaccante", email="attaccante@esempio.it")
    provider.sign_in_as("sub-attaccante", email="attaccante@esempio.it")
    answer = client.to_provider()  # the attacker's flow, stopped before coming back

    victim = new_client()
    response = victim.get(answer.headers["Location"].removeprefix("http://localhost"))

    assert response.status_code == 302 and response.headers["Location"] == "/accedi"
    assert FAILED in _text(victim.get("/accedi"))
    assert victim.get("/spazi/miei").status_code == 302
    assert provider.token_requests == [], "the code is not even exchanged"


def test_an_error_from_the_provider_signs_nobody_in(app, client, provider):
    provider.person = {}  # the provider answers access_denied
    response = client.sign_in_through_provider()
    _refused(client, response, FAILED)
    assert provider.token_requests == []


def test_logout_ends_the_session_and_the_one_at_the_provider(app, client, provider, factory):
    factory.user(name="Nadia Greco", email="nadia.greco@esempio.it")
    provider.sign_in_as("sub-nadia", email="nadia.greco@esempio.it")
    client.sign_in_through_provider()

    response = client.logout()

    # A page that sends the browser on (a redirect answering the form would be stopped by
    # the Content-Security-Policy's form-action), with a link for when it does not.
    page = _text(response)
    assert response.status_code == 200 and "Sei uscito dalla piattaforma" in page
    [refresh] = re.findall(r'<meta http-equiv="refresh" content="0; url=([^"]+)">', page)
    assert f'href="{refresh}"' in page
    assert refresh.startswith(f"{provider.issuer}/end_session?")
    query = parse_qs(urlsplit(refresh).query)
    assert query["post_logout_redirect_uri"] == ["http://localhost/accedi"]
    assert query["client_id"] == [CLIENT_ID] and query["id_token_hint"][0].count(".") == 2
    assert _count(app, LoginSession) == 0
    assert client.get("/spazi/miei").status_code == 302
    # The browser goes to the provider, which ends its session and sends it back.
    back = requests.get(refresh, allow_redirects=False, timeout=10)
    assert len(provider.logouts) == 1
    assert back.status_code == 302 and back.headers["Location"].startswith(
        "http://localhost/accedi")
    assert "Sei uscito dalla piattaforma" in client.page("/accedi")


def test_logout_stays_local_when_the_provider_has_no_end_session(app, client, provider,
                                                                  factory):
    factory.user(name="Olga Pini", email="olga.pini@esempio.it")
    provider.misbehave = {"no_end_session"}
    provider.sign_in_as("sub-olga", email="olga.pini@esempio.it")
    client.sign_in_through_provider()

    response = client.logout()

    assert response.headers["Location"] == "/accedi"
    assert _count(app, LoginSession) == 0 and provider.logouts == []


def test_a_password_sign_in_logs_out_locally(app, client, provider, world):
    client.login(world.member.email)
    assert client.logout().headers["Location"] == "/accedi"
    assert provider.logouts == []


def test_an_administrator_unlinks_an_identity_and_the_next_sign_in_is_a_first_one(
        app, client, provider, world, factory):
    wrong = factory.user(name="Account Sbagliato", email="condiviso@esempio.it")
    provider.sign_in_as("sub-condiviso", email="condiviso@esempio.it")
    client.sign_in_through_provider()
    client.logout()
    [(_, _, user_id)] = _identities(app)
    assert user_id == wrong.id
    with app.app_context():
        identity_id = db.session.scalar(select(OidcIdentity.id))
    url = f"/admin/persone/{wrong.id}/identita/{identity_id}/scollega"

    member = Client(app)
    member.login(world.member.email)
    assert member.post(url).status_code == 403
    admin = Client(app)
    admin.login(world.admin.email)
    page = html.unescape(admin.get(f"/admin/persone/{wrong.id}").get_data(as_text=True))
    assert "Identità sub-condiviso di " + provider.issuer in page and url in page
    assert admin.post(f"/admin/persone/{world.member.id}/identita/{identity_id}"
                      "/scollega").status_code == 404, "the identity of another person"

    response = admin.post(url)

    assert response.headers["Location"] == f"/admin/persone/{wrong.id}"
    assert _identities(app) == []
    # The address now belongs to nobody: the next sign-in asks for an invitation.
    with app.app_context():
        db.session.get(User, wrong.id).email = "altro-indirizzo@esempio.it"
        db.session.commit()
    _refused(client, client.sign_in_through_provider(), ASK_INVITATION)


def test_hostile_claims_neither_break_nor_cut_an_identity(app, client, provider, world, smtp):
    provider.sign_in_as("x" * 256, email=world.member.email)  # longer than OIDC allows
    _refused(client, client.sign_in_through_provider(), "non ha indicato chi sei")
    provider.sign_in_as("sub\u202eevil", email=world.member.email)
    _refused(client, client.sign_in_through_provider(), "non ha indicato chi sei")
    assert _identities(app) == []

    coordinator = Client(app)
    coordinator.login(world.coordinator.email)
    coordinator.post("/invita", {
        "email": "ostile@esempio.it", "name": "", "space_role": "membro",
        "organisation_id": str(world.member.organisation_id), "space_id": str(world.reserved.id)})
    provider.sign_in_as("s" * 255, email="ostile@esempio.it",
                        name="<script>alert(1)</script>\x07Ada\nLovelace" + "z" * 300)
    assert client.sign_in_through_provider().headers["Location"] == "/"
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == "ostile@esempio.it"))
        assert user.name.startswith("<script>alert(1)</script>Ada Lovelace")
        assert len(user.name) == 120
    profile = _text(client.get(f"/persone/{user.id}"))
    assert "<script>alert(1)</script>" not in client.get(
        f"/persone/{user.id}").get_data(as_text=True)
    assert "<script>alert(1)</script>Ada Lovelace" in profile


def test_a_discovery_document_of_another_issuer_is_not_followed(app, client, provider):
    provider.misbehave = {"discovery_other_issuer"}
    response = client.get("/accedi/ente")
    assert response.status_code == 302 and response.headers["Location"] == "/accedi"
    assert "Il fornitore di identità non risponde" in client.page("/accedi")
    assert provider.authorize_requests == []
