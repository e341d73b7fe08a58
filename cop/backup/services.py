"""The work of `flask cop backup` and `flask cop restore`.

An archive, `cop-backup-YYYYMMDD-HHMMSS.tar.gz` (UTC), holds:

- `database/cop.sqlite3`: SQLite's online backup of the live file (one read transaction, so a
  consistent copy while writers go on: in WAL mode they are not held up), or
  `database/cop.pgdump`: `pg_dump --format=custom --no-owner` (PostgreSQL's own snapshot);
- `uploads/<storage key>`: every file of the upload folder (files still being written, which
  end in `.partial`, are left out);
- `manifest.json`, last: the format, when, the database dialect, its Alembic revision, the app's
  version, how many uploaded files and bytes, and each member's size and SHA-256.

The database is copied first, then the files: an upload writes its file before its row is
committed, so every attachment in the copy has its file on disk when the files are read (only
one deleted in between may be missing; a file added in between is an orphan that
`flask cop clean-uploads` removes).

The archive is written under a hidden temporary name in the same folder, made durable and then
renamed: a name matching the pattern is always a whole backup. Mode 0600: it holds every
password hash and every private message.

Restore reads the archive twice: first to check it whole (names, types, manifest, every
checksum) so that a damaged or foreign archive changes nothing, then, after the operator's yes,
to extract into staging places (checking the checksums again) before anything live is replaced.
Members are written by name under a staging folder; links, devices, absolute names and `..` are
refused. Nothing here commits: the database is replaced through SQLite's backup API or
`pg_restore`, outside SQLAlchemy's session, which is closed and its pool emptied first.
"""
from __future__ import annotations

import errno
import hashlib
import io
import json
import os
import re
import shutil
import sqlite3
import stat
import subprocess
import tarfile
import tempfile
import zlib
from dataclasses import dataclass, field
from datetime import datetime
from importlib import metadata
from pathlib import Path, PurePosixPath

from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util import CommandError
from flask import current_app
from sqlalchemy.engine import URL

from cop.database import utcnow
from cop.errors import ServiceError
from cop.extensions import db
from cop.files.services import TEMPORARY_SUFFIX, upload_folder

FORMAT = "cop-backup"
FORMAT_VERSION = 1
ARCHIVE_NAME = re.compile(r"cop-backup-\d{8}-\d{6}\.tar\.gz")
MANIFEST = "manifest.json"
DATABASE_MEMBERS = {"sqlite": "database/cop.sqlite3", "postgresql": "database/cop.pgdump"}
UPLOADS = "uploads"
CHUNK = 1024 * 1024
# libpq reads these from the environment; the URL's query may carry them (?sslmode=require).
_PG_QUERY_ENV = {"sslmode": "PGSSLMODE", "sslrootcert": "PGSSLROOTCERT", "sslcert": "PGSSLCERT",
                 "sslkey": "PGSSLKEY", "connect_timeout": "PGCONNECT_TIMEOUT"}
_DAMAGED = "Archivio danneggiato o non valido ({}): nulla è stato ripristinato."


@dataclass
class Written:
    path: Path
    size: int
    manifest: dict
    removed: list[Path] = field(default_factory=list)


# --- backup ---------------------------------------------------------------------------------

def backup_folder() -> Path:
    """BACKUP_FOLDER (COP_BACKUP_FOLDER in the environment), else <instance>/backups."""
    folder = current_app.config.get("BACKUP_FOLDER")
    return Path(folder) if folder else Path(current_app.instance_path) / "backups"


def archive_name(moment: datetime) -> str:
    return f"cop-backup-{moment:%Y%m%d-%H%M%S}.tar.gz"


