from sqlalchemy import select

from cop.auth.models import Invitation
from cop.extensions import db
from cop.network.models import Organisation


def test_admin_creates_a_thematic_space_and_coordinates_it(client, world):
    client.login(world.admin.email)
    response = client.post("/admin/spazi/nuovo", {
        "name": "Caregiver familiari", "description": "Sostegno a chi si prende cura.",
        "visibility": "regionale"})
    assert response.headers["Location"] == "/spazi/caregiver-familiari/"
    page = client.get("/spazi/caregiver-familiari/").get_data(as_text=True)
    assert "Caregiver familiari" in page and "Spazio tematico regionale" in page
    assert "Amministratrice Regionale" in page  # listed among who coordinates
    assert "Caregiver familiari" in client.get("/admin/spazi").get_data(as_text=True)


def test_thematic_space_form_errors_keep_the_text(client, world):
    client.login(world.admin.email)
    response = client.post("/admin/spazi/nuovo", {"name": "", "description": "Da non perdere",
                                                  "visibility": "regionale"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "Da non perdere" in page
    assert "Il modulo contiene errori" in page


def test_renaming_an_alleanza_renames_its_space(client, world, factory):
    alleanza = factory.alleanza("BG", 1)
    client.login(world.admin.email)
    response = client.post(f"/admin/alleanze/{alleanza.id}", {
        "name": "Alleanza Valli Bergamasche", "lead_organisation_id": "0"})
    assert response.status_code == 302
    assert "Alleanza Valli Bergamasche" in client.get("/admin/alleanze").get_data(as_text=True)
    page = client.get(f"/spazi/{world.reserved.slug}/").get_data(as_text=True)
    assert "<h1 class=\"mb-1\">Alleanza Valli Bergamasche</h1>" in page


def test_admin_creates_and_edits_an_organisation_with_its_alleanze(client, world, factory, app):
    first, second = factory.alleanza("BG", 1), factory.alleanza("BG", 2)
    client.login(world.admin.email)
    with app.app_context():
        from cop.network.models import Ats

        bergamo = db.session.scalar(select(Ats).where(Ats.code == "BG"))
    response = client.post("/admin/organizzazioni/nuova", {
        "name": "Cooperativa sociale Il Girasole", "entity_type_code": "no_profit",
        "ats_id": str(bergamo.id), "city": "Treviglio", "website": "https://girasole.example",
        "alleanza_ids": [str(first.id), str(second.id)]})
    assert response.status_code == 302
    with app.app_context():
        organisation = db.session.scalar(select(Organisation).where(
            Organisation.name == "Cooperativa sociale Il Girasole"))
        organisation_id = organisation.id
    page = client.get(f"/organizzazioni/{organisation_id}").get_data(as_text=True)
    assert "Privato no profit" in page and "Alleanza Bergamo 1, Alleanza Bergamo 2" in page
    assert "Treviglio" in page

    client.post(f"/admin/organizzazioni/{organisation_id}", {
        "name": "Cooperativa sociale Il Girasole", "entity_type_code": "no_profit",
        "ats_id": str(bergamo.id), "city": "Treviglio", "website": "",
        "alleanza_ids": [str(second.id)]})
    page = client.get(f"/organizzazioni/{organisation_id}").get_data(as_text=True)
    assert "Alleanza Bergamo 1" not in page and "Alleanza Bergamo 2" in page


def test_organisation_form_rejects_bad_input_and_keeps_it(client, world):
    client.login(world.admin.email)
    response = client.post("/admin/organizzazioni/nuova", {
        "name": "Ente con sito sbagliato", "entity_type_code": "inventato", "ats_id": "abc",
        "website": "non un indirizzo", "alleanza_ids": ["99999"]})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Ente con sito sbagliato" in page and "non un indirizzo" in page
    assert "Il modulo contiene errori" in page


def test_admin_finds_people_and_revokes_an_invitation(client, world, smtp, app):
    client.login(world.admin.email)
    page = client.get("/admin/persone?q=Membro").get_data(as_text=True)
    assert "Membro Alleanza" in page and "Persona Esterna" not in page

    client.post("/invita", {"email": "nuova@esempio.it", "name": "Nuova Persona",
                            "organisation_id": str(world.member.organisation_id),
                            "space_id": str(world.reserved.id), "space_role": "membro",
                            "message": ""})
    page = client.get("/admin/inviti").get_data(as_text=True)
    assert "nuova@esempio.it" in page and "in attesa" in page
    with app.app_context():
        invitation_id = db.session.scalar(select(Invitation.id))
    client.post(f"/admin/inviti/{invitation_id}/revoca")
    assert "revocato" in client.get("/admin/inviti").get_data(as_text=True)
    link = smtp.links(smtp.to("nuova@esempio.it")[0])[0]
    assert client.get(link.replace("http://localhost", "")).status_code == 404


def test_a_second_organisation_with_the_same_name_in_the_ats_is_refused(client, world, app):
    client.login(world.admin.email)
    with app.app_context():
        from cop.network.models import Ats

        bergamo, milano = (db.session.scalar(select(Ats.id).where(Ats.code == code))
                           for code in ("BG", "MI"))
    form = {"name": "ACLI Bergamo", "entity_type_code": "no_profit", "ats_id": str(bergamo),
            "city": "", "website": ""}
    assert client.post("/admin/organizzazioni/nuova", form).status_code == 302
    response = client.post("/admin/organizzazioni/nuova", {**form, "name": " acli bergamo "})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Esiste già un&#39;organizzazione con questo nome nella stessa ATS" in page
    assert 'href="#name"' in page
    # the same name in another ATS is another organisation; saving one unchanged is fine
    assert client.post("/admin/organizzazioni/nuova",
                       {**form, "ats_id": str(milano)}).status_code == 302
    with app.app_context():
        rows = db.session.execute(select(Organisation.id, Organisation.ats_id).where(
            Organisation.name == "ACLI Bergamo")).all()
    assert len(rows) == 2
    first = next(row.id for row in rows if row.ats_id == bergamo)
    assert client.post(f"/admin/organizzazioni/{first}", form).status_code == 302
