"""The backup drill: a demo database is backed up while people write replies, restored into an
EMPTY database and an empty upload folder, and compared with the source.

1. A scratch source database (PostgreSQL: one beside COP_TEST_DATABASE_URL's; SQLite: a file
   of this test) is migrated with `flask db upgrade` in a subprocess, as an installation is,
   then seeded with the reference data and the demo on DEMO_DAY (time-machine, as the suite's
   demo database), with an upload folder of its own: the demo's handouts and a few more
   files of each kind attached to demo posts through the files service.
2. WRITERS threads reply to demo threads through the discussions service, each in its own
   app context (its own session and connection), committing one reply at a time, every
   fifth with a file attached; each stops after MOST_REPLIES or when the backup has been
   written (an Event), whichever comes first.
3. While they write, `flask cop backup --dir` runs (the CLI, in-process, on an app bound to
   the source). Every table's rows are counted just before it starts and just after it ends.
   Between its copy of the database and its reading of the files, the writers commit ten
   more replies (the test waits for them there, no sleep): writes surely overlap the backup,
   and files whose rows came after the copy are in the archive.
4. `flask cop restore ARCHIVE --yes` runs for an app bound to a new, empty database (no
   schema at all) and an empty upload folder.
5. The comparison: the same tables; for every table of the metadata and alembic_version, the
   restored rows lie between the counts before and after the backup (equal for the tables
   the writers did not touch); the restored database is a consistent snapshot (each thread's
   stored post and reply counts, each post's child and attachment counts, agree with the
   rows restored); a sample of content (posts by id, practices' titles, people's emails) is
   the source's; every file in the upload folder before the backup is back with the same
   SHA-256, every restored attachment has its file, the files of the replies committed
   after the copy are there as orphans (`flask cop clean-uploads` removes them), nothing
   else is there (no hidden staging left). Then the
   restored site takes a new reply (on PostgreSQL the sequences came back with the rows).

It prints one line of figures (tables, rows, files, bytes, the archive's size, the seconds
of backup and restore). The emails the demo and the replies would send wait for a worker that
never runs (NOTIFICATION_EMAIL_WORKER): nothing is sent.

No `commits` mark: the drill never touches the suite's database (the `commits` mark empties
that one afterwards), only scratch databases of its own (dropped at the session's end on
PostgreSQL, in tmp_path on SQLite) and folders in tmp_path. Not `demo` either: that database
is shared and read-only, and a restore needs a database seeded through the migrations.
"""
from __future__ import annotations

import hashlib
import io
import os
import random
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path

import time_machine
from sqlalchemy import func, inspect, select, text
from sqlalchemy.orm import aliased
from werkzeug.datastructures import FileStorage

from cop import create_app
from cop.auth.models import User
from cop.backup import services as backups
from cop.database import only_reading
from cop.demo.services import seed_demo
from cop.discussions import services as discussions
from cop.discussions.models import Post, Thread
from cop.extensions import db
from cop.files import services as files
from cop.files.models import Attachment
from cop.practices.models import Practice
from cop.spaces.models import Membership
from tests.conftest import DEMO_DAY
from tests.files import samples

ROOT = Path(__file__).resolve().parents[2]
WRITERS = 2
MOST_REPLIES = 1000  # each writer's bound, should the backup never end
SAMPLE_POSTS = 20
EXTRA_FILES = {  # attached to demo posts besides the demo's own handouts
    "relazione.pdf": samples.PDF,
    "verbale.docx": samples.VALID["docx"],
    "tabella.ods": samples.VALID["ods"],
    "foto.png": samples.VALID["png"],
    "elenco.csv": samples.VALID["csv"],
    # a bigger one, not very compressible: about 300 KB of text
    "registro.txt": "".join(f"{n:06d} {random.Random(n).getrandbits(160):040x}\n"
                            for n in range(6000)).encode(),
}