def make_backup(folder: Path | None = None, keep: int | None = None,
                now: datetime | None = None) -> Written:
    """Writes one archive into `folder` (default `backup_folder()`); with `keep`, then removes
    the oldest archives beyond that many. Raises ServiceError with the reason when it cannot."""
    folder = Path(folder) if folder else backup_folder()
    now = now or utcnow()
    dialect = db.engine.dialect.name
    if dialect not in DATABASE_MEMBERS:
        raise ServiceError(f"Database non supportato per il backup: {dialect}.")
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    final = folder / archive_name(now)
    if final.exists():
        raise ServiceError(f"Esiste già {final}: riprova tra un secondo.")
    revision = _current_revision()
    db.session.remove()  # no transaction of ours stays open while the copy is taken
    temporary = folder / f".{final.name}.{os.getpid()}.partial"
    with tempfile.TemporaryDirectory(prefix=".cop-backup-", dir=folder) as staging:
        dump = Path(staging) / "database"
        if dialect == "sqlite":
            copy_sqlite(_sqlite_path(), dump)
        else:
            dump_postgresql(db.engine.url, dump)
        try:
            manifest = _write_archive(temporary, dump, DATABASE_MEMBERS[dialect], {
                "format": FORMAT, "format_version": FORMAT_VERSION,
                "created_at": now.isoformat(timespec="seconds"), "dialect": dialect,
                "alembic_revision": revision, "app_version": _app_version(),
            }, now)
            if final.exists():  # another backup in the same second
                raise ServiceError(f"Esiste già {final}: riprova tra un secondo.")
            os.replace(temporary, final)
            _sync_folder(folder)
        finally:
            temporary.unlink(missing_ok=True)
    removed = prune(folder, keep) if keep else []
    return Written(final, final.stat().st_size, manifest, removed)


def prune(folder: Path, keep: int) -> list[Path]:
    """Removes the oldest archives beyond the newest `keep` (only names matching the pattern,
    whose UTC timestamps sort by name). Returns what was removed."""
    if keep < 1:
        raise ValueError("keep at least one backup")
    archives = sorted(p for p in folder.iterdir()
                      if ARCHIVE_NAME.fullmatch(p.name) and p.is_file() and not p.is_symlink())
    doomed = archives[:-keep] if len(archives) > keep else []
    for path in doomed:
        path.unlink()
    return doomed


def copy_sqlite(live: Path, target: Path) -> None:
    """SQLite's online backup of `live` into a new file `target`, in one step (one read
    transaction: a consistent copy; in WAL mode writers go on meanwhile), left as a
    self-contained file (rollback journal, not WAL) and checked."""
    if not live.is_file():
        raise ServiceError(f"Database SQLite non trovato: {live}.")
    timeout = current_app.config.get("SQLITE_BUSY_TIMEOUT_MS", 15000) / 1000
    source = sqlite3.connect(str(live), timeout=timeout)
    copy = sqlite3.connect(str(target))
    try:
        source.backup(copy)  # pages=-1: the whole database in one step
        copy.execute("PRAGMA journal_mode = DELETE")
        verdict = copy.execute("PRAGMA quick_check").fetchone()[0]
    except sqlite3.Error as error:
        raise ServiceError(f"Copia del database SQLite non riuscita: {error}.") from error
    finally:
        copy.close()
        source.close()
    if verdict != "ok":
        raise ServiceError(f"La copia del database SQLite non supera il controllo: {verdict}.")


def dump_postgresql(url: URL, target: Path) -> None:
    _run_pg("pg_dump", ["--format=custom", "--no-owner", f"--file={target}"], url)


def _write_archive(temporary: Path, dump: Path, dump_name: str, manifest: dict,
                   now: datetime) -> dict:
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as raw:
        with tarfile.open(fileobj=raw, mode="w:gz", compresslevel=6,
                          format=tarfile.PAX_FORMAT) as tar:
            members = [_add_file(tar, dump, dump_name)]
            uploads = [m for path, name in _upload_files(upload_folder())
                       if (m := _add_file(tar, path, name)) is not None]
            members += uploads
            manifest = {**manifest, "database": dump_name,
                        "uploads": {"files": len(uploads),
                                    "bytes": sum(m["size"] for m in uploads)},
                        "members": members}
            data = json.dumps(manifest, indent=2, sort_keys=True).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size, info.mtime, info.mode = len(data), int(now.timestamp()), 0o600
            tar.addfile(info, io.BytesIO(data))
        raw.flush()
        os.fsync(raw.fileno())
    return manifest


def _upload_files(folder: Path):
    """(path, member name) of each finished upload, in a stable order. Hidden entries (a
    restore's staging) and files still being written are left out; links are not followed."""
    if not folder.is_dir():
        return
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if name.startswith(".") or name.endswith(TEMPORARY_SUFFIX):
                continue
            path = Path(root) / name
            relative = path.relative_to(folder).as_posix()
            yield path, f"{UPLOADS}/{relative}"


