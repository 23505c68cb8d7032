"""Users and the jurisdiction tree (city → district → street → community; a deployment without a
city starts at its district)."""

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from core.choices import Action
from core.scoping import AccessPolicy, RestrictedQuerySet

from .choices import AreaKind, RegionLevel, Role


class Region(models.Model):
    """A node of the jurisdiction tree. `path` is the codes from the root (the city, or the district
    where there is no city) down, '/'-ended, so a subtree is `path__startswith=node.path`.
    `district` is the node's district (itself for a district, None for a city)."""

    code = models.CharField(
        _("code"),
        max_length=12,
        unique=True,
        validators=[RegexValidator(r"^\d{6}(\d{3}){0,2}$", _("A region code is 6, 9 or 12 digits."))],
    )
    name = models.CharField(_("name"), max_length=100)
    level = models.CharField(_("level"), max_length=16, choices=RegionLevel.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    district = models.ForeignKey(
        "self", verbose_name=_("district"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    path = models.CharField(_("path"), max_length=64, unique=True, editable=False)
    is_active = models.BooleanField(_("active"), default=True)
    # Urban or rural (城镇/农村), set on streets and communities; a community left blank takes its
    # street's (reports.figures).
    area_kind = models.CharField(_("urban or rural"), max_length=8, choices=AreaKind.choices, blank=True)

    access_policy = AccessPolicy(
        region="",
        organization=None,
        role_actions={
            Role.BUREAU_ADMIN: frozenset(Action.values),
            Role.BUREAU_STAFF: frozenset({Action.VIEW}),
            Role.BUREAU_VIEWER: frozenset({Action.VIEW}),
            Role.STREET_OFFICER: frozenset({Action.VIEW}),
            Role.COMMUNITY_PARTY: frozenset({Action.VIEW}),
        },
        city_actions=frozenset(Action.values),
    )
    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("administrative region")
        verbose_name_plural = _("administrative regions")
        ordering = ["path"]
        constraints = [
            # A city has no parent, a district a city or none, a street or community its parent.
            models.CheckConstraint(
                condition=Q(level=RegionLevel.CITY, parent__isnull=True)
                | Q(level=RegionLevel.DISTRICT)
                | Q(level__in=[RegionLevel.STREET, RegionLevel.COMMUNITY], parent__isnull=False),
                name="region_parent_matches_level",
            ),
            models.CheckConstraint(
                condition=~Q(level=RegionLevel.CITY) | Q(district__isnull=True), name="region_city_has_no_district"
            ),
        ]
        indexes = [
            models.Index(fields=["name", "id"], name="region_name_id"),
        ]

    def __str__(self):
        return self.name

    @property
    def is_city(self) -> bool:
        return self.level == RegionLevel.CITY

    @property
    def full_name(self) -> str:
        """Name with its ancestors from the district down, e.g. 西湖区 / 北山街道 / 宝石社区 (the
        city, the same for every row a city bureau reads, is left out)."""
        return " / ".join(self.path_names())

    def path_names(self) -> list[str]:
        """The names from the district (or the node itself, for a city) down: one query for all
        the ancestors, read by the codes of the path, instead of one per level."""
        codes = [code for code in self.path.split("/") if code][:-1]
        if not codes:
            return [self.name]
        ancestors = {
            code: (level, name)
            for code, level, name in Region.objects.filter(code__in=codes).values_list("code", "level", "name")
        }
        names = [ancestors[c][1] for c in codes if c in ancestors and ancestors[c][0] != RegionLevel.CITY]
        return [*names, self.name]

    def contains(self, other: "Region") -> bool:
        return other.path.startswith(self.path)


class RestrictedUserManager(UserManager.from_queryset(RestrictedQuerySet)):
    pass


class User(AbstractUser):
    """A person's account: one role held at one node of the jurisdiction tree."""

    full_name = models.CharField(_("full name"), max_length=50, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    role = models.CharField(_("role"), max_length=32, choices=Role.choices, blank=True)
    region = models.ForeignKey(
        Region, verbose_name=_("region"), null=True, blank=True, on_delete=models.PROTECT, related_name="users"
    )

    access_policy = AccessPolicy(
        region="region",
        organization=None,
        role_actions={
            Role.BUREAU_ADMIN: frozenset(Action.values),
            Role.BUREAU_STAFF: frozenset({Action.VIEW}),
            Role.BUREAU_VIEWER: frozenset({Action.VIEW}),
        },
        city_actions=frozenset(Action.values),
    )
    objects = RestrictedUserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["username"]
        constraints = [
            models.CheckConstraint(condition=Q(role="") | Q(region__isnull=False), name="user_role_has_region"),
        ]
        indexes = [
            models.Index(fields=["full_name", "id"], name="user_full_name_id"),
            models.Index(fields=["last_login", "id"], name="user_last_login_id"),
        ]

    def __str__(self):
        return self.full_name or self.username

    @cached_property
    def organization_id(self):
        """The organization an org_user acts for. The registry links it (reverse accessor
        `organization_membership`), so this app needs no import from registry."""
        membership = getattr(self, "organization_membership", None)
        return getattr(membership, "organization_id", None)

    @cached_property
    def funder_id(self):
        """The funder a funder_user acts for (projects links it: reverse accessor
        `funder_membership`)."""
        membership = getattr(self, "funder_membership", None)
        return getattr(membership, "funder_id", None)

    @property
    def district_id(self):
        """The district the user works in; None for a user at a city node (who reads across its
        districts and acts for none) and for a user without a region."""
        if self.region is None:
            return None
        return self.region.district_id

    @property
    def at_city(self) -> bool:
        """Whether the user holds their role at a city node (core.scoping reads this)."""
        return self.region is not None and self.region.level == RegionLevel.CITY
