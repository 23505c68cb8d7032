"""Organizations (the register itself) and the accounts that act for them."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core import bounds
from core.models import ScopedModel
from core.scoping import AccessPolicy, RestrictedManager
from core.search import bigram_index

from ..choices import Category, LegalForm, OrganizationStatus, RegistrationLevel


class Organization(ScopedModel):
    """A community social organization as the bureau's register holds it.

    Changed only by services: created on approval of an establishment or filing application (or
    by roster import), changed by approved change applications, ended by deregistration.
    """

    name = models.CharField(_("name"), max_length=200)
    uscc = models.CharField(_("unified social credit code"), max_length=18, null=True, blank=True, unique=True)
    uscc_override_reason = models.TextField(
        _("reason for accepting the credit code"), blank=True, validators=bounds.SHORT_TEXT
    )
    # NULL, not "", for registered organizations: the number is unique per district when present.
    filing_number = models.CharField(_("filing number"), max_length=32, null=True, blank=True)  # noqa: DJ001
    legal_form = models.CharField(_("legal form"), max_length=32, choices=LegalForm.choices)
    registration_level = models.CharField(_("registration level"), max_length=16, choices=RegistrationLevel.choices)
    category = models.CharField(_("category"), max_length=32, choices=Category.choices)
    region = models.ForeignKey(
        "accounts.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="organizations"
    )
    district = models.ForeignKey(
        "accounts.Region",
        verbose_name=_("district"),
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    registration_authority = models.CharField(_("registration authority"), max_length=100, blank=True)
    supervising_unit = models.CharField(_("supervising unit"), max_length=100, blank=True)
    legal_representative = models.CharField(_("legal representative / person in charge"), max_length=50)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    established_on = models.DateField(_("established on"), null=True, blank=True, validators=bounds.FOUNDING_DATE)
    funds = models.DecimalField(
        _("funds (10,000 yuan)"), max_digits=12, decimal_places=2, null=True, blank=True, validators=bounds.NOT_NEGATIVE
    )
    business_scope = models.TextField(_("business scope"), blank=True, validators=bounds.SHORT_TEXT)
    activity_area = models.CharField(_("activity area"), max_length=200, blank=True)
    member_count = models.PositiveIntegerField(_("members"), default=0, validators=bounds.HEAD_COUNT)
    staff_count = models.PositiveIntegerField(_("staff"), default=0, validators=bounds.HEAD_COUNT)
    volunteer_count = models.PositiveIntegerField(_("volunteers"), default=0, validators=bounds.HEAD_COUNT)
    status = models.CharField(
        _("status"), max_length=16, choices=OrganizationStatus.choices, default=OrganizationStatus.ACTIVE
    )
    status_changed_on = models.DateField(_("status changed on"), null=True, blank=True)
    # The decision behind a status the bureau imposed (撤销登记 / 吊销登记证书): shown on the public register.
    status_document = models.CharField(_("decision number"), max_length=64, blank=True)

    access_policy = AccessPolicy(region="region", organization="")

    class Meta:
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["district", "filing_number"], name="organization_filing_number_per_district"
            ),
            models.UniqueConstraint(
                fields=["district", "name"],
                condition=Q(status=OrganizationStatus.ACTIVE),
                name="organization_live_name_per_district",
            ),
            models.CheckConstraint(
                condition=Q(legal_form=LegalForm.COMMUNITY_FILED, registration_level=RegistrationLevel.FILED)
                | Q(~Q(legal_form=LegalForm.COMMUNITY_FILED), registration_level=RegistrationLevel.REGISTERED),
                name="organization_level_matches_form",
            ),
            *(
                bounds.check_between(name, 0, bounds.HEAD_COUNT_MAX, name=f"organization_{name}_plausible")
                for name in ("member_count", "staff_count", "volunteer_count")
            ),
        ]
        indexes = [
            models.Index(fields=["district", "status"], name="organization_district_status"),
            models.Index(fields=["name", "id"], name="organization_name_id"),
            models.Index(fields=["uscc", "filing_number", "id"], name="organization_number_id"),
            models.Index(fields=["established_on", "id"], name="organization_established_id"),
            bigram_index("name", name="organization_name_bigrams"),
            models.Index(
                fields=["filing_number"], opclasses=["varchar_pattern_ops"], name="organization_filing_prefix"
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("registry:organization_detail", args=[self.pk])

    def accounts(self) -> list:
        """The organization's own user accounts: told of decisions on its records and reminded of
        its deadlines (core.notifications leaves out inactive ones)."""
        return [member.user for member in self.members.select_related("user")]

    @property
    def number(self) -> str:
        """The credit code of a registered organization, the filing number of a filed one."""
        return self.uscc or self.filing_number or ""

    @property
    def is_filed(self) -> bool:
        return self.registration_level == RegistrationLevel.FILED

    @property
    def is_active(self) -> bool:
        return self.status == OrganizationStatus.ACTIVE


class OrganizationMember(models.Model):
    """Links an org_user account to the one organization it acts for."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="organization_membership",
    )
    organization = models.ForeignKey(
        Organization, verbose_name=_("organization"), on_delete=models.CASCADE, related_name="members"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    access_policy = AccessPolicy(region="organization__region", organization="organization")
    objects = RestrictedManager()

    class Meta:
        verbose_name = _("organization account")
        verbose_name_plural = _("organization accounts")

    def __str__(self):
        return f"{self.user} → {self.organization}"
