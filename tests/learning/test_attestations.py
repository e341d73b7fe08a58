"""Learning attestations: completing a path issues one, its holder prints it or downloads the
PDF (the same text, Italian or English), nobody else sees it (admins do), and anyone checks its
code at /verifica without signing in, seeing name, path, date and hours only."""
from __future__ import annotations

import importlib.util
import json
import re
from io import BytesIO
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from pypdf import PdfReader
from sqlalchemy import delete, func, select

from cop.auth.models import User
from cop.extensions import db
from cop.learning import services
from cop.learning.models import Attestation, LearningPath, PathCompletion
from tests.conftest import Client
from tests.learning.helpers import Paths

CODE = re.compile(r"\b([2-9A-HJKMNP-Z]{4})-([2-9A-HJKMNP-Z]{4})-([2-9A-HJKMNP-Z]{4})\b")


def _text(response) -> str:
    return response.get_data(as_text=True)


def _complete(app, client, path_id) -> None:
    for module_id in Paths(app).module_ids(path_id):
        client.post(f"/formazione/moduli/{module_id}/completato", {})


def _attestation(app, user_id) -> Attestation:
    with app.app_context():
        found = db.session.scalar(select(Attestation).where(Attestation.user_id == user_id))
        assert found is not None
        db.session.expunge(found)
        return found


def _pdf_text(response) -> str:
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    reader = PdfReader(BytesIO(response.data))
    assert len(reader.pages) == 1
    return " ".join(reader.pages[0].extract_text().split())


def _path_with_hours(app, client, world, hours="1,5", **kwargs) -> int:
    """A path written by the coordinator, whose recognised hours are set through the form."""
    path_id = Paths(app).make(world.reserved.slug, world.coordinator.id, **kwargs)
    client.login(world.coordinator.email)
    response = client.post(f"/formazione/percorsi/{path_id}/modifica", {
        "title": "Lavoro agile in pratica", "summary": "Un percorso.", "hours": hours})
    assert response.status_code == 302
    client.logout()
    return path_id


def test_completing_a_path_issues_an_attestation_to_print_and_download(client, world, app):
    path_id = _path_with_hours(app, client, world)
    client.login(world.member.email)
    page = _text(client.get(f"/formazione/percorsi/{path_id}"))
    assert "Il tuo attestato" not in page
    _complete(app, client, path_id)

    issued = _attestation(app, world.member.id)
    assert len(issued.code) == 12 and set(issued.code) <= set(services.CODE_ALPHABET)
    assert (issued.path_title, issued.minutes, issued.path_id) == (
        "Lavoro agile in pratica", 90, path_id)
    shown = services.format_code(issued.code)

    # found from the path, from «la mia formazione» and from the record of lifelong learning
    page = _text(client.get(f"/formazione/percorsi/{path_id}"))
    assert f'href="/formazione/attestati/{issued.id}"' in page
    assert f'href="/formazione/attestati/{issued.id}/pdf"' in page
    assert f'href="/formazione/attestati/{issued.id}"' in _text(client.get("/formazione/attestati"))
    record = _text(client.get("/profilo/formazione"))
    assert f'href="/formazione/attestati/{issued.id}"' in record
    assert 'href="/formazione/attestati"' in record

    page = _text(client.get(f"/formazione/attestati/{issued.id}"))
    assert 'css/attestation.css' in page
    document = page[page.index('<article class="cop-attestation"'):page.index("</article>")]
    # the day in Italy, as the page shows it (at 23:30 UTC it is already tomorrow in Rome)
    day = issued.completed_at.astimezone(ZoneInfo(app.config["BABEL_DEFAULT_TIMEZONE"])).day
    for expected in ("Regione Lombardia · Reti Territoriali di Conciliazione",
                     "Attestato di formazione", "Membro Alleanza", "Lavoro agile in pratica",
                     "Ore di formazione", "1,5", shown, f"http://localhost/verifica/{shown}"):
        assert expected in document, expected
    assert re.search(rf"il {day} \w+ \d{{4}}", document)
    assert world.member.email not in page

    response = client.get(f"/formazione/attestati/{issued.id}/pdf")
    assert response.headers["Content-Disposition"] == \
        f'attachment; filename="attestato-{issued.code}.pdf"'
    fonts = PdfReader(BytesIO(response.data)).pages[0]["/Resources"]["/Font"]
    assert all("DejaVuSans" in f.get_object()["/BaseFont"] for f in fonts.values())
    pdf = _pdf_text(response)
    for expected in ("Regione Lombardia · Reti Territoriali di Conciliazione",
                     "Attestato di formazione", "Nome e cognome Membro Alleanza",
                     "Percorso formativo Lavoro agile in pratica", "Ore di formazione 1,5",
                     f"Codice di verifica {shown}", f"http://localhost/verifica/{shown}"):
        assert expected in pdf, (expected, pdf)
    assert world.member.email not in pdf

    # in English for whom reads in English
    client.post("/lingua", {"lang": "en"})
    page = _text(client.get(f"/formazione/attestati/{issued.id}"))
    assert "Certificate of training" in page and "Training hours" in page and "1.5" in page
    pdf = _pdf_text(client.get(f"/formazione/attestati/{issued.id}/pdf"))
    assert "Certificate of training" in pdf and "Training hours 1.5" in pdf
    assert f"Verification code {shown}" in pdf


