"""Writes on attachments: store uploads, delete them, move them with their owner. Never commits.

Files and rows must agree although only the rows are transactional. The bytes are written
when the rows are added (so a commit never points at a file that is not there yet) and the
session remembers them: if the transaction ends without a commit, they are deleted at once.
A deletion works the other way round: the file goes only after the commit. What a crash
leaves behind (a file without a row) is found by `remove_orphan_files`, run from the CLI.
"""
from __future__ import annotations

import hashlib
import logging
import os
import secrets
import time
from collections.abc import Iterable
from datetime import timedelta
from pathlib import Path

from flask import current_app
from sqlalchemy import event, func, select, update
from sqlalchemy.orm import Session

from cop.errors import ServiceError
from cop.extensions import db
from cop.files.checks import Refused, check_upload, too_many_message
from cop.files.models import Attachment

WRITTEN = "cop_files_written"  # session.info keys: paths written in this transaction,
DOOMED = "cop_files_doomed"  # and paths to delete once it commits
TEMPORARY_SUFFIX = ".partial"
log = logging.getLogger(__name__)


def upload_folder() -> Path:
    folder = current_app.config.get("UPLOAD_FOLDER")
    return Path(folder) if folder else Path(current_app.instance_path) / "uploads"


def path_of(attachment: Attachment) -> Path:
    return upload_folder() / attachment.storage_key


def _new_storage_key() -> str:
    token = secrets.token_hex(16)
    return f"{token[:2]}/{token}"  # 256 subfolders keep each folder small


def _write(stream, path: Path) -> str:
    """Copies `stream` to `path` (through a temporary name, so no reader sees half a file);
    returns the SHA-256 of the bytes."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(path.name + TEMPORARY_SUFFIX)
    digest = hashlib.sha256()
    stream.seek(0)
    with temporary.open("xb") as out:
        while chunk := stream.read(1024 * 1024):
            digest.update(chunk)
            out.write(chunk)
        out.flush()
        os.fsync(out.fileno())
    os.replace(temporary, path)
    return digest.hexdigest()


def attachment_count(owner_type: str, owner_id: int) -> int:
    return db.session.scalar(select(func.count(Attachment.id)).where(
        Attachment.owner_type == owner_type, Attachment.owner_id == owner_id))


def store_uploads(files: Iterable, *, space_id: int, owner_type: str, owner_id: int,
                  user) -> list[Attachment]:
    """Checks and stores uploaded files (werkzeug FileStorage, or anything with `filename`
    and a seekable `stream`) for one owner. All or nothing: the first refused file raises
    ServiceError before anything is written. Empty file inputs are skipped."""
    files = [f for f in files if f and getattr(f, "filename", "")]
    if not files:
        return []
    config = current_app.config
    limit, existing = config["ATTACHMENTS_PER_ITEM"], attachment_count(owner_type, owner_id)
    if existing + len(files) > limit:
        raise ServiceError(too_many_message(limit, existing))
    checked = []
    for upload in files:
        try:
            checked.append(check_upload(upload.filename, upload.stream,
                                        config["ATTACHMENT_MAX_BYTES"]))
        except Refused as refusal:
            raise ServiceError(refusal.message) from None
    written = db.session.info.setdefault(WRITTEN, [])
    attachments = []
    for upload, result in zip(files, checked):
        key = _new_storage_key()
        path = upload_folder() / key
        written.append(str(path))  # before writing: a failed write leaves nothing behind
        digest = _write(upload.stream, path)
        attachment = Attachment(
            space_id=space_id, owner_type=owner_type, owner_id=owner_id,
            filename=result.filename, extension=result.extension,
            content_type=result.content_type, size=result.size, sha256=digest,
            storage_key=key, uploaded_by_id=user.id if user is not None else None)
        db.session.add(attachment)
        attachments.append(attachment)
    db.session.flush()
    return attachments


def delete_attachment(attachment: Attachment) -> None:
    """Deletes the row now and the file once the transaction commits."""
    db.session.info.setdefault(DOOMED, []).append(str(path_of(attachment)))
    db.session.delete(attachment)
    db.session.flush()


def delete_owner_attachments(owner_type: str, owner_ids: Iterable[int]) -> int:
    """Deletes every attachment of these owners (call it when deleting the owners)."""
    owner_ids = list(owner_ids)
    if not owner_ids:
        return 0
    attachments = db.session.scalars(select(Attachment).where(
        Attachment.owner_type == owner_type, Attachment.owner_id.in_(owner_ids))).all()
    for attachment in attachments:
        delete_attachment(attachment)
    return len(attachments)


def move_owner_space(owner_type: str, owner_ids: Iterable[int], space_id: int) -> None:
    """The owners moved to another space (a thread moved): their files follow them."""
    owner_ids = list(owner_ids)
    if owner_ids:
        db.session.execute(
            update(Attachment)
            .where(Attachment.owner_type == owner_type, Attachment.owner_id.in_(owner_ids))
            .values(space_id=space_id),
            execution_options={"synchronize_session": "fetch"})


def remove_orphan_files(older_than: timedelta = timedelta(hours=1)) -> list[str]:
    """Deletes files under the upload folder that no attachment names (left by a crash between
    writing and committing, or by a deleted space's cascade), if older than `older_than` so
    that uploads in flight are spared. Returns the storage keys removed."""
    folder = upload_folder()
    if not folder.is_dir():
        return []
    known = set(db.session.scalars(select(Attachment.storage_key)))
    cutoff = time.time() - older_than.total_seconds()
    removed = []
    for path in sorted(folder.rglob("*")):
        if not path.is_file():
            continue
        key = path.relative_to(folder).as_posix()
        if key not in known and path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)
            removed.append(key)
    return removed


# --- keeping files in step with the transaction -----------------------------------------------

def _unlink_all(paths: list[str]) -> None:
    for path in paths:
        try:
            Path(path).unlink(missing_ok=True)
            Path(path + TEMPORARY_SUFFIX).unlink(missing_ok=True)
        except OSError:  # left for remove_orphan_files
            log.warning("could not delete attachment file %s", path, exc_info=True)


@event.listens_for(Session, "after_commit")
def _after_commit(session: Session) -> None:
    session.info.pop(WRITTEN, None)  # committed: the files are the rows' now
    _unlink_all(session.info.pop(DOOMED, []))


@event.listens_for(Session, "after_transaction_end")
def _after_transaction_end(session: Session, transaction) -> None:
    if transaction.parent is not None:  # a savepoint: the outer transaction decides
        return
    # Still here after the outermost transaction ended: it rolled back or was closed.
    _unlink_all(session.info.pop(WRITTEN, []))
    session.info.pop(DOOMED, None)
