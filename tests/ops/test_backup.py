"""`flask cop backup` and `flask cop restore`: the drill (content, backup, changes, restore, the
content is back), damaged and hostile archives, `--keep`, and a backup taken while another
connection writes.

The tests that back up or restore commit for real (`commits`): the backup reads the database
through its own connection (SQLite's backup API, pg_dump), which would not see a test's
rolled-back transaction. The restore goes into the test database itself, as an operator's
would: the archive holds the very schema conftest built (with its Alembic stamp), so the
tables put back are the ones the other tests expect, and conftest empties them afterwards
like after any `commits` test. On PostgreSQL `pg_restore --clean --single-transaction` drops
and recreates those tables in one transaction: the test disposes of its pooled connections
first (restore does), so no other test's connection is left with a stale plan. Uploads and
backups go to this test's own folders, never the session's shared upload folder.
"""
from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import sqlite3
import stat
import subprocess
import tarfile
import threading
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, delete, func, insert, select
from sqlalchemy.engine import make_url
from werkzeug.datastructures import FileStorage

from cop.auth.models import User
from cop.backup import services
from cop.discussions import services as discussions
from cop.discussions.models import Post, Thread
from cop.errors import ServiceError
from cop.extensions import db
from cop.files import services as files
from cop.files.models import Attachment
from cop.network.models import Organisation
from cop.spaces.models import Space
from tests.files import samples


@pytest.fixture
def folders(tmp_path):
    uploads, backups = tmp_path / "uploads", tmp_path / "backups"
    uploads.mkdir()
    return uploads, backups


@pytest.fixture
def app(make_app, folders):
    uploads, backups = folders
    return make_app(UPLOAD_FOLDER=str(uploads), BACKUP_FOLDER=str(backups))


def cop(app, *args, **kwargs):
    return app.test_cli_runner().invoke(args=["cop", *args], **kwargs)


def backup(app, *args):
    result = cop(app, "backup", *args)
    assert result.exit_code == 0, result.output
    assert "Backup scritto: " in result.output
    return Path(result.output.split("Backup scritto: ", 1)[1].split(" (", 1)[0])


def dialect(app) -> str:
    with app.app_context():
        return db.engine.dialect.name


def post_with_attachment(app, factory):
    author = factory.user(name="Autrice del verbale")
    space = factory.space(name="Spazio del backup")
    factory.member(space, author, "coordinatore")
    with app.app_context():
        written = discussions.create_thread(
            db.session.get(Space, space.id), db.session.get(User, author.id),
            title="Verbale di marzo", kind="domanda", body="Il testo del verbale.",
            uploads=[FileStorage(io.BytesIO(samples.PDF), filename="verbale.pdf")])
        db.session.commit()
        attachment = db.session.scalar(select(Attachment).where(
            Attachment.owner_type == "post", Attachment.owner_id == written.post.id))
        return author, written.thread.id, attachment.id, files.path_of(attachment)


@pytest.mark.commits
def test_the_drill_restores_what_was_backed_up_and_undoes_what_came_after(app, factory,
                                                                           folders):
    uploads, backups = folders
    author, thread_id, attachment_id, upload = post_with_attachment(app, factory)
    assert upload.read_bytes() == samples.PDF

    archive = backup(app)
    assert archive.parent == backups and services.ARCHIVE_NAME.fullmatch(archive.name)
    assert stat.S_IMODE(archive.stat().st_mode) == 0o600
    assert sorted(os.listdir(backups)) == [archive.name]  # no staging or partial file left
    with tarfile.open(archive) as tar:
        names = tar.getnames()
    assert names[-1] == "manifest.json" and services.DATABASE_MEMBERS[dialect(app)] in names
    assert f"uploads/{upload.relative_to(uploads).as_posix()}" in names

    # After the backup: the thread goes, someone new arrives, the file is lost.
    with app.app_context():
        db.session.execute(delete(Thread).where(Thread.id == thread_id))
        db.session.commit()
    newcomer = factory.user(name="Arrivata dopo il backup")
    upload.unlink()
    (uploads / "ff").mkdir()
    (uploads / "ff" / "dopo").write_bytes(b"written after the backup")

    result = cop(app, "restore", str(archive), "--yes")
    assert result.exit_code == 0, result.output
    assert "archivio integro" in result.output and "Ripristino completato." in result.output
    assert "flask db upgrade" not in result.output  # the archive's schema is the head

    with app.app_context():
        thread = db.session.get(Thread, thread_id)
        assert thread is not None and thread.title == "Verbale di marzo"
        assert db.session.scalar(select(Post.body).where(Post.thread_id == thread_id)) \
            == "Il testo del verbale."
        assert db.session.get(User, author.id).name == "Autrice del verbale"
        assert db.session.get(User, newcomer.id) is None
        assert db.session.get(Attachment, attachment_id).sha256 \
            == hashlib.sha256(samples.PDF).hexdigest()
    assert upload.read_bytes() == samples.PDF
    assert not (uploads / "ff").exists()  # the upload folder is the archive's, nothing else
    assert [p.name for p in uploads.iterdir() if p.name.startswith(".")] == []


