"""Choices looked up as one types: filters and forms that name one of many rows (an organization,
a project) show only the chosen row and fetch the others from `core:autocomplete`, so no page
renders a district's thousands of options.

Each app declares its kinds in its own `autocomplete.py`:

    register("organization", Organization, label=label_of, search=search_organizations)

`label(obj) -> str` is the text of an option, `search(queryset, q) -> queryset` narrows the rows to
those matching what was typed (the project's one search definition), `action` the access a user
needs on a row to be offered it (`Model.objects.restrict(user, action)`), `order` the stable order
of the options (a unique column last) and `only` the columns the label reads. The kinds are
discovered on first use (like core.notifications' reminders); core.filtersets gives every model
choice filter over a registered model the widget of core.widgets.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.db.models import Model, QuerySet
from django.utils.module_loading import autodiscover_modules

from .choices import Action

LIMIT = 20
Q_MAX = 100


@dataclass(frozen=True)
class Kind:
    key: str
    model: type[Model]
    label: Callable[[Model], str]
    search: Callable[[QuerySet, str], QuerySet]
    action: str = Action.VIEW
    order: Sequence[str] = ("pk",)
    only: Sequence[str] | None = None

    def allowed(self, user) -> bool:
        """Whether the user's role may take the kind's action on some rows of its model at all."""
        return self.model.access_policy.allows(user, self.action)

    def queryset(self, user) -> QuerySet:
        """The rows the user may be offered, in the kind's order, with the columns its label reads."""
        queryset = self.model.objects.restrict(user, self.action)
        if self.only:
            queryset = queryset.only(*self.only)
        return queryset.order_by(*self.order)

    def options(self, user, q: str, limit: int = LIMIT) -> tuple[list[dict], bool]:
        """At most `limit` options matching `q` ([{"id", "text"}]) and whether there are more."""
        queryset = self.queryset(user)
        q = (q or "").strip()
        if q:
            queryset = self.search(queryset, q)
        rows = list(queryset[: limit + 1])
        return [{"id": row.pk, "text": self.label(row)} for row in rows[:limit]], len(rows) > limit

    def chosen(self, queryset: QuerySet, ids: Sequence[int]) -> list[tuple[str, str]]:
        """(value, label) of the rows among `queryset` whose ids are `ids`: the chosen options."""
        if not ids:
            return []
        if self.only:
            queryset = queryset.only(*self.only)
        return [(str(row.pk), self.label(row)) for row in queryset.filter(pk__in=ids).order_by(*self.order)]


_KINDS: dict[str, Kind] = {}
_discovered = False


def register(
    kind: str,
    model: type[Model],
    *,
    label: Callable[[Model], str],
    search: Callable[[QuerySet, str], QuerySet],
    action: str = Action.VIEW,
    order: Sequence[str] = ("pk",),
    only: Sequence[str] | None = None,
) -> Kind:
    """Declare a kind of choice looked up by typing (once; a second declaration keeps the first)."""
    entry = Kind(kind, model, label, search, action, tuple(order), tuple(only) if only else None)
    return _KINDS.setdefault(kind, entry)


def _discover() -> None:
    global _discovered
    if not _discovered:
        _discovered = True
        autodiscover_modules("autocomplete")


def get(kind: str) -> Kind | None:
    _discover()
    return _KINDS.get(kind)


def for_model(model) -> Kind | None:
    """The kind declared for `model` (the first, when several are), or None."""
    _discover()
    return next((entry for entry in _KINDS.values() if entry.model is model), None)


def kinds() -> dict[str, Kind]:
    _discover()
    return dict(_KINDS)
