"""Access rules for the directory of people, skills and trainers: profile details, endorsements, contact.

Part of cop.access (see its docstring): register model rules with `register_rules` and list the
public names in __all__; callers use them as `access.<name>`.
"""
from __future__ import annotations

__all__: list[str] = []
