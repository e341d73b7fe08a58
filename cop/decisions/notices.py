"""Decisions on the notification path: the decision as a subject, and its kinds (a decision
opened, closing soon, its outcome written), registered by cop.decisions.wiring."""
from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from cop import access
from cop.decisions import services
from cop.decisions.models import GroupDecision
from cop.extensions import db
from cop.notifications.kinds import Kind, Subject, register_kind, register_subject
from cop.notifications.models import Notification

GROUP = _l("Decisioni e sondaggi")


def _load(ids) -> dict[int, GroupDecision]:
    return {d.id: d for d in db.session.scalars(
        select(GroupDecision).where(GroupDecision.id.in_(list(ids))).options(joinedload(GroupDecision.space)))}


def _visible(user):
    return Notification.subject_id.in_(
        select(GroupDecision.id).where(access.visible_decisions_clause(user)))


def _link(notification, decision) -> tuple[str, dict]:
    anchor = "esito" if notification.kind == services.OUTCOME else "posizione"
    return "decisions.show", {"poll_id": decision.id, "_anchor": anchor}


def _describe(text):
    def describe(n, decision, actor) -> str:
        return str(text) % {"actor": actor.name if actor else _("Una persona"),
                            "title": decision.title}
    return describe


def register() -> None:
    register_subject(Subject(
        name="decision", model=GroupDecision, load=_load, visible=_visible, link=_link,
        place=lambda decision: decision.space.name,
        audience=access.users_who_see_decision_clause))
    for name, label, text in (
        (services.OPENED, _l("Si apre una decisione o un sondaggio in uno spazio o in un "
                             "incontro che segui"),
         _l("%(actor)s chiede di decidere: «%(title)s»")),
        (services.CLOSING, _l("Una decisione a cui non hai ancora partecipato sta per "
                              "chiudersi"),
         _l("La decisione «%(title)s» si chiude presto: non hai ancora preso posizione")),
        (services.OUTCOME, _l("L'esito di una decisione è scritto"),
         _l("%(actor)s ha scritto l'esito della decisione «%(title)s»")),
    ):
        register_kind(Kind(name=name, subject="decision", group=GROUP, label=label,
                           describe=_describe(text), order=25))
