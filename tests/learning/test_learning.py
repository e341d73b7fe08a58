"""Learning paths through the pages: a coordinator writes and publishes a path, members take
it and complete it (one entry in their record of lifelong learning), reserved spaces stay
hidden, bad input is explained, the regional page lists paths and training meetings."""
from __future__ import annotations

import json
import re
from datetime import timedelta
from io import BytesIO

from sqlalchemy import func, select

from cop.database import utcnow
from cop.directory.models import LearningRecord
from cop.extensions import db
from cop.files.models import Attachment
from cop.learning.models import (
    LearningModule,
    LearningPath,
    LearningProgress,
    PathCompletion,
)
from tests.learning.helpers import PDF, Paths
from tests.meetings.helpers import Meetings


def _path(app, path_id=None) -> LearningPath:
    with app.app_context():
        query = select(LearningPath).order_by(LearningPath.id)
        if path_id is not None:
            query = query.where(LearningPath.id == path_id)
        path = db.session.scalar(query)
        db.session.expunge(path)
        return path


def _text(response) -> str:
    return response.get_data(as_text=True)


def test_a_coordinator_writes_and_publishes_a_path(client, world, app):
    client.login(world.coordinator.email)
    page = _text(client.get(f"/spazi/{world.reserved.slug}/formazione"))
    assert "Nuovo percorso" in page and "Nessun percorso di formazione in questo spazio." in page
    response = client.post(f"/spazi/{world.reserved.slug}/formazione/nuovo", {
        "title": "Conciliazione in azienda", "summary": "Tre passi **concreti**."})
    assert response.status_code == 302
    path = _path(app)
    assert path.status == "bozza" and path.module_count == 0
    assert path.summary_html == "<p>Tre passi <strong>concreti</strong>.</p>"
    # nothing to publish yet
    client.post(f"/formazione/percorsi/{path.id}/pubblica", {})
    assert _path(app, path.id).status == "bozza"
    assert "Aggiungi almeno un modulo prima di pubblicare il percorso." in _text(
        client.get(f"/formazione/percorsi/{path.id}"))

    assert client.post(f"/formazione/percorsi/{path.id}/moduli/nuovo", {
        "kind": "video", "title": "Che cos'è la conciliazione", "minutes": "8",
        "url": "https://video.esempio.it/lezione-1", "description": "Una lezione *breve*.",
    }).status_code == 302
    assert client.post(f"/formazione/percorsi/{path.id}/moduli/nuovo", {
        "kind": "dispensa", "title": "Il modello di accordo", "minutes": "20",
        "files": (BytesIO(PDF), "accordo.pdf"),
    }, content_type="multipart/form-data").status_code == 302
    assert client.post(f"/formazione/percorsi/{path.id}/moduli/nuovo", {
        "kind": "lettura", "title": "Un caso di Bergamo", "body": "Il **caso** dell'Alleanza.",
    }).status_code == 302
    path = _path(app, path.id)
    assert path.module_count == 3
    with app.app_context():
        modules = db.session.scalars(select(LearningModule).order_by(
            LearningModule.position)).all()
        assert [(m.position, m.kind) for m in modules] == [
            (1, "video"), (2, "dispensa"), (3, "lettura")]
        assert modules[1].attachment_count == 1
        assert modules[2].body_html == "<p>Il <strong>caso</strong> dell'Alleanza.</p>"
        attachment = db.session.scalar(select(Attachment))
        assert (attachment.owner_type, attachment.owner_id) == ("learning_module", modules[1].id)
        ids = [m.id for m in modules]
    # reorder: the reading up one place, then the video down
    client.post(f"/formazione/moduli/{ids[2]}/sposta", {"direction": "su"})
    client.post(f"/formazione/moduli/{ids[0]}/sposta", {"direction": "giu"})
    with app.app_context():
        assert list(db.session.scalars(select(LearningModule.id).order_by(
            LearningModule.position))) == [ids[2], ids[0], ids[1]]
    page = _text(client.get(f"/formazione/percorsi/{path.id}"))
    assert page.index("Un caso di Bergamo") < page.index("Che cos&#39;è la conciliazione") \
        < page.index("Il modello di accordo")
    assert "Pubblica il percorso" in page and "Bozza" in page

    client.post(f"/formazione/percorsi/{path.id}/pubblica", {})
    path = _path(app, path.id)
    assert path.status == "pubblicato" and path.published_at is not None
    # edit keeps what is typed on error, then saves
    page = _text(client.post(f"/formazione/percorsi/{path.id}/modifica", {
        "title": "", "summary": "Nuova presentazione"}))
    assert "Scrivi il titolo del percorso." in page and "Nuova presentazione" in page
    client.post(f"/formazione/percorsi/{path.id}/modifica", {
        "title": "Conciliazione in azienda: i fondamentali", "summary": "Nuova"})
    assert _path(app, path.id).title == "Conciliazione in azienda: i fondamentali"
    # remove a module: numbering and counter follow
    client.post(f"/formazione/moduli/{ids[0]}/elimina", {})
    with app.app_context():
        assert [(m.id, m.position) for m in db.session.scalars(
            select(LearningModule).order_by(LearningModule.position))] == [
            (ids[2], 1), (ids[1], 2)]
    assert _path(app, path.id).module_count == 2