def _flask(env: dict, *args: str) -> None:
    done = subprocess.run([sys.executable, "-m", "flask", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, f"flask {' '.join(args)}:\n{done.stdout}\n{done.stderr}"


def _app(url: str, uploads: Path, tmp_path: Path):
    return create_app({
        "SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "backup-drill", "TESTING": True,
        "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000", "UPLOAD_FOLDER": str(uploads),
        "MAIL_FOLDER": str(tmp_path / "mail"), "MAIL_ASYNC": False,
        "NOTIFICATION_EMAIL_WORKER": True, "SERVER_URL": "http://localhost",
        "RATELIMIT_STORAGE_URI": "memory://", "CACHE_TYPE": "SimpleCache",
    })


def _scratch_url(_worker_database, tmp_path: Path, name: str) -> str:
    if os.environ.get("COP_TEST_DATABASE_URL"):
        return _worker_database(name)  # an empty PostgreSQL database, dropped at the end
    return f"sqlite:///{tmp_path / name}.db"  # no file yet


def _seed(app) -> None:
    """The reference data and the demo, on DEMO_DAY; then EXTRA_FILES attached to demo posts
    (openings of threads spread over the demo's) through the files service."""
    with time_machine.travel(DEMO_DAY, tick=True), app.app_context():
        assert seed_demo()
        openings = db.session.scalars(
            select(Post).join(Thread, Thread.id == Post.thread_id)
            .where(Post.depth == 0, Post.author_id.is_not(None), Post.deleted_at.is_(None))
            .order_by(Post.id)).all()
        chosen = openings[::max(1, len(openings) // len(EXTRA_FILES))]  # spread over them
        assert len(chosen) >= len(EXTRA_FILES)
        for post, (name, data) in zip(chosen, EXTRA_FILES.items()):
            stored = files.store_uploads(
                [FileStorage(io.BytesIO(data), filename=name)], space_id=post.thread.space_id,
                owner_type="post", owner_id=post.id, user=db.session.get(User, post.author_id))
            post.attachment_count = Post.attachment_count + len(stored)
        db.session.commit()
        db.session.remove()


@contextmanager
def _reading(app):
    """The session of an app context of `app`, for reads: on SQLite its transactions begin
    as plain readers (cop.database.only_reading), never queued behind the writers for the
    write lock, and the block's reads see one snapshot."""
    with app.app_context(), only_reading():
        try:
            yield db.session
        finally:
            db.session.remove()


def _writing_plan(app) -> list[list[tuple[int, list[int]]]]:
    """For each writer, its share of the demo threads (open, visible: the demo has seven),
    with five members of the space who reply."""
    with _reading(app) as session:
        rows = session.execute(
            select(Thread.id, Membership.user_id)
            .join(Membership, Membership.space_id == Thread.space_id)
            .join(User, User.id == Membership.user_id)
            .where(Thread.hidden.is_(False), Thread.locked.is_(False), User.active.is_(True))
            .order_by(Thread.id, Membership.id)).all()
    members: dict[int, list[int]] = {}
    for thread_id, user_id in rows:
        members.setdefault(thread_id, []).append(user_id)
    threads = [(t, people[:5]) for t, people in members.items()]
    assert len(threads) >= WRITERS
    return [threads[k::WRITERS] for k in range(WRITERS)]


class Writers:
    """WRITERS threads replying (see the module's docstring); `written[k]` replies committed
    by writer k so far."""

    def __init__(self, app, plan):
        self.app, self.plan = app, plan
        self.written = [0] * len(plan)
        self.ended = [False] * len(plan)
        self.committed = threading.Condition()
        self.errors: list[BaseException] = []
        self.stop = threading.Event()
        self.threads = [threading.Thread(target=self._write, args=(k,), name=f"writer-{k}")
                        for k in range(len(plan))]

    def _write(self, k: int) -> None:
        try:
            with self.app.app_context():
                for n in range(MOST_REPLIES):
                    thread_id, people = self.plan[k][n % len(self.plan[k])]
                    thread = db.session.get(Thread, thread_id)
                    author = db.session.get(User, people[n % len(people)])
                    uploads = [FileStorage(io.BytesIO(f"Allegato {k}-{n}\n".encode()),
                                           filename=f"allegato-{k}-{n}.txt")] \
                        if n % 5 == 4 else []
                    discussions.reply(thread, author, body=f"Risposta {k}-{n} durante il "
                                      f"backup: **ci sono**.", uploads=uploads)
                    db.session.commit()
                    with self.committed:
                        self.written[k] = n + 1
                        self.committed.notify_all()
                    if self.stop.is_set():
                        break
                db.session.remove()
        except BaseException as error:  # reported by the test
            self.errors.append(error)
        finally:
            with self.committed:
                self.ended[k] = True
                self.committed.notify_all()

    def wait_for_more(self, replies: int) -> None:
        """Until the writers, together, have committed `replies` more (or all stopped). On
        SQLite one writer may hold on to the write lock for a while (the other waits in the
        busy handler), so this counts them together."""
        with self.committed:
            target = sum(self.written) + replies
            assert self.committed.wait_for(
                lambda: sum(self.written) >= target or all(self.ended), timeout=120)

    def __enter__(self):
        for thread in self.threads:
            thread.start()
        self.wait_for_more(1)
        return self

    def __exit__(self, *exc):
        self.stop.set()
        for thread in self.threads:
            thread.join(timeout=120)
        assert not any(thread.is_alive() for thread in self.threads)


def _counts(app) -> dict[str, int]:
    """Rows of every table of the metadata, and of alembic_version."""
    with _reading(app) as session:
        counts = {table.name: session.scalar(select(func.count()).select_from(table))
                  for table in db.metadata.sorted_tables}
        counts["alembic_version"] = session.scalar(text("SELECT count(*) FROM alembic_version"))
    return counts


def _files(folder: Path) -> dict[str, tuple[str, int]]:
    """Storage key -> (SHA-256, size) of each file under `folder`, hidden entries included,
    but not a file still being written (its temporary name: it is renamed when whole)."""
    found = {}
    for path in sorted(p for p in folder.rglob("*")
                       if not p.name.endswith(files.TEMPORARY_SUFFIX) and p.is_file()):
        data = path.read_bytes()
        found[path.relative_to(folder).as_posix()] = (hashlib.sha256(data).hexdigest(), len(data))
    return found


def _inconsistencies(app) -> dict[str, list]:
    """Stored counters that disagree with the rows: what a backup taken table by table,
    not as one snapshot, would show."""
    child = aliased(Post)
    visible_reply = (Post.deleted_at.is_(None)) & (Post.hidden.is_(False)) & (Post.depth > 0)
    posts = (select(func.count(Post.id)).where(Post.thread_id == Thread.id)
             .correlate(Thread).scalar_subquery())
    replies = (select(func.count(Post.id)).where(Post.thread_id == Thread.id, visible_reply)
               .correlate(Thread).scalar_subquery())
    children = (select(func.count(child.id)).where(child.parent_id == Post.id)
                .correlate(Post).scalar_subquery())
    attached = (select(func.count(Attachment.id))
                .where(Attachment.owner_type == "post", Attachment.owner_id == Post.id)
                .correlate(Post).scalar_subquery())
    with _reading(app) as session:
        found = {
            "threads.post_count": session.execute(
                select(Thread.id, Thread.post_count, posts)
                .where(Thread.post_count != posts)).all(),
            "threads.reply_count": session.execute(
                select(Thread.id, Thread.reply_count, replies)
                .where(Thread.reply_count != replies)).all(),
            "posts.child_count": session.execute(
                select(Post.id, Post.child_count, children)
                .where(Post.child_count != children)).all(),
            "posts.attachment_count": session.execute(
                select(Post.id, Post.attachment_count, attached)
                .where(Post.attachment_count != attached)).all(),
        }
    return {what: rows for what, rows in found.items() if rows}


def _content(app, post_ids: list[int]) -> dict:
    with _reading(app) as session:
        return {
            "posts": session.execute(
                select(Post.id, Post.thread_id, Post.author_id, Post.sort_key, Post.body,
                       Post.body_html).where(Post.id.in_(post_ids)).order_by(Post.id)).all(),
            "practices": session.execute(
                select(Practice.id, Practice.title).order_by(Practice.id)).all(),
            "users": session.execute(
                select(User.id, User.email, User.password_hash).order_by(User.id)).all(),
            "attachments": session.execute(
                select(Attachment.id, Attachment.storage_key, Attachment.sha256,
                       Attachment.size).order_by(Attachment.id)).all(),
            "tables": sorted(inspect(session.connection()).get_table_names()),
        }


def _post_ids(app) -> list[int]:
    with _reading(app) as session:
        return list(session.scalars(select(Post.id).order_by(Post.id)))


def manifest_dialect(archive: Path) -> str:
    return backups.check_archive(archive)["dialect"]


def _cli(app, *args: str):
    result = app.test_cli_runner().invoke(args=["cop", *args])
    assert result.exit_code == 0, result.output
    return result.output


def _dispose(*apps) -> None:
    for app in apps:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


def test_a_backup_taken_while_people_write_restores_into_an_empty_database(
        _worker_database, tmp_path, capsys, monkeypatch):
    began = time.monotonic()
    source_uploads, target_uploads = tmp_path / "uploads", tmp_path / "restored-uploads"
    archives = tmp_path / "backups"
    source_uploads.mkdir()
    target_uploads.mkdir()
    source_url = _scratch_url(_worker_database, tmp_path, "drill_source")
    target_url = _scratch_url(_worker_database, tmp_path, "drill_target")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("COP_", "FLASK_"))}
    _flask({**env, "FLASK_APP": "cop", "COP_DATABASE_URL": source_url}, "db", "upgrade")
    migrated = time.monotonic()
    source = _app(source_url, source_uploads, tmp_path)
    target = _app(target_url, target_uploads, tmp_path)
    try:
        _seed(source)
        seeded = time.monotonic()
        demo_posts = _post_ids(source)
        writers = Writers(source, _writing_plan(source))
        read_files = backups._upload_files

        def files_read_after_more_replies(folder):
            # The backup has copied the database and is about to read the files: the writers
            # commit 5 x WRITERS more replies first (counted together: one of them writes at
            # least five in a row, so one with a file).
            writers.wait_for_more(5 * WRITERS)
            yield from read_files(folder)

        monkeypatch.setattr(backups, "_upload_files", files_read_after_more_replies)
        with writers:
            before = _counts(source)
            files_before = _files(source_uploads)
            written_before = sum(writers.written)
            started = time.monotonic()
            output = _cli(source, "backup", "--dir", str(archives))
            backup_seconds = time.monotonic() - started
            written_after = sum(writers.written)
            after = _counts(source)
            writers.stop.set()
        assert writers.errors == []
        assert written_after > written_before, "the writers went on during the backup"
        [archive] = archives.iterdir()
        assert f"Backup scritto: {archive}" in output

        assert list(target_uploads.iterdir()) == []
        if target_url.startswith("sqlite"):
            assert not Path(target_url.removeprefix("sqlite:///")).exists()
        else:
            with _reading(target) as session:
                assert inspect(session.connection()).get_table_names() == []
        started = time.monotonic()
        output = _cli(target, "restore", str(archive), "--yes")
        restore_seconds = time.monotonic() - started
        assert "Ripristino completato." in output
        assert "flask db upgrade" not in output  # the archive's schema is the head

        # Every table: the rows committed before the backup began, none after it ended (so
        # as many as in the source for the tables the writers did not touch).
        restored = _counts(target)
        assert set(restored) == set(before) == set(after)
        changed = sorted(t for t in before if before[t] != after[t])
        assert "posts" in changed
        outside = {t: (before[t], restored[t], after[t]) for t in before
                   if not before[t] <= restored[t] <= after[t]}
        assert outside == {}, "restored rows outside [before, after] of the backup"

        # One snapshot: the stored counters agree with the rows, as they do in the source.
        assert _inconsistencies(source) == {}
        assert _inconsistencies(target) == {}

        # Content: the schema, a sample of the demo's posts and every reply the copy holds,
        # the practices, the people, the attachments.
        restored_posts = _post_ids(target)
        assert set(restored_posts) <= set(_post_ids(source))
        replies = [i for i in restored_posts if i > demo_posts[-1]]
        sample = random.Random(DEMO_DAY.toordinal()).sample(demo_posts, SAMPLE_POSTS) + replies
        copy, original = _content(target, sample), _content(source, sample)
        assert len(copy["posts"]) == len(sample)
        for part in ("posts", "practices", "users", "tables"):
            assert copy[part] == original[part], part
        assert set(copy["attachments"]) <= set(original["attachments"])

        # Files: all those there before the backup, every restored attachment's, no other.
        files_restored = _files(target_uploads)
        assert {k: files_restored.get(k) for k in files_before} == files_before
        files_after = _files(source_uploads)
        assert {k: files_after.get(k) for k in files_restored} == files_restored
        for _id, key, sha256, size in copy["attachments"]:
            assert files_restored.get(key) == (sha256, size), key
        # Files of replies committed after the database was copied come back without their
        # rows: orphans, which `flask cop clean-uploads` removes an hour later.
        orphans = set(files_restored) - {key for _id, key, _sha, _size in copy["attachments"]}
        assert orphans
        assert orphans <= {key for _id, key, _sha, _size in original["attachments"]}
        assert not [p for p in target_uploads.iterdir() if p.name.startswith(".")]
        assert len(copy["attachments"]) >= len(EXTRA_FILES) + 2  # the demo's handouts too

        assert backups.ARCHIVE_NAME.fullmatch(archive.name)

        # The restored site takes new writes (on PostgreSQL: the sequences came back too).
        with target.app_context():
            thread_id, people = _writing_plan(target)[0][0]
            written = discussions.reply(db.session.get(Thread, thread_id),
                                        db.session.get(User, people[0]), body="Dopo il ripristino.")
            db.session.commit()
            assert written.post.id > restored_posts[-1]
            db.session.remove()
        rows = sum(restored.values())
        restored_bytes = sum(size for _sha, size in files_restored.values())
        with capsys.disabled():
            print(f"\nbackup drill on {manifest_dialect(archive)}: {len(restored)} tables, "
                  f"{rows} rows, {len(files_restored)} files ({len(orphans)} orphans), "
                  f"{restored_bytes} bytes restored "
                  f"into an empty database and folder; archive {archive.stat().st_size} "
                  f"bytes; backup {backup_seconds:.2f} s while {written_after - written_before}"
                  f" replies were committed (posts {before['posts']} before, "
                  f"{restored['posts']} restored, {after['posts']} after; tables written: "
                  f"{', '.join(changed)}); restore {restore_seconds:.2f} s; migrations "
                  f"{migrated - began:.1f} s, demo {seeded - migrated:.1f} s, all "
                  f"{time.monotonic() - began:.1f} s")
    finally:
        _dispose(source, target)
