"""A person's positions in their data export, and what deleting their account changes here:
their positions go and the counts follow."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from cop import access
from cop.account.services import when
from cop.decisions import services
from cop.decisions.forms import POSITION_LABELS
from cop.decisions.models import GroupDecision, Stance
from cop.extensions import db


def export(user) -> dict:
    """The section «decisions»: the positions the person took, on decisions they may still
    see (in anonymous ones too: they are their own)."""
    stances = db.session.scalars(
        select(Stance).join(GroupDecision, GroupDecision.id == Stance.decision_id)
        .where(Stance.user_id == user.id, access.visible_decisions_clause(user))
        .options(selectinload(Stance.choices), joinedload(Stance.decision)
                 .selectinload(GroupDecision.options))
        .order_by(Stance.created_at)).unique().all()
    rows = []
    for stance in stances:
        decision = stance.decision
        labels = {o.id: str(POSITION_LABELS.get(o.code, o.code)) if decision.is_proposal
                  else o.label for o in decision.options}
        rows.append({
            "decision": decision.title, "kind": decision.kind,
            "choices": [{"option": labels.get(c.option_id, ""), "score": c.score}
                        for c in stance.choices],
            "reason": stance.reason, "taken_at": when(stance.created_at),
            "changed_at": when(stance.updated_at),
        })
    return {"decisions": {"positions": rows}}


def before_deletion(user) -> None:
    services.forget_person(user)
