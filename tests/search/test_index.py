"""The index follows every change in discussions, and searching finds, ranks, filters and hides
on SQLite and on PostgreSQL alike."""
from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import func, select, update

from cop.auth.models import User
from cop.discussions.models import Post
from cop.extensions import db
from cop.search import services
from cop.search.cli import reindex_search
from cop.search.ddl import include_object
from cop.search.models import SearchEntry


def test_accents_and_italian_stemming(disc, world):
    a = disc.thread(world.regional, world.member, "Servizi per le famiglie in città",
                    "Come favorire la conciliazione tra vita e lavoro delle lavoratrici?")
    b = disc.thread(world.regional, world.member, "Nidi aziendali a Bergamo",
                    "La citta offre pochi posti: serve conciliare orari e turni.")
    assert set(disc.found(world.member, "citta")) == {("thread", a.id), ("thread", b.id)}
    assert set(disc.found(world.member, "CITTÀ")) == {("thread", a.id), ("thread", b.id)}
    assert set(disc.found(world.member, "conciliazione")) == {("thread", a.id), ("thread", b.id)}
    assert disc.found(world.member, "lavoratore") == [("thread", a.id)]
    assert disc.found(world.member, "famiglia") == [("thread", a.id)]
    assert disc.found(world.member, "aziendali turni") == [("thread", b.id)]  # every word
    assert disc.found(world.member, "conciliazione montagna") == []


def test_only_common_words_find_nothing(disc, world):
    disc.thread(world.regional, world.member, "Della conciliazione", "Che cosa è per voi?")
    page = disc.search(world.member, "che della per")
    assert page.total == 0 and page.terms == []


def test_a_title_match_ranks_above_a_body_match(disc, world):
    body_only = disc.thread(world.regional, world.member, "Un'esperienza da raccontare",
                            "Abbiamo provato lo smart working per i genitori.")
    in_title = disc.thread(world.regional, world.member, "Smart working per i genitori",
                           "Vi racconto come lo abbiamo organizzato.")
    page = disc.search(world.member, "smart working")
    assert [h.doc_id for h in page.hits] == [in_title.id, body_only.id]
    assert page.hits[0].score > page.hits[1].score


def test_replies_are_found_with_the_thread_title(disc, world):
    thread = disc.thread(world.regional, world.member, "Banca delle ore", "Chi la usa?")
    post_id = disc.reply(thread, world.coordinator, "Noi la usiamo con i **turnisti** dal 2019.")
    page = disc.search(world.member, "turnisti")
    (hit,) = page.hits
    assert (hit.doc_type, hit.doc_id, hit.thread_id) == ("post", post_id, thread.id)
    assert hit.title == "Banca delle ore" and hit.author_name == "Coordinatrice Alleanza"
    assert str(hit.snippet_html) == "Noi la usiamo con i <mark>turnisti</mark> dal 2019."
    assert (hit.space_name, hit.space_slug) == ("Smart working", world.regional.slug)