def test_hours_default_to_the_modules_time_and_are_kept_as_issued(client, world, app):
    paths = Paths(app)
    path_id = paths.make(world.reserved.slug, world.coordinator.id, modules=3)  # 3 x 15 min
    client.login(world.coordinator.email)
    page = _text(client.get(f"/formazione/percorsi/{path_id}"))
    assert "riporta come ore di formazione la somma dei tempi stimati dei moduli: 0,75" in page
    client.logout()
    client.login(world.member.email)
    _complete(app, client, path_id)
    issued = _attestation(app, world.member.id)
    assert issued.minutes == 45

    # the path changes, is withdrawn, then deleted: the attestation says what was completed
    client.logout()
    client.login(world.coordinator.email)
    client.post(f"/formazione/percorsi/{path_id}/modifica",
                {"title": "Un altro titolo", "summary": "", "hours": "8"})
    client.post(f"/formazione/percorsi/{path_id}/ritira", {})
    anonymous = Client(app)
    shown = services.format_code(issued.code)
    page = _text(anonymous.get(f"/verifica/{shown}"))
    assert "Lavoro agile in pratica" in page and "0,75" in page and "Un altro titolo" not in page
    client.post(f"/formazione/percorsi/{path_id}/elimina", {})
    with app.app_context():
        assert db.session.get(LearningPath, path_id) is None
        kept = db.session.get(Attestation, issued.id)
        assert (kept.path_id, kept.completion_id) == (None, None)
    assert anonymous.get(f"/verifica/{shown}").status_code == 200
    client.logout()
    client.login(world.member.email)
    assert "Lavoro agile in pratica" in _text(client.get(f"/formazione/attestati/{issued.id}"))


