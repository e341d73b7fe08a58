"""Writes of the learning feature. Never commits: the view (or the demo seeder) does, once.

Paths and modules keep their stored counters (`module_count`, `completion_count`,
`attachment_count`); modules stay numbered 1..n. Marking the last module of a published path
done completes it: a `PathCompletion` and, through cop.directory.services.add_learning, an
entry in the person's record of lifelong learning (kind «corso»). Unmarking a module later
keeps both: the completion is an event that happened (like a certificate), not a state.
The completion issues the person's attestation (`issue_attestation`), with a random code that
anyone may check at the public page /verifica/<code>.
"""
from __future__ import annotations

import secrets
from dataclasses import dataclass
from urllib.parse import urlsplit

from flask_babel import gettext as _
from sqlalchemy import delete, func, select, update

from cop.database import upsert, utcnow
from cop.directory import services as directory
from cop.directory.models import LearningKind
from cop.errors import ServiceError
from cop.extensions import db
from cop.files import services as files
from cop.learning.models import (
    OWNER_TYPE,
    Attestation,
    LearningModule,
    LearningPath,
    LearningProgress,
    ModuleKind,
    PathCompletion,
    PathStatus,
)
from cop.markdown import render_markdown
from cop.meetings.times import local
from cop.spaces.models import Space


@dataclass
class ModuleInput:
    kind: str
    title: str
    minutes: int | None = None
    description: str = ""
    url: str = ""
    body: str = ""


def is_web_address(value: str) -> bool:
    parts = urlsplit(value or "")
    return parts.scheme in ("http", "https") and bool(parts.netloc) and " " not in value


def _clean(text: str, limit: int) -> str:
    return " ".join((text or "").split())[:limit]


# --- paths -----------------------------------------------------------------------------------

MAX_DURATION_MINUTES = 500 * 60


def _check_duration(minutes: int | None) -> int | None:
    if minutes is not None and not 1 <= minutes <= MAX_DURATION_MINUTES:
        raise ServiceError(_("Indica da 0,25 a 500 ore, oppure lascia vuoto."))
    return minutes


def create_path(space: Space, user, title: str, summary: str = "",
                duration_minutes: int | None = None) -> LearningPath:
    title = _clean(title, 200)
    if not title:
        raise ServiceError(_("Scrivi il titolo del percorso."))
    path = LearningPath(space_id=space.id, title=title, summary=summary or "",
                        summary_html=render_markdown(summary), status=PathStatus.DRAFT.value,
                        module_count=0, completion_count=0,
                        duration_minutes=_check_duration(duration_minutes),
                        created_by_id=user.id if user is not None else None)
    db.session.add(path)
    db.session.flush()
    return path


def update_path(path: LearningPath, title: str, summary: str = "",
                duration_minutes: int | None = None) -> None:
    """Changes the path from now on: attestations already issued keep their title and hours."""
    title = _clean(title, 200)
    if not title:
        raise ServiceError(_("Scrivi il titolo del percorso."))
    path.duration_minutes = _check_duration(duration_minutes)
    path.title, path.summary = title, summary or ""
    path.summary_html = render_markdown(summary)
    path.updated_at = utcnow()
    db.session.flush()


def publish_path(path: LearningPath) -> None:
    if path.module_count < 1:
        raise ServiceError(_("Aggiungi almeno un modulo prima di pubblicare il percorso."))
    path.status = PathStatus.PUBLISHED.value
    path.published_at = path.published_at or utcnow()
    path.updated_at = utcnow()
    db.session.flush()


def unpublish_path(path: LearningPath) -> None:
    """Back to draft: the members no longer see it; progress and completions stay."""
    path.status = PathStatus.DRAFT.value
    path.updated_at = utcnow()
    db.session.flush()


def delete_path(path: LearningPath) -> None:
    """The path, its modules, their files and the progress go; the entries already written in
    people's records of lifelong learning stay (they are the people's own now)."""
    module_ids = list(db.session.scalars(select(LearningModule.id).where(
        LearningModule.path_id == path.id)))
    files.delete_owner_attachments(OWNER_TYPE, module_ids)
    db.session.execute(delete(LearningProgress).where(LearningProgress.path_id == path.id))
    db.session.execute(delete(PathCompletion).where(PathCompletion.path_id == path.id))
    db.session.execute(delete(LearningModule).where(LearningModule.path_id == path.id))
    db.session.delete(path)
    db.session.flush()


