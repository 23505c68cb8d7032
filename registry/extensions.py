"""Extension points: facts that apps to the registry's right show on the registry's pages, without
the registry importing them (core ← accounts ← registry ← {supervision, party, projects} …).

- **Overlays**: a mark an organization carries while a condition holds (in the abnormal-activity
  list, in the serious-violation list). Each is a boolean annotation on the organization
  querysets (`selectors.with_overlays`), a badge on its pages, a value of the organization list's
  "lists" filter and a name in its "lists" column.
- **Panels**: a card on the organization's page (its annual reports, its list entries).
- **Actions**: a button in the organization page's header (file an annual report, list it).
- **Party facts**: how party building reached an organization on a day (its coverage), which the
  annual report's party section is pre-filled from and checked against, without supervision
  importing party (its sibling).
- **Public facts**: what the public register shows of an organization beyond its own fields (its
  current evaluation grade, its published star ratings), from apps the registry does not import.

Apps register theirs in `AppConfig.ready()`; with none registered the pages simply lack them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Exists, Q, QuerySet
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

Result = tuple[bool, str]


@dataclass(frozen=True)
class Overlay:
    """key:        the filter value and the badge's id suffix ("abnormal" → #public-abnormal).
    annotation: the boolean the organization querysets carry ("in_abnormal_list").
    exists:     `() -> Exists(...)` correlated on the organization (OuterRef("pk")).
    label:      the filter's choice and the badge ("In the abnormal-activity list").
    short:      the name in the list column ("Abnormal activity").
    badge:      the Bootstrap colour of the badge."""

    key: str
    annotation: str
    exists: Callable[[], Exists]
    label: Promise | str
    short: Promise | str
    badge: str = "warning"


@dataclass(frozen=True)
class Panel:
    """A card on the organization's page: `context(user, organization)` → the template's context,
    or None when there is nothing to show."""

    template: str
    context: Callable[[object, object], dict | None]
    order: int = 100


@dataclass(frozen=True)
class Action:
    """A button in the organization page's header, linking to `url_name` with ?organization=pk,
    offered when `permission(user, organization)` allows it."""

    id: str
    label: Promise | str
    url_name: str
    permission: Callable[[object, object], Result]
    style: str = "outline-primary"
    order: int = 100

    def url(self, organization) -> str:
        return f"{reverse(self.url_name)}?organization={organization.pk}"


_OVERLAYS: dict[str, Overlay] = {}
_PANELS: list[Panel] = []
_ACTIONS: dict[str, Action] = {}
_PARTY_FACTS: list[Callable[[object, dt.date], dict | None]] = []
_PUBLIC_FACTS: list[Callable[[object], dict | None]] = []

# Filter values beyond the overlays' own keys.
ANY, NONE = "any", "none"

# The organization list's "lists" filter: each overlay, any of them, none of them. One list, filled in
# place as apps register overlays, so a filter declared before they do (and the API schema) sees them.
OVERLAY_CHOICES: list[tuple[str, object]] = []


def register_overlay(overlay: Overlay) -> None:
    _OVERLAYS.setdefault(overlay.key, overlay)
    OVERLAY_CHOICES[:] = [
        *((o.key, o.label) for o in _OVERLAYS.values()),
        (ANY, _("In either list")),
        (NONE, _("In no list")),
    ]


def register_panel(panel: Panel) -> None:
    if panel not in _PANELS:
        _PANELS.append(panel)


def register_action(action: Action) -> None:
    _ACTIONS.setdefault(action.id, action)


def overlays() -> list[Overlay]:
    return list(_OVERLAYS.values())


def overlay_condition(value: str | None) -> Q | None:
    """The filter on the overlay annotations for a filter value, or None for no filter."""
    if value in _OVERLAYS:
        return Q(**{_OVERLAYS[value].annotation: True})
    if value == ANY and _OVERLAYS:
        condition = Q()
        for o in _OVERLAYS.values():
            condition |= Q(**{o.annotation: True})
        return condition
    if value == NONE and _OVERLAYS:
        return Q(**{o.annotation: False for o in _OVERLAYS.values()})
    return None


def annotate_overlays(queryset: QuerySet) -> QuerySet:
    missing = {o.annotation: o.exists() for o in _OVERLAYS.values() if o.annotation not in queryset.query.annotations}
    return queryset.annotate(**missing) if missing else queryset


def overlays_of(organization) -> list[Overlay]:
    """The overlays an (annotated) organization carries now."""
    return [o for o in _OVERLAYS.values() if getattr(organization, o.annotation, False)]


def panels_for(user, organization) -> list[tuple[str, dict]]:
    """(template, context) of each panel with something to show."""
    shown = []
    for panel in sorted(_PANELS, key=lambda p: p.order):
        context = panel.context(user, organization)
        if context is not None:
            shown.append((panel.template, context))
    return shown


def actions_for(user, organization) -> list[dict]:
    """The header buttons `user` may follow for `organization`: id, label, url, style."""
    return [
        {"id": a.id, "label": a.label, "url": a.url(organization), "style": a.style}
        for a in sorted(_ACTIONS.values(), key=lambda a: a.order)
        if a.permission(user, organization)[0]
    ]


def register_party_facts(provider: Callable[[object, dt.date], dict | None]) -> None:
    """`provider(organization, day)` → {"party_status": a registry.choices.PartyForm value,
    "party_member_count": party members among its staff} as in force on `day`, or None when nothing is
    recorded for that day."""
    if provider not in _PARTY_FACTS:
        _PARTY_FACTS.append(provider)


def party_facts(organization, day: dt.date) -> dict | None:
    """The organization's party facts on `day` from the first provider that knows them; None when
    none is registered or none knows."""
    for provider in _PARTY_FACTS:
        facts = provider(organization, day)
        if facts is not None:
            return facts
    return None


def register_public_facts(provider: Callable[[object], dict | None]) -> None:
    """`provider(organization)` → public facts about it, or None when it has none. The public page
    reads "grade" (the current evaluation grade's label, e.g. "4A") and "panels" (a list of
    (template, context): sections the provider draws, e.g. the published star ratings)."""
    if provider not in _PUBLIC_FACTS:
        _PUBLIC_FACTS.append(provider)


def public_facts(organization) -> dict:
    """Every provider's public facts about the organization, merged: the first provider to name the
    grade wins it, the panels are joined; {} when none is registered."""
    facts: dict = {"panels": []}
    for provider in _PUBLIC_FACTS:
        for key, value in (provider(organization) or {}).items():
            if key == "panels":
                facts["panels"].extend(value)
            else:
                facts.setdefault(key, value)
    return facts
