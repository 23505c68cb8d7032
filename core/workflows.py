"""The one workflow engine: every stateful model declares its transitions here, as data, and its
services move it with `Workflow.apply`.

A transition declares its name, the states it leaves from, the state it leads to, its label and
button style, whether a reason is required, whether it is a decision (which stamps the review
fields of `core.models.Reviewed`) and who may take it: a predicate `(user, obj) -> (allowed,
reason)`, so a page can say why a button is absent. Two transitions may share a name when they
leave different states (an application is “approved” by the street, then by the bureau); the
predicate must not depend on the state, only on who the user is and what the object is.

`apply` is the one function that moves an object:

1. locks the row (`select_for_update`) and reads its state afresh;
2. finds the transition; if the user's page is out of date — the state has moved on to one the
   transition leads towards — answers `StaleTransition` (“already handled by …”, a 409 in the API);
3. asks the predicate (403 with its reason) and checks the reason;
4. runs the service's `effect` (the domain's own consequences, inside the same transaction);
5. sets the state and, for a decision, who decided, when and why; writes the audit record;
6. sends the notice to the workflow's audience (`core.notifications`).

Two reviewers clicking “approve” together: the second waits for the first's row lock, then finds
the object in a later state and is told it has been handled and what the state is now.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from . import audit, bounds
from .choices import AuditAction
from .scoping import city_refusal

Permission = Callable[[object, object], tuple[bool, str]]

OK = (True, "")


def anyone(user, obj) -> tuple[bool, str]:
    return OK


def permits(transition, user, obj) -> tuple[bool, str]:
    """The transition's predicate, after the rule every workflow shares: a user at a city node reads
    its districts' records and moves none of them (core.scoping.city_refusal)."""
    refusal = city_refusal(user)
    if refusal:
        return False, refusal
    return transition.permission(user, obj)


class StaleTransition(ValidationError):
    """The transition is no longer available: the object has moved on to `state_label`, by
    `handled_by` at `handled_at` when the workflow records who decided.

    That is not a forbidden action (403) nor bad input: the loser of a race is told it has been
    handled and what the state is now. A StaleTransition is a ValidationError, so pages show it as
    a message and change nothing; the API answers 409 Conflict (core.api.exceptions).
    """

    def __init__(self, state_label, *, handled_by=None, handled_at: dt.datetime | None = None, field: str = "status"):
        if handled_by or handled_at:
            when = formats.date_format(timezone.localtime(handled_at), "Y-m-d H:i") if handled_at else ""
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


@dataclass(frozen=True)
class Transition:
    """One step. `target` is a state, or a callable `(obj) -> state` for a step whose destination
    depends on the object (a filing goes to the street first, a registration to the bureau)."""

    name: str
    sources: frozenset[str]
    target: str | Callable[[object], str]
    label: Promise | str
    button: str = "primary"
    needs_reason: bool = False
    decides: bool = False
    permission: Permission = anyone
    notify: bool | None = None  # None: notify when the transition decides
    targets: frozenset[str] = frozenset()  # where a callable `target` may lead (empty: anywhere)

    def __post_init__(self):
        object.__setattr__(self, "sources", frozenset(self.sources))
        object.__setattr__(self, "targets", frozenset(self.targets))

    def target_for(self, obj) -> str:
        return self.target(obj) if callable(self.target) else self.target

    @property
    def notifies(self) -> bool:
        return self.decides if self.notify is None else self.notify


@dataclass(frozen=True)
class Offer:
    """A transition as a page or the API offers it to one user: allowed, or why not."""

    transition: Transition
    allowed: bool
    reason: str = ""
    url: str = ""

    @property
    def name(self) -> str:
        return self.transition.name

    @property
    def label(self):
        return self.transition.label

    @property
    def button(self) -> str:
        return self.transition.button

    @property
    def needs_reason(self) -> bool:
        return self.transition.needs_reason