def test_a_member_may_not_manage_paths(client, world, app):
    path_id = Paths(app).make(world.reserved.slug, world.coordinator.id)
    module_id = Paths(app).module_ids(path_id)[0]
    client.login(world.member.email)
    assert client.get(f"/spazi/{world.reserved.slug}/formazione/nuovo").status_code == 403
    assert client.post(f"/spazi/{world.reserved.slug}/formazione/nuovo",
                       {"title": "Un mio percorso"}).status_code == 403
    assert client.get(f"/formazione/percorsi/{path_id}/modifica").status_code == 403
    assert client.post(f"/formazione/percorsi/{path_id}/ritira", {}).status_code == 403
    assert client.post(f"/formazione/moduli/{module_id}/elimina", {}).status_code == 403
    assert client.post(f"/formazione/moduli/{module_id}/sposta",
                       {"direction": "giu"}).status_code == 403
    page = _text(client.get(f"/formazione/percorsi/{path_id}"))
    assert "Segna come completato" in page and "Gestione del percorso" not in page
    assert "Nuovo percorso" not in _text(client.get(f"/spazi/{world.reserved.slug}/formazione"))
    with app.app_context():
        assert db.session.scalar(select(func.count(LearningPath.id))) == 1
        assert db.session.scalar(select(func.count(LearningModule.id))) == 3
    # the ATS referent manages the Alleanza's space, and so its paths
    client.logout()
    client.login(world.referent.email)
    assert client.get(f"/formazione/percorsi/{path_id}/modifica").status_code == 200


def test_drafts_show_only_to_those_who_manage(client, world, app):
    draft = Paths(app).make(world.reserved.slug, world.coordinator.id, title="Bozza segreta",
                            publish=False)
    client.login(world.member.email)
    assert client.get(f"/formazione/percorsi/{draft}").status_code == 404
    module_id = Paths(app).module_ids(draft)[0]
    assert client.get(f"/formazione/moduli/{module_id}").status_code == 404
    assert "Bozza segreta" not in _text(client.get("/formazione/"))
    assert "Bozza segreta" not in _text(client.get(f"/spazi/{world.reserved.slug}/formazione"))
    client.logout()
    client.login(world.coordinator.email)
    page = _text(client.get(f"/spazi/{world.reserved.slug}/formazione"))
    assert "Bozza segreta" in page and "Bozza" in page
    # a manager previewing a draft cannot mark it done
    assert "Segna come completato" not in _text(client.get(f"/formazione/moduli/{module_id}"))
    assert client.post(f"/formazione/moduli/{module_id}/completato", {}).status_code == 403


def test_an_outsider_finds_nothing_of_a_reserved_space(client, world, app):
    paths = Paths(app)
    path_id = paths.make(world.reserved.slug, world.coordinator.id, title="Percorso riservato",
                         handout=True)
    open_id = paths.make(world.regional.slug, world.coordinator.id, title="Percorso aperto")
    module_id = paths.module_ids(path_id)[0]
    with app.app_context():
        attachment = db.session.scalar(select(Attachment))
        download = f"/allegati/{attachment.id}/{attachment.filename}"
    client.login(world.member.email)
    assert client.get(download).status_code == 200
    client.logout()

    client.login(world.outsider.email)
    assert client.get(f"/formazione/percorsi/{path_id}").status_code == 404
    assert client.get(f"/formazione/moduli/{module_id}").status_code == 404
    assert client.get(download).status_code == 404
    assert client.get(f"/spazi/{world.reserved.slug}/formazione").status_code == 404
    assert client.post(f"/formazione/moduli/{module_id}/completato", {}).status_code == 404
    page = _text(client.get("/formazione/"))
    assert "Percorso aperto" in page and "Percorso riservato" not in page
    assert "Alleanza Bergamo 1" not in page
    # a regional space's path: everybody signed in takes it
    assert client.get(f"/formazione/percorsi/{open_id}").status_code == 200
    with app.app_context():
        assert db.session.scalar(select(func.count(LearningProgress.id))) == 0


