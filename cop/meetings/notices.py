"""Meetings on the notification path: the meeting and the action as subjects, and the kinds
of notification they give (registered by cop.meetings.wiring; sent from cop.meetings.notify)."""
from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from cop import access
from cop.extensions import db
from cop.meetings import notify
from cop.meetings.models import Action, Meeting
from cop.notifications.kinds import Kind, Subject, register_kind, register_subject
from cop.notifications.models import Notification

GROUP = _l("Incontri")


def _who(actor) -> str:
    return actor.name if actor else _("Una persona")


def _load_meetings(ids) -> dict[int, Meeting]:
    return {m.id: m for m in db.session.scalars(
        select(Meeting).where(Meeting.id.in_(ids)).options(joinedload(Meeting.space)))}


def _load_actions(ids) -> dict[int, Action]:
    return {a.id: a for a in db.session.scalars(
        select(Action).where(Action.id.in_(ids))
        .options(joinedload(Action.meeting).joinedload(Meeting.space)))}


def _visible_meetings(user):
    return Notification.subject_id.in_(
        select(Meeting.id).where(access.visible_meetings_clause(user)))


def _visible_actions(user):
    return Notification.subject_id.in_(
        select(Action.id).join(Meeting, Meeting.id == Action.meeting_id)
        .where(access.visible_actions_clause(user)))


def _meeting_link(notification, meeting) -> tuple[str, dict]:
    if notification.kind in (notify.MINUTES_REVIEW, notify.MINUTES_APPROVED):
        return "meetings.show", {"meeting_id": meeting.id, "_anchor": "verbale"}
    return "meetings.show", {"meeting_id": meeting.id}


def _action_link(notification, action) -> tuple[str, dict]:
    """The person's own actions (the minutes holding it may still be a draft for them)."""
    return "meetings.my_actions", {}


def _describe(text):
    """`text`: a lazy string with %(actor)s and %(title)s, translated when it is said."""
    def describe(n, meeting, actor) -> str:
        return str(text) % {"actor": _who(actor), "title": meeting.title}
    return describe


def _describe_action(text):
    def describe(n, action, actor) -> str:
        return str(text) % {"actor": _who(actor), "title": action.title,
                            "meeting": action.meeting.title}
    return describe


def register() -> None:
    register_subject(Subject(
        name="meeting", model=Meeting, load=_load_meetings, visible=_visible_meetings,
        link=_meeting_link, place=lambda meeting: meeting.space.name,
        audience=access.users_who_see_meeting_clause))
    register_subject(Subject(
        name="action", model=Action, load=_load_actions, visible=_visible_actions,
        link=_action_link, place=lambda action: action.meeting.space.name))
    for name, label, text, template, attach in (
        (notify.INVITED, _l("Sei invitato a un incontro"),
         _l("%(actor)s ti ha invitato all'incontro «%(title)s»"), "meeting_invited",
         notify.attach_request),
        (notify.CHANGED, _l("Un incontro a cui sei invitato cambia data, luogo o collegamento"),
         _l("%(actor)s ha modificato l'incontro «%(title)s»"), "meeting_changed",
         notify.attach_request),
        (notify.CANCELLED, _l("Un incontro a cui sei invitato è annullato"),
         _l("%(actor)s ha annullato l'incontro «%(title)s»"), "meeting_cancelled",
         notify.attach_cancel),
        (notify.MINUTES_REVIEW, _l("Un verbale da rivedere e approvare"),
         _l("%(actor)s ha mandato in revisione il verbale di «%(title)s»"),
         "meeting_minutes_review", None),
        (notify.MINUTES_APPROVED, _l("Il verbale di un incontro a cui hai partecipato è "
                                     "approvato"),
         _l("Il verbale di «%(title)s» è approvato"), "meeting_minutes_approved", None),
    ):
        register_kind(Kind(name=name, subject="meeting", group=GROUP, label=label,
                           describe=_describe(text), email_template=template,
                           email_context=notify.email_details, attach=attach, order=30))
    register_kind(Kind(
        name=notify.ACTION_ASSIGNED, subject="action", group=GROUP,
        label=_l("Ti è assegnata un'azione"),
        describe=_describe_action(
            _l("%(actor)s ti ha assegnato l'azione «%(title)s» (incontro «%(meeting)s»)")),
        order=30))
    register_kind(Kind(
        name=notify.ACTION_DUE, subject="action", group=GROUP,
        label=_l("Promemoria delle tue azioni in scadenza (una email al giorno che le elenca)"),
        describe=_describe_action(
            _l("L'azione «%(title)s» (incontro «%(meeting)s») è in scadenza")),
        emailed=False, order=30))