def test_bad_hours_are_explained_beside_the_field_and_kept(client, world, app):
    path_id = Paths(app).make(world.reserved.slug, world.coordinator.id, modules=1)
    client.login(world.coordinator.email)
    for typed, message in (("due ore", "Scrivi un numero di ore, per esempio 2 oppure 1,5."),
                           ("0", "Indica da 0,25 a 500 ore, oppure lascia vuoto."),
                           ("501", "Indica da 0,25 a 500 ore, oppure lascia vuoto."),
                           ("1,255", "Scrivi un numero di ore, per esempio 2 oppure 1,5."),
                           ("<b>2</b>", "Scrivi un numero di ore, per esempio 2 oppure 1,5.")):
        response = client.post(f"/formazione/percorsi/{path_id}/modifica",
                               {"title": "Lavoro agile", "summary": "", "hours": typed})
        page = _text(response)
        assert response.status_code == 400, typed
        assert re.search(r'id="hours-error"[^>]*>\s*<p[^>]*>.*' + re.escape(message), page), typed
        assert 'aria-invalid="true"' in page
        assert "<b>2</b>" not in page
    assert _text(client.get(f"/formazione/percorsi/{path_id}/modifica")).count('value=""') >= 1
    response = client.post(f"/formazione/percorsi/{path_id}/modifica",
                           {"title": "Lavoro agile", "summary": "", "hours": " 2.25 "})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(LearningPath, path_id).duration_minutes == 135
    assert 'value="2,25"' in _text(client.get(f"/formazione/percorsi/{path_id}/modifica"))

    # a new path takes its hours from the same field
    response = client.post(f"/spazi/{world.reserved.slug}/formazione/nuovo",
                           {"title": "Conciliare in azienda", "summary": "", "hours": "4"})
    assert response.status_code == 302
    with app.app_context():
        created = db.session.scalar(select(LearningPath).where(
            LearningPath.title == "Conciliare in azienda"))
        assert created.duration_minutes == 240
    page = _text(client.get(response.headers["Location"]))
    assert "ore di formazione riconosciute: 4" in page
    assert "riporta le ore di formazione che avete indicato: 4." in page


def test_only_the_holder_and_admins_see_an_attestation(client, world, app):
    path_id = Paths(app).make(world.reserved.slug, world.coordinator.id, modules=1)
    client.login(world.member.email)
    _complete(app, client, path_id)
    issued = _attestation(app, world.member.id)
    urls = (f"/formazione/attestati/{issued.id}", f"/formazione/attestati/{issued.id}/pdf")
    for url in urls:
        assert client.get(url).status_code == 200
    for actor in ("coordinator", "outsider", "referent"):  # the path's coordinator too
        other = Client(app)
        other.login(getattr(world, actor).email)
        for url in urls:
            assert other.get(url).status_code == 404, (actor, url)
        assert "Lavoro agile" not in _text(other.get("/formazione/attestati"))
    admin = Client(app)
    admin.login(world.admin.email)
    page = _text(admin.get(urls[0]))
    assert "Stai vedendo l'attestato di Membro Alleanza come amministratore." in page
    assert "Membro Alleanza" in _pdf_text(admin.get(urls[1]))
    anonymous = Client(app).get(urls[0])
    assert anonymous.status_code == 302 and "/accedi" in anonymous.headers["Location"]
    assert client.get("/formazione/attestati/999999").status_code == 404


def test_anyone_checks_a_code_and_sees_name_path_date_and_hours_only(client, world, app):
    path_id = _path_with_hours(app, client, world, hours="3")
    client.login(world.member.email)
    _complete(app, client, path_id)
    issued = _attestation(app, world.member.id)
    shown = services.format_code(issued.code)
    with app.app_context():
        member = db.session.get(User, world.member.id)
        organisation = member.organisation.name

    anonymous = Client(app)
    page = _text(anonymous.get("/verifica"))
    assert '<label class="form-label cop-label" for="codice">Codice di verifica</label>' in page
    for typed in (shown, issued.code.lower(), f"  {shown.lower()} ", issued.code):
        response = anonymous.get("/verifica", query_string={"codice": typed})
        assert response.status_code == 302, typed
        assert response.headers["Location"] == f"/verifica/{shown}"
    response = anonymous.get(f"/verifica/{shown}")
    assert response.status_code == 200
    assert response.headers["X-Robots-Tag"] == "noindex, nofollow"
    page = _text(response)
    main = page[page.index('<main'):page.index('</main>')]
    verified = re.findall(r"<dt>(.*?)</dt><dd>(.*?)</dd>", main)
    date = re.search(r"\d{1,2} \w+ \d{4}", verified[2][1]).group(0)
    assert verified == [("Nome e cognome", "Membro Alleanza"),
                        ("Percorso formativo", "Lavoro agile in pratica"),
                        ("Data di completamento", date), ("Ore di formazione", "3")]
    for private in (world.member.email, organisation, "Alleanza Bergamo 1", "alleanza-bergamo-1",
                    f"/formazione/percorsi/{path_id}", f"/persone/{world.member.id}"):
        assert private not in page, private
    assert anonymous.get(f"/verifica/{issued.code.lower()}").status_code == 200

    # a deactivated account's attestation stays valid; a deleted account's is gone
    with app.app_context():
        db.session.get(User, world.member.id).active = False
        db.session.commit()
    assert anonymous.get(f"/verifica/{shown}").status_code == 200


