"""Value stories on the notification path (cop.notifications.kinds): the story as a subject,
and `story_told`, which tells the author of a thread, practice record or meeting that somebody
told what it changed in their work (registered by cop.stories.wiring, told by
`services.tell_story`). The notification keeps the story's title in `text`.
"""
from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from cop import access
from cop.extensions import db
from cop.notifications.kinds import Kind, Subject, register_kind, register_subject
from cop.notifications.models import Notification
from cop.stories.models import ValueStory

SUBJECT = "story"
TOLD = "story_told"


def _load(ids) -> dict[int, ValueStory]:
    return {s.id: s for s in db.session.scalars(
        select(ValueStory).where(ValueStory.id.in_(ids)).options(joinedload(ValueStory.space)))}


def _visible(user):
    return Notification.subject_id.in_(select(ValueStory.id).where(
        access.visible_stories_clause(user)))


def _link(notification, story) -> tuple[str, dict]:
    return "stories.show", {"slug": story.space.slug, "story_id": story.id}


def describe(n, story, actor) -> str:
    who = actor.name if actor else _("Una persona")
    return _("%(actor)s ha raccontato una storia di valore su «%(subject)s»", actor=who,
             subject=story.subject_title)


def register() -> None:
    register_subject(Subject(name=SUBJECT, model=ValueStory, load=_load, visible=_visible,
                             link=_link, place=lambda story: story.space.name))
    register_kind(Kind(name=TOLD, subject=SUBJECT, group=_l("Storie di valore"),
                       label=_l("Qualcuno racconta una storia di valore su ciò che hai scritto "
                                "o condotto"),
                       describe=describe, order=45))