def test_progress_and_completion_write_one_learning_record(client, world, app):
    paths = Paths(app)
    path_id = paths.make(world.reserved.slug, world.coordinator.id, modules=3)
    first, second, third = paths.module_ids(path_id)
    client.login(world.member.email)
    page = _text(client.get("/formazione/"))
    assert "Lavoro agile in pratica" in page and "0 di 3 moduli" in page

    client.post(f"/formazione/moduli/{first}/completato", {})
    client.post(f"/formazione/moduli/{first}/completato", {})  # twice: still one row
    page = _text(client.get(f"/formazione/percorsi/{path_id}"))
    assert "1 di 3 moduli" in page
    assert re.search(r'<progress[^>]*max="3" value="1"', page)
    assert "1 di 3 moduli" in _text(client.get("/formazione/"))
    client.post(f"/formazione/moduli/{second}/completato", {"da": "percorso"})
    response = client.post(f"/formazione/moduli/{third}/completato", {})
    assert response.headers["Location"].endswith(f"/formazione/moduli/{third}")
    page = _text(client.get(response.headers["Location"]))
    assert "Complimenti: hai completato il percorso «Lavoro agile in pratica»" in page
    assert "3 di 3 moduli" in page and "Hai completato il percorso il" in page
    with app.app_context():
        records = db.session.scalars(select(LearningRecord)).all()
        assert [(r.user_id, r.title, r.kind, r.provider) for r in records] == [
            (world.member.id, "Lavoro agile in pratica", "corso",
             "Percorso della piattaforma · Alleanza Bergamo 1")]
        assert records[0].year == utcnow().year or records[0].year == utcnow().year + 1
        completion = db.session.scalar(select(PathCompletion))
        assert completion.learning_record_id == records[0].id
        rows = db.session.scalars(select(LearningProgress)).all()
        assert len(rows) == 3 and all(r.completed_at and r.path_id == path_id for r in rows)
    assert _path(app, path_id).completion_count == 1

    # unmarking keeps the completion and the record; marking again writes nothing new
    client.post(f"/formazione/moduli/{third}/da-fare", {})
    page = _text(client.get(f"/formazione/percorsi/{path_id}"))
    assert "2 di 3 moduli" in page and "Hai completato questo percorso il" in page
    client.post(f"/formazione/moduli/{third}/completato", {})
    with app.app_context():
        assert db.session.scalar(select(func.count(LearningRecord.id))) == 1
        assert db.session.scalar(select(func.count(PathCompletion.id))) == 1
    assert _path(app, path_id).completion_count == 1

    record_page = _text(client.get("/profilo/formazione"))
    assert "Lavoro agile in pratica" in record_page
    assert "percorso completato sulla piattaforma" in record_page
    assert f'href="/formazione/percorsi/{path_id}"' in record_page

    # the export carries the progress; another person's progress is theirs alone
    exported = json.loads(client.get("/profilo/dati.json").data)["learning_paths"]
    assert [p["path"] for p in exported["paths_completed"]] == ["Lavoro agile in pratica"]
    assert len(exported["modules_done"]) == 3
    client.logout()
    client.login(world.coordinator.email)
    assert "0 di 3 moduli" in _text(client.get(f"/formazione/percorsi/{path_id}"))


def test_a_record_deleted_by_its_owner_is_not_written_again(client, world, app):
    paths = Paths(app)
    path_id = paths.make(world.reserved.slug, world.coordinator.id, modules=1)
    [only] = paths.module_ids(path_id)
    client.login(world.member.email)
    client.post(f"/formazione/moduli/{only}/completato", {})
    with app.app_context():
        record_id = db.session.scalar(select(LearningRecord.id))
    client.post(f"/profilo/formazione/{record_id}/elimina", {})
    client.post(f"/formazione/moduli/{only}/da-fare", {})
    client.post(f"/formazione/moduli/{only}/completato", {})
    with app.app_context():
        assert db.session.scalar(select(func.count(LearningRecord.id))) == 0
        assert db.session.scalar(select(PathCompletion.learning_record_id)) is None


