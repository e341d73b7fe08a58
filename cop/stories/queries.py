"""The reads of value stories that pages (and the lead's dashboard) share: select statements."""
from __future__ import annotations

import functools

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from cop import access
from cop.extensions import db
from cop.stories.models import Cycle, SubjectType, ValueStory

SUBJECT_TYPES = {"threads": SubjectType.THREAD.value, "practices": SubjectType.PRACTICE.value,
                 "meetings": SubjectType.MEETING.value}  # a subject's table: its type

CYCLE_ORDER = [c.value for c in Cycle]


def stories_by_cycle(space_id: int, user=None):
    """(cycle, count) of a space's stories, one row per cycle that has any. With `user`, only
    the stories that person may read (a list page); without, every story of the space (the
    coordinators' dashboard counts, which show no content)."""
    query = (select(ValueStory.cycle, func.count(ValueStory.id).label("count"))
             .where(ValueStory.space_id == space_id)
             .group_by(ValueStory.cycle).order_by(ValueStory.cycle))
    if user is not None:
        query = query.where(access.visible_stories_clause(user))
    return query


def space_story_ids(user, space_id: int, cycle: str = "", subject: tuple | None = None):
    """The ids of the stories of a space `user` may read, newest first (for window_by_ids)."""
    query = select(ValueStory.id).where(ValueStory.space_id == space_id,
                                        access.visible_stories_clause(user))
    if cycle:
        query = query.where(ValueStory.cycle == cycle)
    if subject is not None:
        query = query.where(ValueStory.subject_type == subject[0],
                            ValueStory.subject_id == subject[1])
    return query.order_by(ValueStory.created_at.desc(), ValueStory.id.desc())


def load_stories(ids: list[int]) -> list[ValueStory]:
    if not ids:
        return []
    return list(db.session.scalars(select(ValueStory).where(ValueStory.id.in_(ids))
                                   .options(joinedload(ValueStory.author))))


@functools.cache
def story_page() -> tuple:
    """What a story's page shows beside it (loader options for `access.get_or_404`)."""
    return joinedload(ValueStory.author), joinedload(ValueStory.space)


def latest_stories(user, space_id: int, limit: int = 3):
    return (select(ValueStory).where(ValueStory.space_id == space_id,
                                     access.visible_stories_clause(user))
            .options(joinedload(ValueStory.author))
            .order_by(ValueStory.created_at.desc(), ValueStory.id.desc()).limit(limit))


def any_story_about(subject_type: str, subject_id: int):
    """Whether any story at all is about the subject, whoever may read it."""
    return select(ValueStory.id).where(ValueStory.subject_type == subject_type,
                                       ValueStory.subject_id == subject_id).limit(1)


def story_fact(model, reader, subject_id):
    """A `cop.facts` fact: a story about the thread, practice or meeting, whoever may read
    it (None: there is none, as for most subjects)."""
    return any_story_about(SUBJECT_TYPES[model.__tablename__], subject_id).scalar_subquery()


def subject_story_count(user, subject_type: str, subject_id: int):
    """How many stories `user` may read about one thread, practice or meeting."""
    return select(func.count(ValueStory.id)).where(
        ValueStory.subject_type == subject_type, ValueStory.subject_id == subject_id,
        access.visible_stories_clause(user))
