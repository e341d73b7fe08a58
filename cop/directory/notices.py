"""The directory on the notification path (cop.notifications.kinds): a person's profile as a
subject, which only its owner is told about, and the one kind it gives, `endorsed` (somebody
confirmed one of your skills; registered by cop.directory.wiring, told by
`services.endorse`). Withdrawing an endorsement tells nobody.

The notification keeps the skill's code in `action` and the endorser's note in `text`.
"""
from __future__ import annotations

from flask import g
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from cop.auth.models import User
from cop.extensions import db
from cop.i18n import localized
from cop.notifications.kinds import Kind, Subject, register_kind, register_subject
from cop.notifications.models import Notification
from cop.reference.models import Skill

SUBJECT = "person"
ENDORSED = "endorsed"


def _load(ids) -> dict[int, User]:
    return {u.id: u for u in db.session.scalars(select(User).where(User.id.in_(ids)))}


def _visible(user):
    """SQL on Notification: one's own profile only."""
    return Notification.subject_id == Notification.user_id


def _link(notification, person) -> tuple[str, dict]:
    return "people.profile", {"user_id": person.id, "_anchor": "competenze"}


def _skill_label(code: str) -> str:
    """The skill's label in the current language: the catalogue (forty rows of reference
    data) is read once per request or app context, however many notifications name one."""
    labels = g.get("_cop_skill_labels")
    if labels is None:
        labels = g._cop_skill_labels = {
            row.code: (row.label_it, row.label_en) for row in db.session.execute(
                select(Skill.code, Skill.label_it, Skill.label_en))}
    italian, english = labels.get(code, (code, ""))
    return localized(italian, english)


def describe(n, person, actor) -> str:
    who = actor.name if actor else _("Una persona")
    return _("%(actor)s ha confermato la tua competenza «%(skill)s»", actor=who,
             skill=_skill_label(n.action))


def register() -> None:
    register_subject(Subject(
        name=SUBJECT, model=User, load=_load, visible=_visible, link=_link,
        place=lambda person: _("Il tuo profilo"),
        can_see=lambda user, notification, person: user.id == person.id,
        audience=lambda person: User.id == person.id))
    register_kind(Kind(name=ENDORSED, subject=SUBJECT, group=_l("Persone e competenze"),
                       label=_l("Qualcuno conferma una tua competenza"), describe=describe,
                       order=40))
