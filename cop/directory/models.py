"""Models of cop.directory."""
from __future__ import annotations