def test_every_filter(disc, world, factory):
    other = factory.space(name="Caregiver", visibility="regionale")
    old = disc.thread(world.regional, world.member, "Welfare e orari", "Orari flessibili.",
                      kind="domanda", tags=["orari", "welfare aziendale"])
    new = disc.thread(other, world.coordinator, "Orari dei nidi", "Orari estesi.",
                      kind="proposta", tags=["nidi"])
    with disc.app.app_context():
        db.session.execute(update(SearchEntry).where(SearchEntry.doc_id == old.id).values(
            created_at=datetime(2024, 3, 10, 22, 30, tzinfo=UTC)))  # 23:30 in Rome
        db.session.commit()
    both = {("thread", old.id), ("thread", new.id)}
    assert set(disc.found(world.member, "orari")) == both
    assert disc.found(world.member, "orari", space_id=other.id) == [("thread", new.id)]
    assert disc.found(world.member, "orari", kind="domanda") == [("thread", old.id)]
    assert disc.found(world.member, "orari", tag="Welfare aziendale") == [("thread", old.id)]
    assert disc.found(world.member, "orari", tag="welfare") == []  # a whole tag, not a part
    assert disc.found(world.member, "orari", tag="#nidi") == [("thread", new.id)]
    assert disc.found(world.member, "orari", author="coordinatrice") == [("thread", new.id)]
    assert disc.found(world.member, "orari", author=world.member.id) == [("thread", old.id)]
    with disc.app.app_context():
        handle = db.session.get(User, world.coordinator.id).handle
    assert disc.found(world.member, "orari", author=f"@{handle}") == [("thread", new.id)]
    assert disc.found(world.member, "orari", date_to=date(2024, 3, 10)) == [("thread", old.id)]
    assert disc.found(world.member, "orari", date_from=date(2024, 3, 11)) == [("thread", new.id)]
    assert disc.found(world.member, "orari", date_from=date(2024, 3, 10),
                      date_to=date(2024, 3, 10)) == [("thread", old.id)]
    # Filters without words: everything that matches them, newest first.
    assert disc.found(world.member, "", tag="nidi") == [("thread", new.id)]
    assert disc.found(world.member, "", kind="proposta", space_id=world.regional.id) == []


def test_a_reserved_space_stays_reserved(disc, world):
    thread = disc.thread(world.reserved, world.member, "Piano territoriale riservato",
                         "Bozza del piano di conciliazione.")
    reply = disc.reply(thread, world.coordinator, "Ecco le osservazioni sul piano.")
    assert disc.found(world.outsider, "piano") == []
    assert disc.search(world.outsider, "", space_id=world.reserved.id).total == 0
    for reader in (world.member, world.coordinator, world.referent, world.admin):
        assert set(disc.found(reader, "piano")) == {("thread", thread.id), ("post", reply)}


def test_deleted_and_hidden_posts_and_hidden_threads_leave_the_index(disc, world):
    thread = disc.thread(world.regional, world.member, "Orari scolastici", "Le scuole chiudono.")
    deleted = disc.reply(thread, world.member, "Risposta cancellata sui pulmini.")
    hidden = disc.reply(thread, world.outsider, "Risposta nascosta sui pulmini.")
    assert len(disc.found(world.member, "pulmini")) == 2
    disc.delete(deleted, world.member)
    disc.hide_post(hidden, world.coordinator)
    assert disc.found(world.member, "pulmini") == []
    disc.hide_post(hidden, world.coordinator, hidden=False)
    assert disc.found(world.member, "pulmini") == [("post", hidden)]

    disc.hide_thread(thread, world.coordinator)
    assert disc.found(world.admin, "scuole") == [] and disc.found(world.admin, "pulmini") == []
    disc.reply(thread, world.coordinator, "Intanto: pulmini anche il sabato.")  # still hidden
    assert disc.found(world.admin, "pulmini") == []
    disc.hide_thread(thread, world.coordinator, hidden=False)
    assert disc.found(world.member, "scuole") == [("thread", thread.id)]
    assert len(disc.found(world.member, "pulmini")) == 2  # the restored and the new reply


def test_a_deleted_opening_post_keeps_the_title_findable(disc, world):
    thread = disc.thread(world.regional, world.member, "Telelavoro estivo", "Testo da togliere.")
    disc.delete(thread.post_id, world.member)
    assert disc.found(world.member, "togliere") == []
    assert disc.found(world.member, "telelavoro") == [("thread", thread.id)]


def test_edits_are_followed(disc, world):
    thread = disc.thread(world.regional, world.member, "Congedi parentali", "Prima versione.",
                         tags=["congedi"])
    reply = disc.reply(thread, world.coordinator, "Parliamo di asili.")
    disc.edit(reply, world.coordinator, "Parliamo di ludoteche.")
    assert disc.found(world.member, "asili") == []
    assert disc.found(world.member, "ludoteche") == [("post", reply)]
    disc.edit(thread.post_id, world.member, "Seconda versione.", title="Permessi per i padri",
              kind="domanda", tags=["padri"])
    assert disc.found(world.member, "congedi") == []
    assert disc.found(world.member, "versione") == [("thread", thread.id)]
    assert set(disc.found(world.member, "padri", kind="domanda", tag="padri")) == {
        ("thread", thread.id), ("post", reply)}  # the reply carries the new title too