def test_bad_input_is_explained_and_kept(client, world, app):
    path_id = Paths(app).make(world.reserved.slug, world.coordinator.id, publish=False,
                              modules=0)
    client.login(world.coordinator.email)
    new = f"/formazione/percorsi/{path_id}/moduli/nuovo"
    response = client.post(f"/spazi/{world.reserved.slug}/formazione/nuovo", {
        "title": "  ", "summary": "Testo da non perdere"})
    assert response.status_code == 400
    page = _text(response)
    assert "Scrivi il titolo del percorso." in page and "Testo da non perdere" in page

    response = client.post(new, {"kind": "video", "title": "Lezione uno",
                                 "url": "javascript:alert(1)", "minutes": "5"})
    page = _text(response)
    assert response.status_code == 400
    assert "Scrivi un indirizzo web completo, che inizia con https://." in page
    assert 'value="Lezione uno"' in page and 'value="javascript:alert(1)"' in page
    page = _text(client.post(new, {"kind": "video", "title": "Lezione uno", "url": ""}))
    assert "Per una videolezione serve il link al video." in page
    page = _text(client.post(new, {"kind": "lettura", "title": "", "body": "Un testo"}))
    assert "Scrivi il titolo del modulo." in page and "Un testo" in page
    page = _text(client.post(new, {"kind": "lettura", "title": "Lettura vuota"}))
    assert "Per una lettura scrivi il testo o indica il link." in page
    page = _text(client.post(new, {"kind": "dispensa", "title": "Dispensa senza file"}))
    assert "Per una dispensa carica almeno un file." in page
    page = _text(client.post(new, {"kind": "lettura", "title": "Troppo lunga", "body": "x",
                                   "minutes": "9999"}))
    assert "Da 1 a 600 minuti." in page
    response = client.post(new, {"kind": "dispensa", "title": "Un eseguibile",
                                 "files": (BytesIO(b"MZ\x90\x00"), "programma.exe")},
                           content_type="multipart/form-data")
    assert response.status_code == 400 and 'value="Un eseguibile"' in _text(response)
    with app.app_context():
        assert db.session.scalar(select(func.count(LearningModule.id))) == 0
        assert db.session.scalar(select(func.count(Attachment.id))) == 0
    assert _path(app, path_id).module_count == 0


def test_the_regional_page_lists_training_meetings_one_may_see(client, world, app, factory):
    meetings = Meetings(app)
    soon = utcnow().replace(microsecond=0) + timedelta(days=10)
    from cop.meetings.models import Meeting

    visible = meetings.make(world.regional.slug, world.coordinator.id,
                            title="Formazione sul lavoro agile", starts=soon)
    hidden = meetings.make(world.reserved.slug, world.coordinator.id,
                           title="Formazione riservata dell'Alleanza", starts=soon)
    later = meetings.make(world.regional.slug, world.coordinator.id,
                          title="Formazione fra tre mesi", starts=soon + timedelta(days=80))
    other = meetings.make(world.regional.slug, world.coordinator.id,
                          title="Plenaria di primavera", starts=soon)
    with app.app_context():
        for meeting_id in (visible, hidden, later):
            db.session.get(Meeting, meeting_id).kind = "formazione"
        db.session.get(Meeting, other).kind = "plenaria"
        db.session.commit()
    client.login(world.outsider.email)
    page = _text(client.get("/formazione/"))
    assert "Prossimi incontri di formazione" in page
    assert "Formazione sul lavoro agile" in page
    assert "Formazione riservata dell" not in page
    assert "Formazione fra tre mesi" not in page and "Plenaria di primavera" not in page
    client.logout()
    client.login(world.member.email)
    assert "Formazione riservata dell&#39;Alleanza" in _text(client.get("/formazione/"))


def test_the_kind_formazione_is_offered_when_planning(client, world):
    client.login(world.coordinator.email)
    page = _text(client.get(f"/spazi/{world.reserved.slug}/incontri/nuovo"))
    assert '<option value="formazione">Formazione</option>' in page


def test_regional_page_filters_by_space_and_the_space_home_has_a_panel(client, world, app):
    paths = Paths(app)
    paths.make(world.reserved.slug, world.coordinator.id, title="Percorso dell'Alleanza")
    paths.make(world.regional.slug, world.coordinator.id, title="Percorso regionale")
    client.login(world.member.email)
    page = _text(client.get("/formazione/"))
    assert "Percorso dell&#39;Alleanza" in page and "Percorso regionale" in page
    page = _text(client.get(f"/formazione/?spazio={world.regional.slug}"))
    assert "Percorso regionale" in page and "Percorso dell&#39;Alleanza" not in page
    home = _text(client.get(f"/spazi/{world.reserved.slug}/"))
    assert 'id="panel-learning-title"' in home and "Percorso dell&#39;Alleanza" in home
    assert f'href="/spazi/{world.reserved.slug}/formazione"' in home