def repacked(archive, target, change):
    """A copy of `archive` whose members pass through `change(name, bytes)`, manifest as is."""
    with tarfile.open(archive) as source, tarfile.open(target, "w:gz") as out:
        for member in source:
            data = change(member.name, source.extractfile(member).read())
            member.size = len(data)
            out.addfile(member, io.BytesIO(data))
    return target


def flip_in_database(name, data):
    if not name.startswith("database/"):
        return data
    data = bytearray(data)
    data[len(data) // 2] ^= 0xFF
    return bytes(data)


@pytest.mark.commits
def test_a_damaged_archive_is_refused_and_changes_nothing(app, factory, folders, tmp_path):
    uploads, _ = folders
    author, thread_id, attachment_id, upload = post_with_attachment(app, factory)
    archive = backup(app)
    newcomer = factory.user(name="Arrivata dopo il backup")
    upload.unlink()

    flipped_member = repacked(archive, tmp_path / "member.tar.gz", flip_in_database)
    flipped_byte = tmp_path / "byte.tar.gz"
    data = bytearray(archive.read_bytes())
    data[len(data) // 2] ^= 0xFF  # inside the compressed stream
    flipped_byte.write_bytes(bytes(data))
    truncated = tmp_path / "truncated.tar.gz"
    truncated.write_bytes(archive.read_bytes()[:len(data) // 2])

    for damaged, reason in ((flipped_member, "non corrisponde al suo SHA-256"),
                            (flipped_byte, "Archivio danneggiato"),
                            (truncated, "Archivio danneggiato")):
        result = cop(app, "restore", str(damaged), "--yes")
        assert result.exit_code != 0, damaged
        assert reason in result.output and "nulla è stato ripristinato" in result.output
        assert "Ripristino completato" not in result.output

    with app.app_context():
        assert db.session.get(User, newcomer.id) is not None
    assert not upload.exists()
    assert [p.name for p in uploads.iterdir() if p.name.startswith(".")] == []


def hostile(tmp_path, entry: tarfile.TarInfo, data: bytes = b"") -> Path:
    """An archive whose manifest is right about everything but one unsafe entry."""
    target = tmp_path / "hostile.tar.gz"
    database = b"not really a database"
    members = [{"name": "database/cop.sqlite3", "size": len(database),
                "sha256": hashlib.sha256(database).hexdigest()}]
    if entry.isreg():
        members.append({"name": entry.name, "size": len(data),
                        "sha256": hashlib.sha256(data).hexdigest()})
    manifest = json.dumps({
        "format": "cop-backup", "format_version": 1, "dialect": "sqlite",
        "database": "database/cop.sqlite3", "members": members,
        "uploads": {"files": 1, "bytes": len(data)}}).encode()
    with tarfile.open(target, "w:gz") as tar:
        for name, content in (("database/cop.sqlite3", database),):
            info = tarfile.TarInfo(name)
            info.size = len(content)
            tar.addfile(info, io.BytesIO(content))
        entry.size = len(data) if entry.isreg() else 0
        tar.addfile(entry, io.BytesIO(data) if entry.isreg() else None)
        info = tarfile.TarInfo("manifest.json")
        info.size = len(manifest)
        tar.addfile(info, io.BytesIO(manifest))
    return target


def _link(name, kind, target):
    info = tarfile.TarInfo(name)
    info.type, info.linkname = kind, target
    return info


@pytest.mark.parametrize("entry, reason", [
    (tarfile.TarInfo("uploads/../../fuori.txt"), "nome non ammesso"),
    (tarfile.TarInfo("/tmp/assoluto.txt"), "nome non ammesso"),
    (tarfile.TarInfo("uploads/ab/./x"), "nome non ammesso"),
    (_link("uploads/ab/passwd", tarfile.SYMTYPE, "/etc/passwd"), "non è un file"),
    (_link("uploads/ab/hard", tarfile.LNKTYPE, "database/cop.sqlite3"), "non è un file"),
    (_link("uploads/ab/fifo", tarfile.FIFOTYPE, ""), "non è un file"),
])
def test_unsafe_entries_are_refused_before_anything_is_written(app, folders, tmp_path, entry,
                                                               reason):
    uploads, _ = folders
    archive = hostile(tmp_path, entry, b"contenuto")
    result = cop(app, "restore", str(archive), "--yes")
    assert result.exit_code != 0
    assert reason in result.output and "nulla è stato ripristinato" in result.output
    assert list(uploads.iterdir()) == []
    assert not (tmp_path / "fuori.txt").exists() and not (tmp_path.parent / "fuori.txt").exists()


def test_an_archive_of_another_database_is_refused(app, tmp_path):
    other = "postgresql" if dialect(app) == "sqlite" else "sqlite"
    database = b"a dump"
    name = services.DATABASE_MEMBERS[other]
    manifest = json.dumps({
        "format": "cop-backup", "format_version": 1, "dialect": other, "database": name,
        "members": [{"name": name, "size": len(database),
                     "sha256": hashlib.sha256(database).hexdigest()}],
        "uploads": {"files": 0, "bytes": 0}, "created_at": "2026-01-01T00:00:00+00:00",
        "app_version": "0.1.0", "alembic_revision": None}).encode()
    archive = tmp_path / "altro.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        for member, content in ((name, database), ("manifest.json", manifest)):
            info = tarfile.TarInfo(member)
            info.size = len(content)
            tar.addfile(info, io.BytesIO(content))
    result = cop(app, "restore", str(archive), "--yes")
    assert result.exit_code != 0
    assert f"Il backup è di un database {other}" in result.output


@pytest.mark.commits
def test_restore_asks_before_replacing_anything(app, factory):
    archive = backup(app)
    newcomer = factory.user(name="Arrivata dopo il backup")
    result = cop(app, "restore", str(archive), input="n\n")
    assert result.exit_code != 0 and "Procedere?" in result.output
    with app.app_context():
        assert db.session.get(User, newcomer.id) is not None


@pytest.mark.commits
def test_keep_leaves_the_newest_backups_and_nothing_else_is_touched(app, tmp_path):
    folder = tmp_path / "altrove"
    folder.mkdir()
    older = [f"cop-backup-2025010{day}-030000.tar.gz" for day in (1, 2, 3)]
    others = ["note.txt", "cop-backup-ultimo.tar.gz", "cop-backup-20250101-030000.tar.gz.bak"]
    for name in older + others:
        (folder / name).write_bytes(b"x")
    newest = backup(app, "--dir", str(folder), "--keep", "2")
    assert newest.parent == folder
    assert sorted(os.listdir(folder)) == sorted([older[-1], newest.name, *others])


def test_the_backup_folder_comes_from_the_environment(make_app, monkeypatch, tmp_path):
    monkeypatch.setenv("COP_BACKUP_FOLDER", str(tmp_path / "da-env"))
    app = make_app()
    with app.app_context():
        assert services.backup_folder() == tmp_path / "da-env"


@pytest.mark.commits
def test_a_backup_taken_while_another_connection_writes_is_consistent(app, tmp_path):
    """A writer commits rows one by one on its own connection (at most WRITES, and it stops
    once the backup is written); the copy holds every row committed before the backup began
    and opens as a sound database."""
    writes = 5000
    with app.app_context():
        url = db.engine.url
    engine = create_engine(url)
    committed, errors = [], []
    started, finished = threading.Event(), threading.Event()

    def write():
        try:
            with engine.connect() as connection:
                for i in range(writes):
                    with connection.begin():
                        connection.execute(insert(Organisation).values(
                            name=f"Scrittore concorrente {i}", entity_type_code="no_profit"))
                    committed.append(i)
                    if i == 10:
                        started.set()
                    if finished.is_set():
                        break
        except Exception as error:  # reported by the test below
            errors.append(error)
        finally:
            started.set()

    writer = threading.Thread(target=write)
    writer.start()
    try:
        assert started.wait(timeout=60)
        before = len(committed)
        archive = backup(app)
        after = len(committed)
    finally:
        finished.set()
        writer.join(timeout=60)
        engine.dispose()
    assert errors == []
    assert after > before, "the writer went on while the backup was taken"

    member = services.DATABASE_MEMBERS[dialect(app)]
    with tarfile.open(archive) as tar:
        tar.extract(member, tmp_path, filter="data")
    copy = tmp_path / member
    if dialect(app) == "sqlite":
        connection = sqlite3.connect(copy)
        try:
            assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            rows = connection.execute("SELECT count(*) FROM organisations WHERE name LIKE "
                                      "'Scrittore concorrente %'").fetchone()[0]
        finally:
            connection.close()
        assert before <= rows <= after + 1
    else:
        listed = subprocess.run(["pg_restore", "--list", str(copy)], capture_output=True,
                                text=True)
        assert listed.returncode == 0, listed.stderr
        assert "TABLE DATA public organisations" in listed.stdout
    with app.app_context():  # the live database has them all
        assert db.session.scalar(select(func.count()).select_from(Organisation).where(
            Organisation.name.like("Scrittore concorrente %"))) == len(committed)


def test_the_password_reaches_pg_tools_through_the_environment_only(app):
    url = make_url("postgresql+cop://operatore:segreta@db.interno:5433/cop?sslmode=require")
    args, env = services.pg_connection(url)
    assert args == ["--no-password", "--host=db.interno", "--port=5433",
                    "--username=operatore", "--dbname=cop"]
    assert env["PGPASSWORD"] == "segreta" and env["PGSSLMODE"] == "require"
    assert "segreta" not in " ".join(args)


def test_a_missing_or_failing_pg_dump_is_a_clear_error(app, monkeypatch, tmp_path):
    url = make_url("postgresql+cop://operatore:segreta@127.0.0.1:1/cop")
    if shutil.which("pg_dump"):  # port 1: nobody listens, pg_dump fails at once
        with app.app_context(), pytest.raises(ServiceError, match="pg_dump non riuscito"):
            services.dump_postgresql(url, tmp_path / "dump")
    monkeypatch.setattr(services.shutil, "which", lambda name: None)
    with app.app_context(), pytest.raises(ServiceError, match="pg_dump non trovato"):
        services.dump_postgresql(url, tmp_path / "dump")


@pytest.mark.commits
def test_backup_without_pg_dump_exits_with_the_reason(app, folders, monkeypatch):
    if dialect(app) != "postgresql":
        pytest.skip("pg_dump serves PostgreSQL only")
    _, backups = folders
    monkeypatch.setattr(services.shutil, "which", lambda name: None)
    result = cop(app, "backup")
    assert result.exit_code != 0 and "pg_dump non trovato" in result.output
    assert not backups.exists() or os.listdir(backups) == []


def test_an_older_schema_is_told_to_upgrade(app):
    with app.app_context():
        script = ScriptDirectory(app.extensions["migrate"].directory)
        [head, *_] = script.get_heads()
        first = list(script.walk_revisions())[-1].revision
        assert services.revision_advice({"alembic_revision": head}) is None
        assert "flask db upgrade" in services.revision_advice({"alembic_revision": first})
        assert "più recente" in services.revision_advice({"alembic_revision": "ffffffffffff"})
