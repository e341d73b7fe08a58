"""The person's onboarding row in their data export; it goes with the account."""
from __future__ import annotations

from cop.extensions import db
from cop.onboarding import services
from cop.onboarding.models import OnboardingState


def _when(value) -> str | None:
    return value.isoformat() if value else None


def export(user) -> dict:
    """The section «onboarding»: None until the person has a checklist row."""
    state = db.session.get(OnboardingState, user.id)
    if state is None:
        return {"onboarding": None}
    return {"onboarding": {"completed_at": _when(state.completed_at),
                           "dismissed_at": _when(state.dismissed_at)}}


def before_deletion(user) -> None:
    services.forget(user.id)
