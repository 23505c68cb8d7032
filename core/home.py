"""Panels at the head of the home page, supplied by apps that core must not import.

An app registers a provider in its ready(): `register(HomePanel("app/home_panel.html", provider))`,
where `provider(request)` returns the panel's template context, or None when the panel has nothing
for this user (wrong role, no jurisdiction). The home page renders the panels in `order`, before the
to-do list.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class HomePanel:
    template: str
    provider: Callable[..., dict | None]
    order: int = 100


_panels: list[HomePanel] = []


def register(panel: HomePanel) -> None:
    """Add a panel once (an app's ready() may run more than once in tests)."""
    if panel not in _panels:
        _panels.append(panel)


def panels_for(request) -> list[dict]:
    """The panels that have something for this user: [{"template": ..., "context": {...}}]."""
    result = []
    for panel in sorted(_panels, key=lambda p: p.order):
        context = panel.provider(request)
        if context is not None:
            result.append({"template": panel.template, "context": context})
    return result