def test_a_moved_thread_follows_its_new_space(disc, world):
    thread = disc.thread(world.regional, world.member, "Sportello conciliazione", "Aperto.")
    reply = disc.reply(thread, world.member, "Anche il sabato: sportello aperto.")
    assert len(disc.found(world.outsider, "sportello")) == 2
    disc.move(thread, world.admin, world.reserved)
    assert disc.found(world.outsider, "sportello") == []
    assert set(disc.found(world.member, "sportello", space_id=world.reserved.id)) == {
        ("thread", thread.id), ("post", reply)}
    assert disc.found(world.member, "sportello", space_id=world.regional.id) == []


def test_a_search_runs_the_same_statements_for_one_hit_or_many(disc, world, count_queries, app):
    for i in range(2):
        disc.thread(world.regional, world.member, f"Voucher {i}", "Voucher per i servizi.")

    def statements():
        with count_queries() as seen:
            disc.search(world.member, "voucher")
        return len(seen)

    few = statements()
    for i in range(8):
        disc.reply(disc.thread(world.reserved, world.coordinator, f"Voucher bis {i}", "Voucher."),
                   world.member, "Un altro voucher.")
    assert disc.search(world.member, "voucher").total == 2 + 16
    assert statements() == few


def test_pages(disc, world):
    for i in range(5):
        disc.thread(world.regional, world.member, f"Tempi della città {i}", "Tempi.")
    first = disc.search(world.member, "tempi", per_page=2)
    last = disc.search(world.member, "tempi", per_page=2, page=99)
    assert (first.total, first.pages, len(first.hits), first.has_next) == (5, 3, 2, True)
    assert (last.page, len(last.hits), last.has_prev, last.has_next) == (3, 1, True, False)


def test_reindex_rebuilds_everything_from_the_data(disc, world, app):
    thread = disc.thread(world.regional, world.member, "Mense aziendali", "Menu per famiglie.")
    reply = disc.reply(thread, world.member, "Anche la mensa serale.")
    hidden = disc.reply(thread, world.member, "Mensa nascosta.")
    disc.hide_post(hidden, world.coordinator)
    with app.app_context():
        db.session.execute(SearchEntry.__table__.delete())
        db.session.execute(update(Post).where(Post.id == reply).values(body_html="<p>Mensa</p>"))
        db.session.commit()
    assert disc.found(world.member, "mensa") == []
    result = app.test_cli_runner().invoke(reindex_search)
    assert result.exit_code == 0, result.output
    assert "discussions: 2" in result.output
    assert set(disc.found(world.member, "mensa")) == {("thread", thread.id), ("post", reply)}
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(SearchEntry)) == 2


def test_other_features_index_their_own_documents(disc, world, app):
    with app.app_context():
        services.index_document("resource", 7, space_id=world.regional.id,
                                author_id=world.member.id, title="Nido condiviso",
                                body="Una buona pratica di città.", kind="", tags=["nidi"],
                                created_at=datetime.now(UTC) - timedelta(days=1))
        db.session.commit()
    page = disc.search(world.member, "citta", tag="nidi")
    assert [(h.doc_type, h.doc_id, h.thread_id) for h in page.hits] == [("resource", 7, None)]
    with app.app_context():
        services.remove_document("resource", 7)
        db.session.commit()
    assert disc.found(world.member, "citta") == []


@pytest.mark.commits
def test_alembic_ignores_the_full_text_structures(app):
    with app.app_context(), db.engine.connect() as conn:
        ignoring = MigrationContext.configure(conn, opts={"include_object": include_object})
        assert compare_metadata(ignoring, db.metadata) == []
        seeing = compare_metadata(MigrationContext.configure(conn), db.metadata)
        assert seeing, "the full-text structures exist (and only include_object hides them)"
