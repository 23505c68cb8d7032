"""Reads of the accounts app that other apps share."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from core import search
from core.choices import Role

from .models import User

# Who acts for a district's bureau on a reminder: its administrators and clerks (viewers only read).
BUREAU_ACTORS = (Role.BUREAU_ADMIN, Role.BUREAU_STAFF)


def bureau_by_district(district_ids: Iterable[int], roles: Iterable[str] = BUREAU_ACTORS) -> dict[int, list[User]]:
    """The active users of `roles` at each district's bureau, by district id: one query."""
    bureau: dict[int, list[User]] = defaultdict(list)
    ids = {pk for pk in district_ids if pk is not None}
    if not ids:
        return bureau
    for user in User.objects.filter(is_active=True, role__in=tuple(roles), region_id__in=ids).order_by("pk"):
        bureau[user.region_id].append(user)
    return bureau


def search_regions(queryset, value: str):
    """Regions whose name holds `value` or whose code starts with it (core.search): the region list's
    search and the region pickers (accounts.autocomplete) alike."""
    return search.search(queryset, value, names=["name"], codes=["code"])