def test_a_handout_is_downloaded_and_a_file_removed(client, world, app):
    path_id = Paths(app).make(world.reserved.slug, world.coordinator.id, handout=True)
    module_id = Paths(app).module_ids(path_id)[0]
    client.login(world.member.email)
    page = _text(client.get(f"/formazione/moduli/{module_id}"))
    link = re.search(r'href="(/allegati/\d+/dispensa.pdf)"', page).group(1)
    assert client.get(link).data == PDF
    client.logout()
    client.login(world.coordinator.email)
    with app.app_context():
        file_id = db.session.scalar(select(Attachment.id))
    # the only file of a handout stays until another is uploaded
    client.post(f"/formazione/moduli/{module_id}/file/{file_id}/elimina", {})
    with app.app_context():
        assert db.session.scalar(select(func.count(Attachment.id))) == 1
    assert client.post(f"/formazione/moduli/{module_id}/modifica", {
        "kind": "dispensa", "title": "La dispensa", "files": (BytesIO(PDF), "seconda.pdf")},
        content_type="multipart/form-data").status_code == 302
    client.post(f"/formazione/moduli/{module_id}/file/{file_id}/elimina", {})
    with app.app_context():
        names = db.session.scalars(select(Attachment.filename)).all()
        assert names == ["seconda.pdf"]
        assert db.session.get(LearningModule, module_id).attachment_count == 1


def test_deleting_a_path_keeps_the_records_people_earned(client, world, app):
    paths = Paths(app)
    path_id = paths.make(world.reserved.slug, world.coordinator.id, modules=1, handout=True)
    [only] = paths.module_ids(path_id)
    client.login(world.member.email)
    client.post(f"/formazione/moduli/{only}/completato", {})
    client.logout()
    client.login(world.coordinator.email)
    response = client.post(f"/formazione/percorsi/{path_id}/elimina", {})
    assert response.headers["Location"].endswith(f"/spazi/{world.reserved.slug}/formazione")
    with app.app_context():
        assert db.session.scalar(select(func.count(LearningPath.id))) == 0
        assert db.session.scalar(select(func.count(Attachment.id))) == 0
        assert db.session.scalar(select(func.count(LearningProgress.id))) == 0
        assert db.session.scalar(select(func.count(LearningRecord.id))) == 1


def test_pages_run_a_constant_number_of_statements(client, world, app, factory, count_queries):
    paths = Paths(app)
    client.login(world.member.email)

    def measure(url):
        client.get(url)
        with count_queries() as statements:
            response = client.get(url)
        assert response.status_code == 200, url
        return len(statements)

    def pages(path_id):
        module_id = paths.module_ids(path_id)[-1]
        client.post(f"/formazione/moduli/{module_id}/completato", {})
        return {"regional": measure("/formazione/"),
                "space": measure(f"/spazi/{world.reserved.slug}/formazione"),
                "path": measure(f"/formazione/percorsi/{path_id}"),
                "module": measure(f"/formazione/moduli/{module_id}"),
                "record": measure("/profilo/formazione")}

    small = pages(paths.make(world.reserved.slug, world.coordinator.id, modules=1,
                             handout=True))
    for n in range(4):
        paths.make(world.reserved.slug, world.coordinator.id, title=f"Percorso {n}", modules=3)
        paths.make(world.regional.slug, world.coordinator.id, title=f"Regionale {n}", modules=2)
    large_path = paths.make(world.reserved.slug, world.coordinator.id, modules=12, handout=True)
    for module_id in paths.module_ids(large_path):
        client.post(f"/formazione/moduli/{module_id}/completato", {})
    large = pages(large_path)
    assert large == small
    assert max(large.values()) <= 12, large


def test_deleting_an_account_takes_its_progress_and_keeps_counters_true(client, world, app):
    from tests.conftest import TEST_PASSWORD

    paths = Paths(app)
    path_id = paths.make(world.reserved.slug, world.coordinator.id, modules=1)
    [only] = paths.module_ids(path_id)
    client.login(world.member.email)
    client.post(f"/formazione/moduli/{only}/completato", {})
    assert _path(app, path_id).completion_count == 1
    response = client.post("/profilo/elimina", {"password": TEST_PASSWORD, "confirm": "y"})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.scalar(select(func.count(LearningProgress.id))) == 0
        assert db.session.scalar(select(func.count(PathCompletion.id))) == 0
    assert _path(app, path_id).completion_count == 0
