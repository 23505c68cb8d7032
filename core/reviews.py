"""Reviews: the rule every decision shares — whoever created or submitted an item may not decide it.

A bureau clerk may file an application, an annual report or a budget adjustment on an
organization's behalf; the decision on it is then someone else's (four eyes). Domain rules call
`may_decide` with the people who authored the item and show its reason where the button would be.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext as _

OK = (True, "")


def authors_of(item, fields: Iterable[str] = ("created_by", "submitted_by")) -> set[int]:
    """The ids of the users recorded in the item's author fields (those it has)."""
    return {pk for name in fields if (pk := getattr(item, f"{name}_id", None)) is not None}


def may_decide(user, authors: Iterable[int | None]) -> tuple[bool, str]:
    """(allowed, reason): refused when the user is among the item's authors. A system call (no
    user) decides on rules alone."""
    if user is None or getattr(user, "pk", None) is None:
        return OK
    if user.pk in set(authors):
        return False, _("You created or submitted this item; someone else must decide on it.")
    return OK