class _Hashing:
    def __init__(self, stream):
        self.stream, self.digest = stream, hashlib.sha256()

    def read(self, size=-1):
        data = self.stream.read(size)
        self.digest.update(data)
        return data


def _add_file(tar: tarfile.TarFile, path: Path, name: str) -> dict | None:
    """Adds one regular file (None if it vanished or is not one) and returns its manifest entry.
    The bytes come from the open file: an upload is never rewritten in place, only replaced or
    deleted, so its size cannot change under us."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
    except FileNotFoundError:
        return None  # deleted since the folder was listed
    except OSError as error:
        if error.errno == errno.ELOOP:
            return None  # a link: uploads are plain files
        raise
    with os.fdopen(fd, "rb") as handle:
        status = os.fstat(handle.fileno())
        if not stat.S_ISREG(status.st_mode):
            return None
        info = tarfile.TarInfo(name)
        info.size, info.mtime, info.mode = status.st_size, int(status.st_mtime), 0o600
        reader = _Hashing(handle)
        tar.addfile(info, reader)
    return {"name": name, "size": status.st_size, "sha256": reader.digest.hexdigest()}


def _sync_folder(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _current_revision() -> str | None:
    with db.engine.connect() as connection:
        heads = MigrationContext.configure(connection).get_current_heads()
    return ",".join(heads) or None


def _app_version() -> str:
    try:
        return metadata.version("cop")
    except metadata.PackageNotFoundError:
        return "unknown"


def _sqlite_path() -> Path:
    database = db.engine.url.database
    if not database or database == ":memory:" or database.startswith("file:"):
        raise ServiceError("Il backup vale per un database SQLite in un file.")
    return Path(database)


# --- PostgreSQL tools -----------------------------------------------------------------------

def pg_connection(url: URL) -> tuple[list[str], dict[str, str]]:
    """The arguments and environment that point libpq's tools at the database of `url`. The
    password travels in PGPASSWORD, never on the command line (where `ps` would show it)."""
    args = ["--no-password"]  # a missing password fails at once instead of waiting for a prompt
    host = url.host or _query_value(url, "host")
    if host:
        args.append(f"--host={host}")
    port = url.port or _query_value(url, "port")
    if port:
        args.append(f"--port={port}")
    if url.username:
        args.append(f"--username={url.username}")
    env = {k: v for k, v in os.environ.items() if k != "PGPASSWORD"}
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    for key, variable in _PG_QUERY_ENV.items():
        if value := _query_value(url, key):
            env[variable] = value
    if url.database:
        args.append(f"--dbname={url.database}")
    return args, env


def _query_value(url: URL, key: str) -> str | None:
    value = url.query.get(key)
    if isinstance(value, tuple):
        value = value[0] if value else None
    return str(value) if value else None


def _run_pg(tool: str, arguments: list[str], url: URL) -> None:
    executable = shutil.which(tool)
    if executable is None:
        raise ServiceError(f"{tool} non trovato: installa il client di PostgreSQL "
                           "(postgresql-client, della versione del server o più recente).")
    args, env = pg_connection(url)
    done = subprocess.run([executable, *arguments, *args], env=env, capture_output=True,
                          text=True, stdin=subprocess.DEVNULL)
    if done.returncode != 0:
        detail = " ".join(done.stderr.strip().splitlines()[-5:]) or f"codice {done.returncode}"
        raise ServiceError(f"{tool} non riuscito: {detail}")


# --- restore --------------------------------------------------------------------------------

def check_archive(path: Path) -> dict:
    """Reads the whole archive and returns its manifest once every member is as the manifest
    says (name, size, SHA-256), the names are safe and nothing is missing or extra. Raises
    ServiceError otherwise: a damaged archive restores nothing."""
    manifest_data, found = None, {}
    for member, stream in _members(path):
        if member.name == MANIFEST:
            manifest_data = stream.read()
            continue
        digest = hashlib.sha256()
        while chunk := stream.read(CHUNK):
            digest.update(chunk)
        found[member.name] = {"name": member.name, "size": member.size,
                              "sha256": digest.hexdigest()}
    if manifest_data is None:
        raise ServiceError(_DAMAGED.format("manca manifest.json"))
    try:
        manifest = json.loads(manifest_data)
        listed = {m["name"]: {"name": m["name"], "size": m["size"], "sha256": m["sha256"]}
                  for m in manifest["members"]}
        database = manifest["database"]
    except (ValueError, KeyError, TypeError) as error:
        raise ServiceError(_DAMAGED.format("manifest.json illeggibile")) from error
    if manifest.get("format") != FORMAT or manifest.get("format_version") != FORMAT_VERSION:
        raise ServiceError(_DAMAGED.format(
            f"formato {manifest.get('format')} {manifest.get('format_version')}, "
            f"atteso {FORMAT} {FORMAT_VERSION}"))
    if DATABASE_MEMBERS.get(manifest.get("dialect")) != database or database not in listed:
        raise ServiceError(_DAMAGED.format("manca il database"))
    for name in sorted(set(listed) | set(found)):
        if name not in found:
            raise ServiceError(_DAMAGED.format(f"manca {name}"))
        if name not in listed:
            raise ServiceError(_DAMAGED.format(f"{name} non è nel manifest"))
        if found[name] != listed[name]:
            raise ServiceError(_DAMAGED.format(f"{name} non corrisponde al suo SHA-256"))
        if name != database and not name.startswith(UPLOADS + "/"):
            raise ServiceError(_DAMAGED.format(f"membro inatteso {name}"))
    return manifest


def check_restorable(manifest: dict) -> None:
    """Refuses an archive of another kind of database than the configured one."""
    dialect = db.engine.dialect.name
    if manifest["dialect"] != dialect:
        raise ServiceError(f"Il backup è di un database {manifest['dialect']}, questa "
                           f"installazione usa {dialect}: nulla è stato ripristinato.")


def restore(path: Path, manifest: dict) -> None:
    """Replaces the database and the upload folder with the archive's (checked beforehand by
    `check_archive`). The files are extracted to staging places first, their checksums
    checked again; the database is replaced, then the uploads are swapped in."""
    check_restorable(manifest)
    expected = {m["name"]: m for m in manifest["members"]}
    uploads = upload_folder()
    uploads.mkdir(parents=True, exist_ok=True)
    # Staging inside the upload folder: the same file system (renames, not copies), even when
    # the folder is a mount point of its own. Hidden names: backups skip them.
    staging = Path(tempfile.mkdtemp(prefix=".restore-", dir=uploads)).resolve()
    try:
        with tempfile.TemporaryDirectory(prefix="cop-restore-") as scratch:
            dump = Path(scratch) / "database"
            for member, stream in _members(path):
                if member.name == MANIFEST:
                    continue
                if member.name == manifest["database"]:
                    _extract(stream, dump, expected.get(member.name), 0o600)
                else:  # uploads as the app writes them (umask), with their times
                    target = _inside(staging, member.name[len(UPLOADS) + 1:])
                    _extract(stream, target, expected.get(member.name), 0o666)
                    os.utime(target, (member.mtime, member.mtime))
            db.session.remove()
            db.engine.dispose()  # no pooled connection of ours holds a lock or a stale schema
            if manifest["dialect"] == "sqlite":
                _restore_sqlite(dump, _sqlite_path())
            else:
                _run_pg("pg_restore", ["--clean", "--if-exists", "--no-owner",
                                       "--single-transaction", str(dump)], db.engine.url)
            db.engine.dispose()
        _swap_in(uploads, staging)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def revision_advice(manifest: dict) -> str | None:
    """What to do after a restore when the archive's schema is not the migrations' head."""
    script = ScriptDirectory(current_app.extensions["migrate"].directory)
    heads, revision = script.get_heads(), manifest.get("alembic_revision")
    newest = ", ".join(heads)
    if revision in heads:
        return None
    if revision is None:
        return ("Il backup non dice a quale migrazione era lo schema: controlla con "
                "`flask db current` ed esegui `flask db upgrade` se serve.")
    try:
        known = script.get_revision(revision) is not None
    except CommandError:
        known = False
    if not known:
        return (f"Il backup viene da una versione più recente di cop (schema {revision}, "
                f"questa conosce fino a {newest}): installa quella versione prima di usarlo.")
    return (f"Lo schema del backup ({revision}) è più vecchio delle migrazioni ({newest}): "
            "esegui `flask db upgrade`.")


def _members(path: Path):
    """(member, stream) for each regular file of the archive, in order; refuses unsafe or
    unexpected entries and turns a damaged archive into a ServiceError."""
    seen = set()
    try:
        with tarfile.open(path, mode="r:gz") as tar:
            for member in tar:
                _check_member(member, seen)
                if member.isdir():
                    continue
                yield member, _Reading(tar.extractfile(member))
    except _READ_ERRORS as error:
        raise ServiceError(_DAMAGED.format(f"{type(error).__name__}: {error}")) from error


_READ_ERRORS = (tarfile.TarError, EOFError, zlib.error, OSError)  # gzip.BadGzipFile: OSError


class _Reading:
    """A member's bytes, read in the caller's loop: a damaged stream is a ServiceError there
    too (not a bare EOFError, which click would report as "Aborted!")."""

    def __init__(self, stream):
        self.stream = stream

    def read(self, size=-1):
        try:
            return self.stream.read(size)
        except _READ_ERRORS as error:
            raise ServiceError(_DAMAGED.format(f"{type(error).__name__}: {error}")) from error


def _check_member(member: tarfile.TarInfo, seen: set[str]) -> None:
    name = member.name
    parts = PurePosixPath(name).parts
    if (not name or name.startswith("/") or "\\" in name or "\x00" in name
            or any(part in ("", ".", "..") for part in name.split("/"))
            or (parts and parts[0].endswith(":"))):
        raise ServiceError(_DAMAGED.format(f"nome non ammesso {name!r}"))
    if not (member.isreg() or member.isdir()):
        raise ServiceError(_DAMAGED.format(f"{name!r} non è un file (collegamento o speciale)"))
    if member.isreg():
        if name in seen:
            raise ServiceError(_DAMAGED.format(f"{name} compare due volte"))
        seen.add(name)


def _inside(root: Path, relative: str) -> Path:
    target = root.joinpath(*relative.split("/"))
    if not relative or os.path.commonpath([root, target]) != str(root) or target == root:
        raise ServiceError(_DAMAGED.format(f"nome non ammesso {relative!r}"))
    return target


def _extract(stream, target: Path, expected: dict | None, mode: int) -> None:
    if expected is None:
        raise ServiceError(_DAMAGED.format(f"{target.name} non è nel manifest"))
    target.parent.mkdir(parents=True, exist_ok=True)
    digest, size = hashlib.sha256(), 0
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, mode)
    with os.fdopen(fd, "wb") as out:
        while chunk := stream.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
            out.write(chunk)
        out.flush()
        os.fsync(out.fileno())
    if size != expected["size"] or digest.hexdigest() != expected["sha256"]:
        raise ServiceError(_DAMAGED.format(
            f"{expected['name']} è cambiato dopo il controllo"))


def _restore_sqlite(snapshot: Path, live: Path) -> None:
    """SQLite's backup API the other way: the snapshot's pages are written into the live
    database under its own lock and journal, so a process that has it open sees either the
    old database or the restored one."""
    live.parent.mkdir(parents=True, exist_ok=True)
    timeout = current_app.config.get("SQLITE_BUSY_TIMEOUT_MS", 15000) / 1000
    source = sqlite3.connect(str(snapshot))
    target = sqlite3.connect(str(live), timeout=timeout)
    try:
        source.backup(target)
    except sqlite3.Error as error:
        raise ServiceError(f"Ripristino del database SQLite non riuscito: {error}.") from error
    finally:
        target.close()
        source.close()


def _swap_in(uploads: Path, staging: Path) -> None:
    """The restored files take the place of the current ones: what is there moves aside into a
    hidden folder, the staged entries move up, the old ones go. Renames within one folder."""
    aside = Path(tempfile.mkdtemp(prefix=".before-restore-", dir=uploads))
    for entry in list(uploads.iterdir()):
        if entry not in (staging, aside):
            entry.rename(aside / entry.name)
    for entry in list(staging.iterdir()):
        entry.rename(uploads / entry.name)
    shutil.rmtree(aside)
