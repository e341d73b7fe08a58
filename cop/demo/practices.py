"""Demo good practices, written through the feature's services."""
from __future__ import annotations

import random


def seed_practices(rng: random.Random) -> None:
    pass
