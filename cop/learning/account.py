"""A person's learning in their data export, and what deleting their account changes here:
their progress, completions and attestations go (an attestation's code then checks as
unknown), and the paths' completion counters follow. (The entries in their record of lifelong
learning go with the directory profile.)"""
from __future__ import annotations

from sqlalchemy import delete, select

from cop import access
from cop.extensions import db
from cop.learning import services
from cop.learning.models import (
    Attestation,
    LearningModule,
    LearningPath,
    LearningProgress,
    PathCompletion,
)
from cop.learning.services import format_code


def _when(value) -> str | None:
    return value.isoformat() if value else None


def export(user) -> dict:
    """The section «learning_paths» ("learning" is the directory's record): only paths the
    person may still see, the modules they did, the paths they completed; and all their
    attestations (theirs whatever became of the path), with their verification codes."""
    visible = select(LearningPath.id).where(access.visible_paths_clause(user))
    done = db.session.execute(
        select(LearningPath.title, LearningModule.title, LearningProgress.completed_at)
        .join(LearningModule, LearningModule.id == LearningProgress.module_id)
        .join(LearningPath, LearningPath.id == LearningProgress.path_id)
        .where(LearningProgress.user_id == user.id, LearningPath.id.in_(visible))
        .order_by(LearningProgress.completed_at)).all()
    completed = db.session.execute(
        select(LearningPath.title, PathCompletion.completed_at)
        .join(LearningPath, LearningPath.id == PathCompletion.path_id)
        .where(PathCompletion.user_id == user.id, LearningPath.id.in_(visible))
        .order_by(PathCompletion.completed_at)).all()
    attestations = db.session.scalars(select(Attestation).where(
        Attestation.user_id == user.id).order_by(Attestation.completed_at, Attestation.id))
    return {"learning_paths": {
        "modules_done": [{"path": p, "module": m, "at": _when(at)} for p, m, at in done],
        "paths_completed": [{"path": p, "at": _when(at)} for p, at in completed],
        "attestations": [{"path": a.path_title, "completed_at": _when(a.completed_at),
                          "minutes": a.minutes, "code": format_code(a.code),
                          "issued_at": _when(a.issued_at)} for a in attestations],
    }}


def before_deletion(user) -> None:
    touched = set(db.session.scalars(select(PathCompletion.path_id).where(
        PathCompletion.user_id == user.id)))
    for model in (Attestation, LearningProgress, PathCompletion):
        db.session.execute(delete(model).where(model.user_id == user.id))
    for path_id in touched:
        services.recount(path_id)
