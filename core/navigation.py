"""The menu: apps register groups of items in their own navigation.py; roles decide what shows."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.urls import NoReverseMatch, reverse


@dataclass(frozen=True)
class MenuItem:
    label: str
    url_name: str
    roles: frozenset[str]
    icon: str = "circle"

    def url(self) -> str | None:
        try:
            return reverse(self.url_name)
        except NoReverseMatch:
            return None


@dataclass
class MenuGroup:
    label: str
    order: int
    items: list[MenuItem] = field(default_factory=list)


_menu: dict[str, MenuGroup] = {}


def register(group: str, order: int, *items: MenuItem) -> None:
    menu_group = _menu.setdefault(str(group), MenuGroup(label=group, order=order))
    menu_group.items.extend(items)


def menu_for(user) -> list[dict]:
    if not user.is_authenticated:
        return []
    result = []
    for group in sorted(_menu.values(), key=lambda g: g.order):
        items = [
            {"label": item.label, "url": url, "icon": item.icon}
            for item in group.items
            if (user.is_superuser or user.role in item.roles) and (url := item.url())
        ]
        if items:
            result.append({"label": group.label, "items": items})
    return result