@pytest.mark.parametrize("code", [
    "ABCD-EFGH-JKMN",  # well formed, issued to nobody
    "<script>alert(1)</script>",
    "A" * 5000,
    "ABCD\x00EFGH\x1bJKMN",
    "ABCD\x07EFGH\u202eJKMN\x7f",
    "ABCD-EFGH-JKM%E2%80%AE",
    "../../etc/passwd",
    "ÀBCD-ÉFGH-JKMN",
    "ß" * 6,
])
def test_unknown_or_hostile_codes_get_a_clear_404(app, code):
    anonymous = Client(app)
    typed = anonymous.get("/verifica", query_string={"codice": code})
    if "\x00" in code:  # a NUL in a query is refused before any view (cop/security.py)
        assert typed.status_code == 400
        typed = anonymous.get("/verifica", query_string={"codice": code.replace("\x00", "")})
    for response in (anonymous.get(f"/verifica/{code}"), typed):
        assert response.status_code == 404
        page = _text(response)
        assert "Nessun attestato con questo codice" in page
        # (the header's language switch echoes the URL, escaped: a matter of base.html)
        main = page[page.index("<main"):page.index("</main>")]
        assert "<script>alert" not in page
        assert "\x00" not in main and "\x1b" not in main and "A" * 100 not in main
    response = anonymous.get("/verifica", query_string={"codice": "   "})
    assert response.status_code == 400 and "Scrivi il codice dell'attestato." in _text(response)


def test_checks_are_rate_limited_per_address(make_app):
    app = make_app(ATTESTATION_CHECK_RATE_LIMIT="3 per minute")
    anonymous = Client(app)
    for _ in range(5):
        assert anonymous.get("/verifica").status_code == 200  # the empty form does not count
    answers = [anonymous.get("/verifica/ABCD-EFGH-JKMN").status_code,
               anonymous.get("/verifica", query_string={"codice": "ABCD-EFGH-JKMP"}).status_code,
               anonymous.get("/verifica/ABCD-EFGH-JKMQ").status_code,
               anonymous.get("/verifica/ABCD-EFGH-JKMR").status_code,
               anonymous.get("/verifica", query_string={"codice": "X"}).status_code]
    assert answers == [404, 404, 404, 429, 429]
    assert "Troppi tentativi" in _text(anonymous.get("/verifica/ABCD-EFGH-JKMS"))


def test_the_export_has_the_attestations_and_deleting_the_account_takes_them(
        client, world, app):
    from tests.conftest import TEST_PASSWORD

    path_id = _path_with_hours(app, client, world, hours="2")
    client.login(world.member.email)
    _complete(app, client, path_id)
    issued = _attestation(app, world.member.id)
    exported = json.loads(client.get("/profilo/dati.json").data)["learning_paths"]
    [attestation] = exported["attestations"]
    assert attestation["path"] == "Lavoro agile in pratica"
    assert attestation["code"] == services.format_code(issued.code)
    assert attestation["minutes"] == 120 and attestation["completed_at"]
    response = client.post("/profilo/elimina", {"password": TEST_PASSWORD, "confirm": "y"})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.scalar(select(func.count(Attestation.id))) == 0
    assert Client(app).get(f"/verifica/{issued.code}").status_code == 404


