"""Contact through the platform: a real email to the recipient, Reply-To the sender, the
recipient's address never shown; rate-limited."""
from __future__ import annotations

from tests.directory.helpers import main, text


def test_the_message_reaches_the_recipient_with_the_sender_for_reply(app, client, world, smtp):
    client.login(world.outsider.email)
    form = main(client.get(f"/rubrica/contatta/{world.member.id}"))
    assert "Scrivi a Membro Alleanza" in form and world.member.email not in form
    profile_page = main(client.get(f"/persone/{world.member.id}"))
    assert world.member.email not in profile_page

    response = client.post(f"/rubrica/contatta/{world.member.id}", {
        "subject": "Laboratorio caregiver",
        "message": "Ciao, possiamo sentirci per il laboratorio?"})
    assert response.status_code == 302
    assert "Messaggio inviato a Membro Alleanza" in text(client.get(response.headers["Location"]))
    [sent] = smtp.messages
    assert sent.to == [world.member.email]
    assert sent.message["Reply-To"] == world.outsider.email
    assert sent.subject == "Messaggio da Persona Esterna: Laboratorio caregiver"
    assert "possiamo sentirci per il laboratorio?" in sent.body
    assert f"/persone/{world.outsider.id}" in sent.body


def test_errors_keep_the_message_and_send_nothing(app, client, world, smtp):
    client.login(world.outsider.email)
    response = client.post(f"/rubrica/contatta/{world.member.id}",
                           {"subject": "", "message": "Un messaggio scritto con cura"})
    page = text(response)
    assert response.status_code == 200 and "Il modulo contiene errori" in page
    assert "Un messaggio scritto con cura" in page
    assert smtp.messages == []




def test_sending_is_rate_limited_per_sender(make_app, smtp):
    from tests.conftest import Client
    from tests.factories import Factory

    app = make_app(DIRECTORY_CONTACT_RATE_LIMIT="2 per hour")
    world = Factory(app).world()
    client = Client(app)
    client.login(world.outsider.email)
    data = {"subject": "Ciao", "message": "Un messaggio di prova abbastanza lungo"}
    for _ in range(2):
        assert client.post(f"/rubrica/contatta/{world.member.id}", data).status_code == 302
    assert client.post(f"/rubrica/contatta/{world.member.id}", data).status_code == 429
    assert len(smtp.messages) == 2
    other = Client(app)  # another person is not held back by the first one's messages
    other.login(world.coordinator.email)
    assert other.post(f"/rubrica/contatta/{world.member.id}", data).status_code == 302


def test_nobody_writes_to_themselves_or_to_a_deactivated_account(client, world, factory):
    gone = factory.user(name="Andata Via", active=False)
    client.login(world.member.email)
    assert client.get(f"/rubrica/contatta/{world.member.id}").status_code == 403
    assert client.get(f"/rubrica/contatta/{gone.id}").status_code == 404
    assert client.get("/rubrica/contatta/999999").status_code == 404
