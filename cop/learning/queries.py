"""Reads of the learning pages: each a bounded number of statements, whatever the size.

A list of paths carries, per path, how many of its modules the person has done and when they
completed it, as two correlated columns of the same statement.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from cop import access
from cop.extensions import db
from cop.files.models import Attachment
from cop.learning.models import (
    OWNER_TYPE,
    Attestation,
    LearningModule,
    LearningPath,
    LearningProgress,
    PathCompletion,
)
from cop.meetings.models import Meeting, MeetingStatus
from cop.spaces.models import Space

TRAINING_KINDS = ("formazione", "webinar")
TRAINING_DAYS = 60


@dataclass
class PathRow:
    path: LearningPath
    done: int
    completed_at: datetime | None

    @property
    def total(self) -> int:
        return self.path.module_count

    @property
    def shown_done(self) -> int:
        return min(self.done, self.total)

    @property
    def percent(self) -> int:
        return round(100 * self.shown_done / self.total) if self.total else 0


def _done_column(user_id: int):
    return (select(func.count(LearningProgress.id))
            .where(LearningProgress.path_id == LearningPath.id,
                   LearningProgress.user_id == user_id)
            .correlate(LearningPath).scalar_subquery().label("done"))


def _completed_column(user_id: int):
    return (select(PathCompletion.completed_at)
            .where(PathCompletion.path_id == LearningPath.id, PathCompletion.user_id == user_id)
            .correlate(LearningPath).scalar_subquery().label("completed_at"))


def paths_for(user, space_id: int | None = None, limit: int = 200) -> list[PathRow]:
    """The paths `user` may see (in one space, or everywhere), with their progress; by space
    name then newest first."""
    statement = (select(LearningPath, _done_column(user.id), _completed_column(user.id))
                 .join(Space, Space.id == LearningPath.space_id)
                 .where(access.visible_paths_clause(user))
                 .options(joinedload(LearningPath.space))
                 .order_by(Space.name, LearningPath.status.desc(),
                           LearningPath.published_at.desc(), LearningPath.id.desc())
                 .limit(limit))
    if space_id is not None:
        statement = statement.where(LearningPath.space_id == space_id)
    return [PathRow(path, done or 0, completed) for path, done, completed
            in db.session.execute(statement)]


def spaces_with_paths(user) -> list[Space]:
    """The spaces where `user` sees at least one path (the filter of the regional page)."""
    return list(db.session.scalars(
        select(Space).where(Space.id.in_(select(LearningPath.space_id).where(
            access.visible_paths_clause(user)))).order_by(Space.name)))


@functools.cache
def path_page() -> tuple:
    """What a path's pages show beside it (loader options for `access.get_or_404`)."""
    return (joinedload(LearningPath.space),)


@functools.cache
def module_page() -> tuple:
    """What a module's pages show beside it (loader options for `access.get_or_404`)."""
    return (joinedload(LearningModule.path).joinedload(LearningPath.space),)


def modules(path_id: int) -> list[LearningModule]:
    return list(db.session.scalars(select(LearningModule).where(
        LearningModule.path_id == path_id).order_by(LearningModule.position, LearningModule.id)))


def progress_of(user_id: int, path_id: int) -> tuple[set[int], PathCompletion | None]:
    """The modules of the path the person has done, and their completion (one statement)."""
    rows = db.session.execute(
        select(LearningProgress.module_id, PathCompletion)
        .select_from(LearningPath)
        .outerjoin(LearningProgress, (LearningProgress.path_id == LearningPath.id)
                   & (LearningProgress.user_id == user_id))
        .outerjoin(PathCompletion, (PathCompletion.path_id == LearningPath.id)
                   & (PathCompletion.user_id == user_id))
        .where(LearningPath.id == path_id)).all()
    done = {module_id for module_id, _completion in rows if module_id is not None}
    completion = next((c for _m, c in rows if c is not None), None)
    return done, completion


def handouts(module_ids: list[int]) -> dict[int, list[Attachment]]:
    if not module_ids:
        return {}
    found: dict[int, list[Attachment]] = {}
    for attachment in db.session.scalars(select(Attachment).where(
            Attachment.owner_type == OWNER_TYPE, Attachment.owner_id.in_(module_ids))
            .order_by(Attachment.id)):
        found.setdefault(attachment.owner_id, []).append(attachment)
    return found


def upcoming_training(user, now: datetime, days: int = TRAINING_DAYS, limit: int = 20):
    """Training meetings and webinars `user` may see, from now to `days` ahead (not cancelled)."""
    return list(db.session.scalars(
        select(Meeting).where(Meeting.kind.in_(TRAINING_KINDS), Meeting.ends_at > now,
                              Meeting.starts_at <= now + timedelta(days=days),
                              Meeting.status == MeetingStatus.PLANNED.value,
                              access.visible_meetings_clause(user))
        .options(joinedload(Meeting.space)).order_by(Meeting.starts_at).limit(limit)))


def record_sources(user, record_ids: list[int]) -> dict[int, tuple[int, str, bool, int | None]]:
    """For the entries of a person's learning record written by a completed path:
    record id -> (path id, path title, whether the person may still open the path, the id of
    the completion's attestation)."""
    if not record_ids:
        return {}
    visible = select(LearningPath.id).where(access.visible_paths_clause(user))
    rows = db.session.execute(
        select(PathCompletion.learning_record_id, LearningPath.id, LearningPath.title,
               LearningPath.id.in_(visible), Attestation.id)
        .join(LearningPath, LearningPath.id == PathCompletion.path_id)
        .outerjoin(Attestation, Attestation.completion_id == PathCompletion.id)
        .where(PathCompletion.learning_record_id.in_(record_ids)))
    return {record_id: (path_id, title, bool(open_), attestation_id)
            for record_id, path_id, title, open_, attestation_id in rows}


# --- attestations ----------------------------------------------------------------------------

@functools.cache
def attestation_page() -> tuple:
    """What an attestation's pages show beside it (loader options for `access.get_or_404`)."""
    return (joinedload(Attestation.user),)


def attestations_of(user_id: int) -> list[Attestation]:
    """A person's attestations, the latest completion first."""
    return list(db.session.scalars(select(Attestation).where(Attestation.user_id == user_id)
                                   .order_by(Attestation.completed_at.desc(),
                                             Attestation.id.desc())))


def attestation_of_completion(completion_id: int) -> Attestation | None:
    return db.session.scalar(select(Attestation).where(
        Attestation.completion_id == completion_id))


def attestation_by_code(code: str) -> Attestation | None:
    """The attestation a public check asks for, with its holder (one statement)."""
    return db.session.scalar(select(Attestation).where(Attestation.code == code)
                             .options(joinedload(Attestation.user)))


def handout_file(module_id: int, file_id: int) -> Attachment | None:
    """One file of a module's handout (None when it is not that module's)."""
    return db.session.scalar(select(Attachment).where(
        Attachment.id == file_id, Attachment.owner_type == OWNER_TYPE,
        Attachment.owner_id == module_id))
