"""The person's onboarding row in their data export; it goes with the account."""
from __future__ import annotations

from cop.directory import account
from cop.extensions import db
from cop.onboarding import services
from cop.onboarding.models import OnboardingState


def _when(value) -> str | None:
    return value.isoformat() if value else None


def export(user) -> dict | None:
    state = db.session.get(OnboardingState, user.id)
    if state is None:
        return None
    return {"completed_at": _when(state.completed_at), "dismissed_at": _when(state.dismissed_at)}


account.register_export("onboarding", export)
account.register_deletion("onboarding", lambda user: services.forget(user.id))
