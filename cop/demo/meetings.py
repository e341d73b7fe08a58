"""Demo meetings, written through the feature's services."""
from __future__ import annotations

import random


def seed_meetings(rng: random.Random) -> None:
    pass
