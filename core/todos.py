"""What waits for the user: counts shown on the home page, each linking to its filtered list.

Apps register `TodoSource`s in their navigation.py. A source names a list page, its FilterSet
and the filter values; the count is that FilterSet over the user's restricted rows, so the
number on the home page and the rows behind its link can never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.urls import reverse

from . import paging


@dataclass(frozen=True)
class TodoSource:
    label: str
    url_name: str
    filterset: type
    roles: frozenset[str]
    query: dict = field(default_factory=dict)

    def count(self, request) -> tuple[int, bool]:
        """(count, exact): counted up to settings.LIST_COUNT_CAP (core.paging.capped_count), so a
        city-wide to-do of a million rows costs what one of ten thousand does."""
        model = self.filterset._meta.model
        filterset = self.filterset(self.query, queryset=model.objects.restrict(request.user), request=request)
        return paging.capped_count(filterset.qs) if filterset.is_valid() else (0, True)

    def url(self) -> str:
        return f"{reverse(self.url_name)}?{urlencode(self.query)}"


_sources: list[TodoSource] = []


def register(*sources: TodoSource) -> None:
    _sources.extend(sources)


def todos_for(request) -> list[dict]:
    """The user's non-empty to-dos, in registration (app) order."""
    user = request.user
    result = []
    for source in _sources:
        if not (user.is_superuser or user.role in source.roles):
            continue
        count, exact = source.count(request)
        if count:
            result.append({"label": source.label, "count": count, "count_is_exact": exact, "url": source.url()})
    return result
