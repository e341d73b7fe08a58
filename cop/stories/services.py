"""Writes of value stories: arguments in, rows added and flushed, never committed. The view
has checked who may write; the Markdown is rendered (and sanitised) here, once. A story about a
thread, practice or meeting tells its authors (cop.stories.notices)."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, select

from cop.errors import ServiceError
from cop.extensions import db
from cop.markdown import render_markdown
from cop.meetings.models import MeetingFacilitator
from cop.notifications import services as notifications
from cop.practices.models import PracticeVersion
from cop.stories import notices, queries
from cop.stories.models import Cycle, SubjectType, ValueStory

CYCLES = [c.value for c in Cycle]


@dataclass(frozen=True)
class StoryInput:
    cycle: str
    title: str
    body: str


def subject_type_of(subject) -> str:
    return queries.SUBJECT_TYPES[getattr(subject, "__tablename__", "")]


def _check(data: StoryInput) -> None:
    if data.cycle not in CYCLES:
        raise ServiceError("unknown cycle")
    if not data.title.strip() or not data.body.strip():
        raise ServiceError("a story needs a title and a text")


def tell_story(space, author, data: StoryInput, subject=None) -> ValueStory:
    """A story told in `space`, about `subject` (a thread, practice or meeting of that space)
    or about the space's life in general."""
    _check(data)
    if subject is not None and subject.space_id != space.id:
        raise ServiceError("the subject belongs to another space")
    story = ValueStory(
        space_id=space.id, author_id=author.id, cycle=data.cycle, title=data.title.strip(),
        body=data.body, body_html=render_markdown(data.body),
        subject_type=subject_type_of(subject) if subject is not None else None,
        subject_id=subject.id if subject is not None else None,
        subject_title=(subject.title or "")[:200] if subject is not None else "")
    db.session.add(story)
    db.session.flush()
    if subject is not None:
        notifications.notify(story, authors_of(subject), notices.TOLD, actor=author,
                             text=story.title, space_id=space.id)
    return story


def authors_of(subject) -> set[int]:
    """Who a story about `subject` is news to: a thread's author; a practice record's writers
    (who created it or saved a version); a meeting's facilitators, or its creator when it
    has none."""
    kind = subject_type_of(subject)
    if kind == SubjectType.THREAD.value:
        ids = {subject.author_id}
    elif kind == SubjectType.PRACTICE.value:
        ids = {subject.created_by_id, *db.session.scalars(select(PracticeVersion.author_id)
                                                          .where(PracticeVersion.practice_id
                                                                 == subject.id))}
    else:
        ids = set(db.session.scalars(select(MeetingFacilitator.user_id).where(
            MeetingFacilitator.meeting_id == subject.id))) or {subject.created_by_id}
    return {i for i in ids if i is not None}


def update_story(story: ValueStory, data: StoryInput) -> None:
    _check(data)
    story.cycle = data.cycle
    story.title = data.title.strip()
    story.body = data.body
    story.body_html = render_markdown(data.body)
    db.session.flush()


def delete_story(story: ValueStory) -> None:
    db.session.delete(story)
    db.session.flush()


def delete_stories_of(user_id: int) -> None:
    db.session.execute(delete(ValueStory).where(ValueStory.author_id == user_id))
