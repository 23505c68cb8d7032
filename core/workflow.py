"""What every workflow shares: telling a user that the step they asked for was already taken by
someone else, and the states a workflow can reach, by which a service recognises that case.

Two reviewers open the same page and both click “approve”; the second waits for the first's row
lock and then finds the object in a later state. That is not a forbidden action (403) nor bad input:
the loser is told it has been handled and what the state is now. A StaleTransition is a
ValidationError, so pages show it as a message and change nothing; the API answers 409 Conflict
(core.api.exceptions).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _


class StaleTransition(ValidationError):
    """The transition is no longer available: the object has moved on to `state_label`, by
    `handled_by` at `handled_at` when the workflow records who decided."""

    def __init__(self, state_label, *, handled_by=None, handled_at: dt.datetime | None = None, field: str = "status"):
        if handled_by or handled_at:
            when = timezone.localtime(handled_at).strftime("%Y-%m-%d %H:%M") if handled_at else ""
            message = _("Already handled by someone else; current state: %(state)s (%(who)s, %(when)s).") % {
                "state": state_label,
                "who": handled_by or _("another user"),
                "when": when,
            }
        else:
            message = _("Already handled by someone else; current state: %(state)s.") % {"state": state_label}
        super().__init__({field: message})
        self.state_label = state_label


def reachable(edges: Iterable[tuple[str, str]], starts: Iterable[str]) -> frozenset[str]:
    """The states reachable in one or more steps from `starts` along (source, target) edges.

    A transition asked of an object whose state is reachable from the transition's sources was
    available when the user's page was drawn and has been overtaken since; from any other state it
    never was (a forged or mistaken request), and the ordinary refusal applies.
    """
    following: dict[str, set[str]] = {}
    for source, target in edges:
        following.setdefault(source, set()).add(target)
    found: set[str] = set()
    pending = list(starts)
    while pending:
        for target in following.get(pending.pop(), ()):
            if target not in found:
                found.add(target)
                pending.append(target)
    return frozenset(found)
