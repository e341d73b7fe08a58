"""Writes of the onboarding feature: closing the checklist. Flushed, never committed."""
from __future__ import annotations

from sqlalchemy import delete

from cop.database import upsert, utcnow
from cop.extensions import db
from cop.onboarding.models import OnboardingState


def mark_completed(user_id: int) -> None:
    now = utcnow()
    upsert(OnboardingState, {"user_id": user_id}, {"completed_at": now})


def dismiss(user_id: int) -> None:
    upsert(OnboardingState, {"user_id": user_id}, {"dismissed_at": utcnow()})


def forget(user_id: int) -> None:
    db.session.execute(delete(OnboardingState).where(OnboardingState.user_id == user_id))
