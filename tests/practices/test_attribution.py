"""Attribution: writers attribute a record only to the ATS, Alleanze and organisations they
belong to (the ATS's referents then validate it); regional staff attribute anywhere."""
from __future__ import annotations

import re

from sqlalchemy import func, select

from cop.extensions import db
from cop.network.models import Ats
from cop.practices.models import Practice
from tests.practices.helpers import Practices, form_data


def _ats_id(app, code: str) -> int:
    with app.app_context():
        return db.session.scalar(select(Ats.id).where(Ats.code == code))


def _count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Practice))


def _options(page: str, name: str) -> set[str]:
    select_html = re.search(rf'<select[^>]*name="{name}".*?</select>', page, re.S).group(0)
    return set(re.findall(r'<option[^>]*value="(\d+)"', select_html))


def test_the_form_offers_only_the_writer_s_ats_alleanze_and_organisations(
        client, world, app, factory):
    factory.organisation(name="Comune di Milano", ats_code="MI")
    client.login(world.member.email)
    page = client.get(f"/spazi/{world.reserved.slug}/pratiche/nuova").get_data(as_text=True)
    assert _options(page, "ats_id") == {str(_ats_id(app, "BG"))}
    assert _options(page, "alleanza_id") == {str(factory.alleanza("BG", 1).id)}
    assert "Comune di Milano" not in page


def test_a_forged_attribution_is_refused_and_nothing_is_stored(client, world, app, factory):
    factory.organisation(name="Comune di Milano", ats_code="MI")
    client.login(world.member.email)
    url = f"/spazi/{world.reserved.slug}/pratiche/nuova"
    forged = {
        "ats_id": (dict(ats_id=str(_ats_id(app, "MI")), alleanza_id=""),
                   "ATS di cui fai parte."),
        "alleanza_id": (dict(ats_id=str(_ats_id(app, "BG")),
                             alleanza_id=str(factory.alleanza("BG", 2).id)),
                        "Alleanza di cui fai parte."),
        "lead_organisation_name": (dict(lead_organisation_name="comune di  Milano"),
                                   "Come ente capofila puoi indicare la tua organizzazione"),
    }
    for field, (values, message) in forged.items():
        response = client.post(url, form_data(title="Sportello attribuito altrove", **values))
        page = response.get_data(as_text=True)
        assert response.status_code == 200 and message in page, field
        assert 'value="Sportello attribuito altrove"' in page, field  # what was typed is kept
    assert _count(app) == 0


def test_a_forged_attribution_on_edit_changes_nothing(client, world, app, factory):
    practice_id = Practices(app).make(world.reserved.slug, world.member.id, status="bozza")
    before = Practices(app).get(practice_id)
    client.login(world.member.email)
    response = client.post(f"/pratiche/{practice_id}/modifica", form_data(
        ats_id=str(_ats_id(app, "MI")), alleanza_id="", contact_id=str(world.member.id),
        base_version=str(before.version_count)))
    assert response.status_code == 200
    assert "ATS di cui fai parte" in response.get_data(as_text=True)
    after = Practices(app).get(practice_id)
    assert (after.ats_id, after.version_count, after.title) == \
        (before.ats_id, before.version_count, before.title)


def test_what_a_record_already_names_stays_allowed(client, world, app, factory):
    """A regional curator attributed the record elsewhere: its writers still edit it."""
    from cop.auth.models import User
    from cop.practices import services

    practice_id = Practices(app).make(world.reserved.slug, world.member.id, status="bozza")
    milano = _ats_id(app, "MI")
    with app.app_context():
        practice = db.session.get(Practice, practice_id)
        services.save(practice, db.session.get(User, world.admin.id), services.PracticeInput(
            {"ats_id": milano, "alleanza_id": None}, [], [{"name": "Persone", "value": 3}]))
        db.session.commit()
        version = practice.version_count
    client.login(world.member.email)
    assert str(milano) in _options(client.get(f"/pratiche/{practice_id}/modifica").get_data(
        as_text=True), "ats_id")
    response = client.post(f"/pratiche/{practice_id}/modifica", form_data(
        title="Titolo corretto dagli autori", ats_id=str(milano), alleanza_id="",
        contact_id=str(world.member.id), base_version=str(version)))
    assert response.status_code == 302
    assert Practices(app).get(practice_id).title == "Titolo corretto dagli autori"


def test_an_ats_referent_attributes_to_the_alleanze_of_their_ats(client, world, app, factory):
    client.login(world.referent.email)
    page = client.get(f"/spazi/{world.ats_space.slug}/pratiche/nuova").get_data(as_text=True)
    assert str(factory.alleanza("BG", 2).id) in _options(page, "alleanza_id")
    assert _options(page, "ats_id") == {str(_ats_id(app, "BG"))}


def test_regional_staff_attribute_anywhere(client, world, app, factory):
    lead = factory.organisation(name="Comune di Milano", ats_code="MI")
    milano = _ats_id(app, "MI")
    client.login(world.admin.email)
    url = f"/spazi/{world.reserved.slug}/pratiche/nuova"
    assert str(milano) in _options(client.get(url).get_data(as_text=True), "ats_id")
    response = client.post(url, form_data(
        ats_id=str(milano), alleanza_id=str(factory.alleanza("MI", 1).id),
        lead_organisation_name="Comune di Milano", contact_id=str(world.admin.id)))
    assert response.status_code == 302
    with app.app_context():
        practice = db.session.scalar(select(Practice))
        assert (practice.ats_id, practice.lead_organisation_id) == (milano, lead.id)
