"""Pages of cop.meetings."""
from __future__ import annotations

from cop.meetings import bp  # noqa: F401
