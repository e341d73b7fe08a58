"""Models of cop.meetings."""
from __future__ import annotations
