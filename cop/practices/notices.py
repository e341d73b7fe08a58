"""Practice records on the notification path (cop.notifications.kinds): the record as a
subject, and what happens to it that people are told (registered by cop.practices.wiring; who
is told is in cop.practices.services).

- `practice_submitted`: to the people who may validate it;
- `practice_withdrawn`: to those who were asked to validate it, when its author takes it back.
  The record is a draft again, which they may no longer read: the notice stays theirs to see
  (while the record exists) and leads to the library's validation queue, not to the record;
- `practice_sent_back`, `practice_validated`, `practice_published`: to its writers, with the
  reviewer's comment;
- `practice_commented`: to its writers not told already by the discussion of the comment;
- `practice_adopted`: to its writers, when an Alleanza registers that it adopted it.

The workflow's emails keep their own template (templates/email/practice_workflow.txt).
"""
from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, or_, select

from cop import access
from cop.extensions import db
from cop.notifications.kinds import Kind, Subject, register_kind, register_subject
from cop.notifications.models import Notification
from cop.practices.models import Practice, ReviewAction

SUBJECT = "practice"
SUBMITTED = "practice_submitted"
WITHDRAWN = "practice_withdrawn"
SENT_BACK = "practice_sent_back"
VALIDATED = "practice_validated"
PUBLISHED = "practice_published"
COMMENTED = "practice_commented"
ADOPTED = "practice_adopted"

# The workflow's kinds and the step each announces (the email template speaks of steps).
WORKFLOW = {SUBMITTED: ReviewAction.SUBMIT, WITHDRAWN: ReviewAction.WITHDRAW,
            SENT_BACK: ReviewAction.SEND_BACK, VALIDATED: ReviewAction.VALIDATE,
            PUBLISHED: ReviewAction.PUBLISH}

GROUP = _l("Buone pratiche")
LABELS = {
    SUBMITTED: _l("Una scheda è inviata alla validazione e puoi validarla"),
    WITHDRAWN: _l("Una scheda che dovevi validare è ritirata dai suoi autori"),
    SENT_BACK: _l("Una scheda che hai scritto è rimandata agli autori"),
    VALIDATED: _l("Una scheda che hai scritto è validata"),
    PUBLISHED: _l("Una scheda che hai scritto è pubblicata"),
    COMMENTED: _l("Qualcuno commenta una scheda che hai scritto"),
    ADOPTED: _l("Un'Alleanza adotta una scheda che hai scritto"),
}


def _load(ids) -> dict[int, Practice]:
    return {p.id: p for p in db.session.scalars(select(Practice).where(Practice.id.in_(ids)))}


def _visible(user):
    """SQL on Notification: the records `user` may read; a withdrawal notice while its record
    exists (it was checked when they were told, and says no more than the title)."""
    return or_(
        Notification.subject_id.in_(select(Practice.id).where(
            access.visible_practices_clause(user))),
        and_(Notification.kind == WITHDRAWN, Notification.subject_id.in_(select(Practice.id))),
    )


def _can_see(user, notification, practice) -> bool:
    if notification is not None and notification.kind == WITHDRAWN:
        return True  # told while the record waited for them (cop.practices.services)
    return access.can(user, access.VIEW, practice)


def _link(notification, practice) -> tuple[str, dict]:
    if notification.kind == WITHDRAWN:  # a draft again: its authors' only
        return "practices.library", {"scheda": "da_validare"}
    if notification.kind == COMMENTED:
        return "practices.show", {"practice_id": practice.id, "_anchor": "commenti"}
    if notification.kind == ADOPTED:
        return "practices.show", {"practice_id": practice.id, "_anchor": "adozioni"}
    return "practices.show", {"practice_id": practice.id}


def _place(practice) -> str:
    return _("Biblioteca delle buone pratiche")


def describe(n, practice, actor) -> str:
    who = actor.name if actor else _("Una persona")
    title = practice.title
    if n.kind == SUBMITTED:
        return _("%(actor)s ha inviato alla validazione «%(title)s»", actor=who, title=title)
    if n.kind == WITHDRAWN:
        return _("%(actor)s ha ritirato dalla validazione «%(title)s»", actor=who, title=title)
    if n.kind == SENT_BACK:
        return _("%(actor)s ha rimandato agli autori «%(title)s»", actor=who, title=title)
    if n.kind == VALIDATED:
        return _("%(actor)s ha validato «%(title)s»", actor=who, title=title)
    if n.kind == PUBLISHED:
        return _("%(actor)s ha pubblicato «%(title)s» nella biblioteca delle buone pratiche",
                 actor=who, title=title)
    if n.kind == COMMENTED:
        return _("%(actor)s ha commentato «%(title)s»", actor=who, title=title)
    # ADOPTED: `text` holds the Alleanza's name
    return _("%(alleanza)s ha adottato «%(title)s»", alleanza=n.text or who, title=title)


def _detail(n) -> str:
    if n.kind == ADOPTED:
        return ""  # its text is the Alleanza, said in the sentence
    return n.text or ""


def _email_context(user, n, practice, actor) -> dict:
    """What templates/email/practice_workflow.txt needs beyond the generic context (whose
    `link` leads to the record: none for a withdrawal, as the record is a draft again)."""
    context = {"practice": practice, "action": WORKFLOW[n.kind], "comment": n.text or "",
               "who": actor.name if actor else _("Una persona")}
    if n.kind == WITHDRAWN:
        context["link"] = ""
    return context


def register() -> None:
    register_subject(Subject(name=SUBJECT, model=Practice, load=_load, visible=_visible,
                             link=_link, place=_place, can_see=_can_see))
    for name, label in LABELS.items():
        workflow = name in WORKFLOW
        register_kind(Kind(
            name=name, subject=SUBJECT, group=GROUP, label=label, describe=describe,
            detail=_detail, email_template="practice_workflow" if workflow else "notification",
            email_context=_email_context if workflow else None, order=20))