# --- modules ---------------------------------------------------------------------------------

def _check_module(data: ModuleInput, has_files: bool) -> None:
    if data.kind not in {k.value for k in ModuleKind}:
        raise ServiceError(_("Scegli il tipo di modulo."))
    if not _clean(data.title, 200):
        raise ServiceError(_("Scrivi il titolo del modulo."))
    if data.url and not is_web_address(data.url):
        raise ServiceError(_("Scrivi un indirizzo web completo, che inizia con https://."))
    if data.kind == ModuleKind.VIDEO.value and not data.url:
        raise ServiceError(_("Per una videolezione serve il link al video."))
    if data.kind == ModuleKind.HANDOUT.value and not has_files:
        raise ServiceError(_("Per una dispensa carica almeno un file."))
    if data.kind == ModuleKind.READING.value and not (data.body.strip() or data.url):
        raise ServiceError(_("Per una lettura scrivi il testo o indica il link."))


def _write_module(module: LearningModule, data: ModuleInput) -> None:
    module.kind, module.title = data.kind, _clean(data.title, 200)
    module.minutes = data.minutes
    module.description, module.description_html = data.description, render_markdown(
        data.description)
    module.url = (data.url or "").strip()[:500]
    module.body = data.body if data.kind == ModuleKind.READING.value else ""
    module.body_html = render_markdown(module.body)
    module.updated_at = utcnow()


def add_module(path: LearningPath, user, data: ModuleInput, uploads=()) -> LearningModule:
    uploads = [f for f in uploads if f and getattr(f, "filename", "")]
    _check_module(data, bool(uploads))
    last = db.session.scalar(select(func.max(LearningModule.position)).where(
        LearningModule.path_id == path.id)) or 0
    module = LearningModule(path_id=path.id, position=last + 1, attachment_count=0)
    _write_module(module, data)
    db.session.add(module)
    db.session.flush()
    _attach(module, path, user, uploads)
    path.module_count = LearningPath.module_count + 1
    path.updated_at = utcnow()
    db.session.flush()
    db.session.refresh(path, ["module_count"])
    return module


def _attach(module: LearningModule, path: LearningPath, user, uploads) -> None:
    if uploads:
        stored = files.store_uploads(uploads, space_id=path.space_id, owner_type=OWNER_TYPE,
                                     owner_id=module.id, user=user)
        module.attachment_count = (module.attachment_count or 0) + len(stored)


def update_module(module: LearningModule, user, data: ModuleInput, uploads=()) -> None:
    uploads = [f for f in uploads if f and getattr(f, "filename", "")]
    _check_module(data, bool(uploads) or module.attachment_count > 0)
    _write_module(module, data)
    path = db.session.get(LearningPath, module.path_id)
    _attach(module, path, user, uploads)
    db.session.flush()


def remove_handout_file(module: LearningModule, attachment) -> None:
    if module.kind == ModuleKind.HANDOUT.value and module.attachment_count <= 1:
        raise ServiceError(_("Una dispensa ha almeno un file: caricane un altro prima di "
                             "togliere questo."))
    files.delete_attachment(attachment)
    module.attachment_count = max(0, module.attachment_count - 1)
    db.session.flush()


def _renumber(path_id: int) -> None:
    modules = db.session.scalars(select(LearningModule).where(
        LearningModule.path_id == path_id).order_by(LearningModule.position,
                                                     LearningModule.id)).all()
    for n, module in enumerate(modules, start=1):
        if module.position != n:
            module.position = n


def move_module(module: LearningModule, direction: int) -> None:
    """One place up (direction -1) or down (+1); at either end nothing moves."""
    _renumber(module.path_id)
    db.session.flush()
    neighbour = db.session.scalar(select(LearningModule).where(
        LearningModule.path_id == module.path_id,
        LearningModule.position == module.position + (1 if direction > 0 else -1)))
    if neighbour is None:
        return
    module.position, neighbour.position = neighbour.position, module.position
    db.session.flush()


def remove_module(module: LearningModule) -> None:
    path = db.session.get(LearningPath, module.path_id)
    files.delete_owner_attachments(OWNER_TYPE, [module.id])
    db.session.execute(delete(LearningProgress).where(LearningProgress.module_id == module.id))
    db.session.delete(module)
    db.session.flush()
    _renumber(path.id)
    path.module_count = max(0, path.module_count - 1)
    path.updated_at = utcnow()
    db.session.flush()


# --- progress ----------------------------------------------------------------------------------

