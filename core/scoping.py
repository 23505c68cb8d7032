"""Who may see or change which rows: the one place where role and jurisdiction decide.

Every scoped model declares an `AccessPolicy`; `queryset.restrict(user, action)` turns it into
a filter. The generic views, the API base viewset, the admin and exports all call `restrict`, so
a row a user may not see cannot reach a page, a response or a file.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext as _

from .choices import Action, Role

_ALL = frozenset(Action.values)
_READ = frozenset({Action.VIEW})

DEFAULT_ROLE_ACTIONS: Mapping[str, frozenset[str]] = {
    Role.BUREAU_ADMIN: _ALL,
    Role.BUREAU_STAFF: frozenset({Action.VIEW, Action.ADD, Action.CHANGE}),
    Role.BUREAU_VIEWER: _READ,
    Role.STREET_OFFICER: _READ,
    Role.COMMUNITY_PARTY: _READ,
    Role.ORG_USER: _READ,
    Role.EXPERT: frozenset(),
}

NOTHING = None


@dataclass(frozen=True)
class AccessPolicy:
    """How a model's rows are scoped.

    region:        lookup from the model to the Region it belongs to; "" when the model is Region.
    organization:  lookup from the model to the Organization an org_user acts for; "" when the
                   model is Organization; None when org users never see the model.
    funder:        lookup from the model to the Funder a funder_user acts for; "" when the model is
                   Funder; None when funder users never see the model.
    role_actions:  which actions each role may take on rows in its subtree.
    extra:         per-role filters for roles not scoped by region (e.g. experts by assignment);
                   a callable (user, action) -> Q | None.
    city_actions:  the actions a user at a city node may take (besides viewing): a city bureau
                   reads across its districts, and writes only what a policy lists here (its
                   users and regions); a district's business is the district bureau's.
    shared:        `() -> Q` selecting rows every user allowed to view the model reads besides
                   their own subtree's (the evaluation scheme every district starts from); the
                   other actions never reach them.
    """

    region: str | None = "region"
    organization: str | None = None
    funder: str | None = None
    role_actions: Mapping[str, frozenset[str]] = field(default_factory=lambda: DEFAULT_ROLE_ACTIONS)
    extra: Mapping[str, Callable] = field(default_factory=dict)
    city_actions: frozenset[str] = frozenset()
    shared: Callable[[], Q] | None = None

    def allows(self, user, action: str) -> bool:
        """Whether the user's role may take this action on some rows of the model at all."""
        if not (user and user.is_authenticated and user.is_active):
            return False
        if user.is_superuser:
            return True
        if action != Action.VIEW and action not in self.city_actions and at_city(user):
            return False
        return action in self.role_actions.get(user.role, ())

    def filter_for(self, user, action: str) -> Q | None:
        """The filter selecting the rows the user may act on, or None for no rows."""
        condition = self._own_filter(user, action)
        if self.shared is None or action != Action.VIEW or not self.allows(user, action):
            return condition
        return self.shared() if condition is None else condition | self.shared()

    def _own_filter(self, user, action: str) -> Q | None:
        if not self.allows(user, action):
            return NOTHING
        if user.is_superuser:
            return Q()
        if user.role in self.extra:
            return self.extra[user.role](user, action)
        if user.role == Role.ORG_USER:
            organization_id = getattr(user, "organization_id", None)
            if self.organization is None or organization_id is None:
                return NOTHING
            lookup = f"{self.organization}_id" if self.organization else "pk"
            return Q(**{lookup: organization_id})
        if user.role == Role.FUNDER_USER:
            funder_id = getattr(user, "funder_id", None)
            if self.funder is None or funder_id is None:
                return NOTHING
            lookup = f"{self.funder}_id" if self.funder else "pk"
            return Q(**{lookup: funder_id})
        if self.region is None or user.region_id is None:
            return NOTHING
        lookup = f"{self.region}__path__startswith" if self.region else "path__startswith"
        return Q(**{lookup: user.region.path})


def at_city(user) -> bool:
    """Whether the user holds their role at a city node (accounts.User.at_city)."""
    return bool(getattr(user, "at_city", False))


def city_refusal(user) -> str:
    """Why a user at a city node may not act on a district's business ("" for anyone else): the
    rules of numbering, applications, projects and reviews ask it and show its reason."""
    if user is not None and not getattr(user, "is_superuser", False) and at_city(user):
        return _("The city bureau reads its districts' records; the district bureau acts on them.")
    return ""


def within(user, region) -> bool:
    """Whether `region` lies in the user's subtree."""
    return user.region is not None and region is not None and user.region.contains(region)


def subtree_rule(user, region, roles, role_refusal: str) -> tuple[bool, str]:
    """The rule the apps' permissions share for acting on a record at `region`: a signed-in, active
    user whose role is among `roles`, not at a city node, whose subtree holds `region` (None:
    no place to check). `user` None is a system job or the demo, allowed. Answers (allowed, reason)."""
    if user is None:
        return True, ""
    if not user.is_authenticated or not user.is_active:
        return False, _("Log in first.")
    if user.is_superuser:
        return True, ""
    if user.role not in roles:
        return False, role_refusal
    if refusal := city_refusal(user):
        return False, refusal
    if region is not None and not within(user, region):
        return False, _("This is outside your jurisdiction.")
    return True, ""


class RestrictedQuerySet(models.QuerySet):
    def restrict(self, user, action: str = Action.VIEW):
        condition = self.model.access_policy.filter_for(user, action)
        if condition is None:
            return self.none()
        return self.filter(condition)


class RestrictedManager(models.Manager.from_queryset(RestrictedQuerySet)):
    pass


def resolve_region(obj, lookup: str | None):
    """Follow an access policy's region lookup on one object; None where the chain breaks."""
    if lookup is None:
        return None
    if lookup == "":
        return obj
    current = obj
    for part in lookup.split("__"):
        current = getattr(current, part, None)
        if current is None:
            return None
    return current
