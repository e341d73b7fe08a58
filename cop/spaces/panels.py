"""The space home is a column of panels; each feature adds its own.

A panel is a template partial and a loader `loader(space, user) -> dict | None` (None hides
the panel). Each feature registers its own from its `wiring.init_app` (discussions, meetings,
learning, the library, stories); registering a name again replaces its panel.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Panel:
    name: str
    template: str
    loader: Callable
    order: int = 100


_PANELS: list[Panel] = []


def register_panel(panel: Panel) -> None:
    _PANELS[:] = sorted([p for p in _PANELS if p.name != panel.name] + [panel],
                        key=lambda p: p.order)


def panels_for(space, user) -> list[tuple[Panel, dict]]:
    shown = []
    for panel in _PANELS:
        data = panel.loader(space, user)
        if data is not None:
            shown.append((panel, data))
    return shown
