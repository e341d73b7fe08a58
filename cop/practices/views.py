"""Pages of cop.practices."""
from __future__ import annotations

from cop.practices import bp  # noqa: F401
