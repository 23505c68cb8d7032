"""Users and the jurisdiction tree (district → street → community)."""

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from core.choices import Action
from core.scoping import AccessPolicy, RestrictedQuerySet

from .choices import RegionLevel, Role


class Region(models.Model):
    """A node of the jurisdiction tree. `path` is the codes from the district down, '/'-ended,
    so a subtree is `path__startswith=node.path`."""

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
    )
    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("administrative region")
        verbose_name_plural = _("administrative regions")
        ordering = ["path"]
        constraints = [
            models.CheckConstraint(
                condition=Q(level=RegionLevel.DISTRICT, parent__isnull=True)
                | Q(~Q(level=RegionLevel.DISTRICT), parent__isnull=False),
                name="region_parent_matches_level",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def full_name(self) -> str:
        """Name with its ancestors below the district, e.g. 北山街道 / 宝石社区."""
        return " / ".join(self.path_names())

    def path_names(self) -> list[str]:
        names, node = [], self
        while node is not None:
            names.append(node.name)
            node = node.parent
        return list(reversed(names))

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
    )
    objects = RestrictedUserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["username"]
        constraints = [
            models.CheckConstraint(condition=Q(role="") | Q(region__isnull=False), name="user_role_has_region"),
        ]

    def __str__(self):
        return self.full_name or self.username

    @cached_property
    def organization_id(self):
        """The organization an org_user acts for. The registry links it (reverse accessor
        `organization_membership`), so this app needs no import from registry."""
        membership = getattr(self, "organization_membership", None)
        return getattr(membership, "organization_id", None)

    @property
    def district_id(self):
        if self.region is None:
            return None
        return self.region.district_id or self.region.pk
