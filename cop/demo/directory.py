"""Demo profiles, skills and trainers, written through the feature's services."""
from __future__ import annotations

import random


def seed_directory(rng: random.Random) -> None:
    pass
