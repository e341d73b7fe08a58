"""Demo content of the onboarding feature.

The demo accounts are all new (created when the demo is loaded), so each would see the
checklist. The administrator and the ATS referent have been around for long: their checklist
is stored as completed. The capofila, the facilitator and the member see theirs, with the steps
the other demo data already ticked (their profile, skills, posts and follows are real rows,
worked out live by the checklist's query).
"""
from __future__ import annotations

from sqlalchemy import select

from cop.auth.models import User
from cop.demo.content import load
from cop.extensions import db
from cop.onboarding import services

VETERANS: list[str] = load("onboarding")["veterans"]  # data/onboarding.toml


def seed_onboarding(rng) -> None:
    """Deterministic with `rng`; called once by cop.demo.services.seed_demo after meetings."""
    for user_id in db.session.scalars(select(User.id).where(User.email.in_(VETERANS))
                                      .order_by(User.id)):
        services.mark_completed(user_id)