def test_the_migration_issues_attestations_for_completions_already_recorded(
        client, world, app):
    from alembic.migration import MigrationContext
    from alembic.operations import Operations

    paths = Paths(app)
    first = paths.make(world.reserved.slug, world.coordinator.id, modules=2)
    second = paths.make(world.regional.slug, world.coordinator.id, title="Secondo", modules=1)
    client.login(world.member.email)
    _complete(app, client, first)
    _complete(app, client, second)
    file = Path(__file__).parents[2] / "migrations/versions/0020_learning_attestations.py"
    spec = importlib.util.spec_from_file_location("migration_0020", file)
    migration = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(migration)
    with app.app_context():
        db.session.execute(delete(Attestation))  # as before the migration
        connection = db.session.connection()
        with Operations.context(MigrationContext.configure(connection)):
            migration._issue_for_existing_completions()
        db.session.commit()
        rows = db.session.execute(
            select(Attestation, PathCompletion).join(
                PathCompletion, PathCompletion.id == Attestation.completion_id)
            .order_by(Attestation.path_title)).all()
        assert [(a.path_title, a.minutes, a.user_id, a.path_id) for a, _c in rows] == [
            ("Lavoro agile in pratica", 30, world.member.id, first),
            ("Secondo", 15, world.member.id, second)]
        assert all(a.completed_at == a.issued_at == c.completed_at for a, c in rows)
        codes = {a.code for a, _c in rows}
        assert len(codes) == 2 and all(services.normalise_code(c) == c for c in codes)
        shown = services.format_code(rows[0][0].code)
    assert Client(app).get(f"/verifica/{shown}").status_code == 200


def test_attestation_pages_run_a_constant_number_of_statements(client, world, app,
                                                                count_queries):
    paths = Paths(app)
    client.login(world.member.email)

    def measure():
        client.get("/formazione/attestati")
        counts = {}
        for name, url in (("list", "/formazione/attestati"),
                          ("page", f"/formazione/attestati/{latest()}"),
                          ("pdf", f"/formazione/attestati/{latest()}/pdf")):
            with count_queries() as statements:
                assert client.get(url).status_code == 200
            counts[name] = len(statements)
        with count_queries() as statements:
            assert Client(app).get(f"/verifica/{latest_code()}").status_code == 200
        counts["check"] = len(statements)
        return counts

    def latest():
        return _latest(app).id

    def latest_code():
        return _latest(app).code

    _complete(app, client, paths.make(world.reserved.slug, world.coordinator.id, modules=1))
    small = measure()
    for n in range(4):
        _complete(app, client, paths.make(world.reserved.slug, world.coordinator.id,
                                          title=f"Percorso {n}", modules=2))
    assert measure() == small
    assert small["check"] <= 3, small


def _latest(app) -> Attestation:
    with app.app_context():
        found = db.session.scalar(select(Attestation).order_by(Attestation.id.desc()))
        db.session.expunge(found)
        return found


def test_without_the_dejavu_fonts_the_pdf_falls_back_to_latin_1(make_app, world, factory):
    """An installation without fonts-dejavu-core still gives a PDF: Helvetica, typographic
    quotes as plain ones, a character beyond Latin-1 as «?»."""
    app = make_app(ATTESTATION_FONT_DIR="/nonexistent")
    holder = factory.user(name="Łucja D’Amico")
    factory.member(world.reserved, holder, "membro")
    path_id = Paths(app).make(world.reserved.slug, world.coordinator.id, modules=1,
                              title="Il caso dell’Alleanza «Bergamo»")
    client = Client(app)
    client.login(holder.email)
    _complete(app, client, path_id)
    issued = _attestation(app, holder.id)
    response = client.get(f"/formazione/attestati/{issued.id}/pdf")
    text = _pdf_text(response)
    assert "?ucja D'Amico" in text and "Il caso dell'Alleanza «Bergamo»" in text
    assert services.format_code(issued.code) in text
    fonts = PdfReader(BytesIO(response.data)).pages[0]["/Resources"]["/Font"]
    assert {f.get_object()["/BaseFont"] for f in fonts.values()} <= {"/Helvetica",
                                                                     "/Helvetica-Bold"}
