"""Pages of cop.directory."""
from __future__ import annotations

from cop.directory import bp  # noqa: F401
