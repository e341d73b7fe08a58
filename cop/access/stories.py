"""Access rules for value stories (storie di valore).

Part of cop.access (see its docstring): `can(user, action, story)` and
`visible_stories_clause(user)` say the same thing, so a page, a list, a count and an export
agree.

- A story is visible where its space is and, when it is about a thread, a practice or a
  meeting, only while that subject is visible to the reader too: a story about a hidden
  thread, a draft practice or a meeting one may not see does not show (nor count).
- A story is told in a space by whoever may take part in it (its members and managers, and
  everybody signed in for a *regionale* space); about a subject only by whoever also sees
  the subject, in the subject's space.
- Its author edits and deletes it; so do the space's managers (coordinators, the ATS referent
  for an Alleanza space, site admins).
"""
from __future__ import annotations

from sqlalchemy import and_, false, or_, select

from cop.access.core import (
    POST,
    VIEW,
    _can_space,
    _manages,
    _signed_in,
    can,
    once_per_request,
    visible_spaces_clause,
    visible_threads_clause,
)
from cop.access.meetings import visible_meetings_clause
from cop.access.practices import visible_practices_clause
from cop.discussions.models import Thread
from cop.extensions import db
from cop.meetings.models import Meeting
from cop.practices.models import Practice
from cop.spaces.models import Space
from cop.stories.models import SubjectType, ValueStory

EDIT_STORY = "edit_story"
DELETE_STORY = "delete_story"

__all__ = ["EDIT_STORY", "DELETE_STORY", "may_tell_story", "subject_visible",
           "load_story_subject", "visible_stories_clause"]


def _space(story: ValueStory) -> Space | None:
    return db.session.get(Space, story.space_id)  # usually already in the identity map


def load_story_subject(subject_type: str | None, subject_id: int | None):
    """The thread, practice or meeting a story is about (None if gone or not a subject)."""
    if not subject_type or not subject_id:
        return None
    model = _subject_model(subject_type)
    return db.session.get(model, subject_id) if model is not None else None


def _subject_model(subject_type: str):
    if subject_type == SubjectType.THREAD.value:
        return Thread
    if subject_type == SubjectType.PRACTICE.value:
        return Practice
    if subject_type == SubjectType.MEETING.value:
        return Meeting
    return None


def subject_visible(user, subject_type: str | None, subject_id: int | None) -> bool:
    """Whether the story's subject (if any) is visible to `user`; a subject that is gone is
    not (its stories then stay with the managers, who may delete them)."""
    if not subject_type:
        return True
    subject = load_story_subject(subject_type, subject_id)
    return subject is not None and can(user, VIEW, subject)


def may_tell_story(user, space: Space, subject=None) -> bool:
    """Whether `user` may tell a story in `space` (about `subject`, in the subject's space)."""
    if not _signed_in(user) or not user.is_active or space is None:
        return False
    if not _can_space(user, POST, space):
        return False
    if subject is None:
        return True
    return subject.space_id == space.id and can(user, VIEW, subject)


def can_story(user, action: str, story: ValueStory) -> bool:
    space = _space(story)
    if space is None or not _can_space(user, VIEW, space):
        return False
    if not subject_visible(user, story.subject_type, story.subject_id):
        return False
    if action == VIEW:
        return True
    if action in (EDIT_STORY, DELETE_STORY):
        return (story.author_id is not None and story.author_id == user.id) or \
            _manages(user, space)
    return False


@once_per_request
def visible_stories_clause(user):
    """SQL condition on ValueStory: the stories `user` may read."""
    if not _signed_in(user) or not user.is_active:
        return false()
    in_visible_space = ValueStory.space_id.in_(select(Space.id).where(visible_spaces_clause(user)))
    about = or_(
        ValueStory.subject_type.is_(None),
        and_(ValueStory.subject_type == SubjectType.THREAD.value, ValueStory.subject_id.in_(
            select(Thread.id).where(visible_threads_clause(user)))),
        and_(ValueStory.subject_type == SubjectType.PRACTICE.value, ValueStory.subject_id.in_(
            select(Practice.id).where(visible_practices_clause(user)))),
        and_(ValueStory.subject_type == SubjectType.MEETING.value, ValueStory.subject_id.in_(
            select(Meeting.id).where(visible_meetings_clause(user)))),
    )
    return and_(in_visible_space, about)