def done_count(user_id: int, path_id: int) -> int:
    return db.session.scalar(select(func.count(LearningProgress.id)).where(
        LearningProgress.user_id == user_id, LearningProgress.path_id == path_id)) or 0


def mark_done(module: LearningModule, user) -> PathCompletion | None:
    """Marks the module done (again: nothing changes). Returns the completion when this was
    the last module of a published path the person had not completed yet."""
    # INSERT ... ON CONFLICT: two clicks at once leave one row, and no error
    upsert(LearningProgress, {"user_id": user.id, "module_id": module.id},
           {"path_id": module.path_id})
    path = db.session.get(LearningPath, module.path_id)
    if not path.is_published or done_count(user.id, path.id) < path.module_count:
        return None
    return complete(path, user)


def mark_undone(module: LearningModule, user) -> None:
    db.session.execute(delete(LearningProgress).where(
        LearningProgress.user_id == user.id, LearningProgress.module_id == module.id))
    db.session.flush()


def provider_for(space: Space) -> str:
    return _("Percorso della piattaforma · %(space)s", space=space.name)


def complete(path: LearningPath, user) -> PathCompletion | None:
    """The completion and its learning record, once per person and path (None if done before)."""
    if db.session.scalar(select(PathCompletion.id).where(
            PathCompletion.user_id == user.id, PathCompletion.path_id == path.id)) is not None:
        return None

    now = utcnow()
    space = db.session.get(Space, path.space_id)
    record = directory.add_learning(user, title=path.title, kind=LearningKind.COURSE.value,
                                    provider=provider_for(space), year=local(now).year)
    completion = PathCompletion(user_id=user.id, path_id=path.id, completed_at=now,
                                learning_record_id=record.id)
    db.session.add(completion)
    db.session.execute(update(LearningPath).where(LearningPath.id == path.id).values(
        completion_count=LearningPath.completion_count + 1))
    db.session.flush()
    db.session.refresh(path, ["completion_count"])
    issue_attestation(completion, path)
    return completion


def recount(path_id: int) -> None:
    """completion_count from the rows (after an account is deleted)."""
    db.session.execute(update(LearningPath).where(LearningPath.id == path_id).values(
        completion_count=select(func.count(PathCompletion.id)).where(
            PathCompletion.path_id == path_id).scalar_subquery()))


# --- attestations ----------------------------------------------------------------------------

CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # no 0/O, 1/I/L: read aloud, typed by hand
CODE_LENGTH = 12  # 31**12, about 59 bits: not found by trying, even without the rate limit
_SEPARATORS = str.maketrans("", "", " -.\t")


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(raw: str | None) -> str | None:
    """The code as stored, from what someone typed or a link («abcd-efgh-jkmn», spaces and
    dashes allowed); None when it cannot be a code (so it is never looked up)."""
    if not raw or len(raw) > 3 * CODE_LENGTH:
        return None
    code = raw.translate(_SEPARATORS).upper()
    if len(code) != CODE_LENGTH or any(c not in CODE_ALPHABET for c in code):
        return None
    return code


def format_code(code: str) -> str:
    """«ABCD-EFGH-JKMN»: in groups of four, as printed."""
    return "-".join(code[i:i + 4] for i in range(0, len(code), 4))


def path_minutes(path: LearningPath) -> int | None:
    """The time an attestation of `path` recognises: what its authors set, else the sum of the
    modules' estimated minutes (None when neither says anything)."""
    if path.duration_minutes:
        return path.duration_minutes
    total = db.session.scalar(select(func.sum(LearningModule.minutes)).where(
        LearningModule.path_id == path.id))
    return int(total) if total else None


def issue_attestation(completion: PathCompletion, path: LearningPath) -> Attestation:
    """The attestation of `completion` (issued once: the existing one if there is one), with
    the path's title and time as they are now."""
    existing = db.session.scalar(select(Attestation).where(
        Attestation.completion_id == completion.id))
    if existing is not None:
        return existing
    code = new_code()
    while db.session.scalar(select(Attestation.id).where(Attestation.code == code)):
        code = new_code()  # about once in 10**17 issues
    attestation = Attestation(code=code, user_id=completion.user_id, completion_id=completion.id,
                              path_id=path.id, path_title=path.title,
                              minutes=path_minutes(path), completed_at=completion.completed_at,
                              issued_at=utcnow())
    db.session.add(attestation)
    db.session.flush()
    return attestation
