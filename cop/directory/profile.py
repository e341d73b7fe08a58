"""The directory's part of a person's profile page (people/profile.html, cop.people.views)."""
from __future__ import annotations

from cop.auth.models import User
from cop.directory import queries
from cop.directory.forms import LEARNING_LABELS, LEVEL_LABELS


def profile_context(viewer, person: User) -> dict:
    """What people/profile.html needs to show the directory's part of a profile."""
    return {"directory": queries.profile(viewer, person), "level_labels": LEVEL_LABELS,
            "learning_labels": LEARNING_LABELS}