@dataclass
class Workflow:
    """The states of `model.<field>` and the transitions between them.

    kind:      the notification kind its notices carry (see core.notifications.register_kind).
    audience:  `(obj) -> users` told of a decision (e.g. the organization's own accounts).
    url_name:  the page route that takes a transition, reversed with (obj.pk, name).
    visited:   `(obj) -> states` the object has been in, when the model keeps its path. A state
               reachable again through a rework loop (returned → resubmitted) then counts as
               overtaken only for a transition whose sources the object did pass through.
    """

    model: type
    transitions: tuple[Transition, ...]
    field: str = "status"
    kind: str = ""
    audience: Callable[[object], Iterable] | None = None
    url_name: str = ""
    lock_related: tuple[str, ...] = ()
    visited: Callable[[object], Iterable[str]] | None = None
    _names: tuple[str, ...] = dataclasses.field(init=False, repr=False, default=())

    def __post_init__(self):
        self.transitions = tuple(self.transitions)
        self._names = tuple(dict.fromkeys(t.name for t in self.transitions))
        states = set(self.states)
        for t in self.transitions:
            unknown = (set(t.sources) | set(t.targets) | ({t.target} if isinstance(t.target, str) else set())) - states
            if unknown:
                raise ValueError(f"{self.model.__name__}.{t.name}: unknown states {sorted(unknown)}")
        if self.kind:
            from .notifications import register_kind

            register_kind(self.kind, self.model._meta.verbose_name)

    # ---------------------------------------------------------------------------------- reading
    @property
    def states(self) -> list[str]:
        return [value for value, _label in self.model._meta.get_field(self.field).choices]

    @property
    def names(self) -> tuple[str, ...]:
        return self._names

    def state_label(self, state: str) -> str:
        return str(dict(self.model._meta.get_field(self.field).choices).get(state, state))

    def __getitem__(self, name: str) -> Transition:
        for t in self.transitions:
            if t.name == name:
                return t
        raise KeyError(name)

    def named(self, name: str) -> list[Transition]:
        return [t for t in self.transitions if t.name == name]

    def find(self, name: str, state: str) -> Transition | None:
        return next((t for t in self.transitions if t.name == name and state in t.sources), None)

    def from_state(self, state: str) -> list[Transition]:
        return [t for t in self.transitions if state in t.sources]

    def after(self, transition: Transition) -> frozenset[str]:
        """The states an object can be in once `transition` was available and someone moved it on."""
        edges = []
        for t in self.transitions:
            targets = [t.target] if isinstance(t.target, str) else (t.targets or self.states)
            edges.extend((source, target) for source in t.sources for target in targets)
        return reachable(edges, transition.sources)

    def offers(self, obj, user) -> list[Offer]:
        """Every transition leaving the object's state, each allowed for `user` or with the reason
        it is not (for the page to show where the button would be)."""
        state = getattr(obj, self.field)
        offers = []
        for t in self.from_state(state):
            allowed, reason = permits(t, user, obj)
            url = reverse(self.url_name, args=[obj.pk, t.name]) if self.url_name else ""
            offers.append(Offer(t, allowed, reason, url))
        return offers

    def available(self, obj, user) -> list[Transition]:
        return [offer.transition for offer in self.offers(obj, user) if offer.allowed]

    # --------------------------------------------------------------------------------- checking
    def overtaken(self, obj, transition: Transition) -> bool:
        """Whether `transition` was available when the user's page was drawn and someone has moved
        the object on since (see `after` and `visited`)."""
        if getattr(obj, self.field) not in self.after(transition):
            return False
        return self.visited is None or bool(transition.sources & set(self.visited(obj)))

    def _stale(self, obj) -> StaleTransition:
        return StaleTransition(
            self.state_label(getattr(obj, self.field)),
            handled_by=getattr(obj, "reviewed_by", None),
            handled_at=getattr(obj, "reviewed_at", None),
            field=self.field,
        )

    def check(self, obj, name: str, *, by, reason: str = "") -> Transition:
        """The transition `name` for `obj` and `by`, or the error saying why it cannot happen:
        ValidationError (unknown name, wrong state, missing reason), StaleTransition (the state
        moved on since the page was drawn), PermissionDenied (the predicate's reason)."""
        candidates = self.named(name)
        if not candidates:  # a name typed into the API rather than chosen from a button
            raise ValidationError(
                {"name": _("Action: choose one of %(actions)s.") % {"actions": "、".join(self._names)}}
            )
        state = getattr(obj, self.field)
        transition = self.find(name, state)
        if transition is None:
            verdicts = [(t, *permits(t, by, obj)) for t in candidates]
            permitted = [t for t, allowed, _why in verdicts if allowed]
            if not permitted:  # not this user's step in any state: refused before the state is told
                raise PermissionDenied(verdicts[0][2])
            if any(self.overtaken(obj, t) for t in permitted):
                raise self._stale(obj)
            raise ValidationError(
                {
                    self.field: _("The status is “%(state)s”; “%(action)s” is not possible now.")
                    % {"state": self.state_label(state), "action": candidates[0].label}
                }
            )
        allowed, why = permits(transition, by, obj)
        if not allowed:
            # Another step of the same name was this user's (the street's “approve” when the
            # bureau's is due now): their page is out of date, not their role wrong.
            if any(t is not transition and permits(t, by, obj)[0] and self.overtaken(obj, t) for t in candidates):
                raise self._stale(obj)
            raise PermissionDenied(why)
        reason = (reason or "").strip()
        if transition.needs_reason and not reason:
            raise ValidationError(
                {"reason": _("Reason: please give a reason for “%(action)s”.") % {"action": transition.label}}
            )
        if len(reason) > bounds.SHORT_TEXT_MAX:
            raise ValidationError({"reason": _("Reason: at most %(n)d characters.") % {"n": bounds.SHORT_TEXT_MAX}})
        return transition

    # --------------------------------------------------------------------------------- applying
    def lock(self, obj):
        """The object's row, locked for the rest of the transaction and read afresh."""
        queryset = type(obj)._base_manager.select_for_update(of=("self",))
        if self.lock_related:
            queryset = queryset.select_related(*self.lock_related)
        return queryset.get(pk=obj.pk)

    def apply(
        self,
        obj,
        name: str,
        *,
        by,
        reason: str = "",
        effect: Callable[[object, Transition], None] | None = None,
        message: str = "",
        notice: str | Callable[[object, Transition, str], str] = "",
        locked: bool = False,
    ):
        """Move `obj` along transition `name` (see the module's docstring). `effect(obj,
        transition)` runs after every check and before the state is saved; it may change other
        fields of `obj`, which are saved with the state, and raise ValidationError to refuse.
        `notice` is the text told to the audience, or `(obj, transition, reason) -> text` asked
        once the object is in its new state."""
        if not transaction.get_connection().in_atomic_block:
            with transaction.atomic():
                return self.apply(
                    obj, name, by=by, reason=reason, effect=effect, message=message, notice=notice, locked=locked
                )
        current = obj if locked else self.lock(obj)
        transition = self.check(current, name, by=by, reason=reason)
        reason = (reason or "").strip()
        before = audit.snapshot(current)
        if effect is not None:
            effect(current, transition)
        setattr(current, self.field, transition.target_for(current))
        if transition.decides and hasattr(current, "reviewed_at"):
            current.reviewed_at = timezone.now()
            current.reviewed_by = by if by is not None and getattr(by, "pk", None) else None
            current.review_reason = reason
        current.save()
        text = f"{transition.label}：{reason}" if reason else str(transition.label)
        audit.record(actor=by, action=AuditAction.TRANSITION, obj=current, before=before, message=message or text)
        if transition.notifies and self.audience is not None:
            from .notifications import notify

            if callable(notice):
                notice = notice(current, transition, reason)
            notify(
                self.audience(current),
                self.kind,
                current,
                notice or _("%(item)s: %(action)s") % {"item": current, "action": text},
                exclude=by,
            )
        return current
