"""Models of cop.practices."""
from __future__ import annotations
