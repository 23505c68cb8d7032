"""Party organizations and how each organization is covered by party building.

PartyCoverage is the one source of truth for an organization's party building, kept as history: each
change closes the current row (valid_to) and opens a new one (valid_from), so the coverage of any past
date is `valid_from <= date < valid_to` (an open row: valid_to is null). Which organizations a party
organization covers is read from the current coverage rows that name it.
"""

from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core import bounds
from core.models import ScopedModel
from core.scoping import RestrictedQuerySet
from core.search import bigram_index
from registry.choices import PartyForm

from ..choices import Formation, PartyLevel, PartyOrganizationStatus
from .policies import NODE_POLICY, ORGANIZATION_POLICY

HAS_PARTY_ORGANIZATION = (PartyForm.STANDALONE, PartyForm.JOINT)
WORK_COVERED = (PartyForm.STANDALONE, PartyForm.JOINT, PartyForm.INSTRUCTOR)


class PartyOrganization(ScopedModel):
    name = models.CharField(_("name"), max_length=200)
    level = models.CharField(_("level"), max_length=16, choices=PartyLevel.choices)
    formation = models.CharField(_("formation"), max_length=16, choices=Formation.choices)
    region = models.ForeignKey(
        "accounts.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="party_organizations"
    )
    # The community's party organization or the street's party working committee (街道党工委): the
    # responsible party body of the organizations at its node without a community of their own.
    is_area_body = models.BooleanField(
        _("responsible party body of its area"),
        default=False,
        help_text=_("The community's party organization or the street's party working committee."),
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent party organization"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    secretary = models.CharField(_("secretary"), max_length=50, blank=True)
    secretary_phone = models.CharField(_("secretary's phone"), max_length=30, blank=True)
    established_on = models.DateField(_("established on"), validators=bounds.FOUNDING_DATE)
    term_ends_on = models.DateField(_("term ends on"), null=True, blank=True, validators=bounds.PLAUSIBLE_DATE)
    full_member_count = models.PositiveIntegerField(_("full members"), default=0, validators=bounds.HEAD_COUNT)
    probationary_member_count = models.PositiveIntegerField(
        _("probationary members"), default=0, validators=bounds.HEAD_COUNT
    )
    # A regional alliance (区域性党建联盟) is hosted in rotation (轮值) by one of its organizations.
    host_organization = models.ForeignKey(
        "registry.Organization",
        verbose_name=_("current host"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="hosted_party_alliances",
    )
    rotation = models.CharField(_("rotation"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=PartyOrganizationStatus.choices, default=PartyOrganizationStatus.ACTIVE
    )
    dissolved_on = models.DateField(_("dissolved on"), null=True, blank=True, validators=bounds.PLAUSIBLE_DATE)

    access_policy = NODE_POLICY

    class Meta:
        verbose_name = _("party organization")
        verbose_name_plural = _("party organizations")
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "name"],
                condition=Q(status=PartyOrganizationStatus.ACTIVE),
                name="party_organization_live_name_per_region",
            ),
            # One responsible body per node: an organization's contacts are the duty of exactly one.
            models.UniqueConstraint(
                fields=["region"],
                condition=Q(is_area_body=True, status=PartyOrganizationStatus.ACTIVE),
                name="party_organization_one_area_body_per_region",
            ),
            models.CheckConstraint(
                condition=Q(term_ends_on__isnull=True) | Q(term_ends_on__gt=F("established_on")),
                name="party_organization_term_after_establishment",
            ),
            models.CheckConstraint(
                condition=Q(dissolved_on__isnull=True) | Q(dissolved_on__gte=F("established_on")),
                name="party_organization_dissolved_after_establishment",
            ),
            *(
                bounds.check_between(name, 0, bounds.HEAD_COUNT_MAX, name=f"party_organization_{name}_plausible")
                for name in ("full_member_count", "probationary_member_count")
            ),
        ]
        indexes = [
            models.Index(fields=["region", "status"], name="party_org_region_status"),
            models.Index(fields=["name", "id"], name="partyorg_name_id"),
            models.Index(fields=["established_on", "id"], name="partyorg_established_id"),
            models.Index(fields=["term_ends_on", "id"], name="partyorg_term_ends_id"),
            bigram_index("name", name="partyorg_name_bigrams"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("party:partyorganization_detail", args=[self.pk])

    @property
    def member_count(self) -> int:
        return self.full_member_count + self.probationary_member_count

    @property
    def is_active(self) -> bool:
        return self.status == PartyOrganizationStatus.ACTIVE


class PartyCoverageQuerySet(RestrictedQuerySet):
    def current(self):
        return self.filter(valid_to__isnull=True)

    def as_of(self, date):
        """The rows in force on a date."""
        return self.filter(Q(valid_to__isnull=True) | Q(valid_to__gt=date), valid_from__lte=date)


class PartyCoverage(ScopedModel):
    organization = models.ForeignKey(
        "registry.Organization",
        verbose_name=_("organization"),
        on_delete=models.PROTECT,
        related_name="party_coverages",
    )
    form = models.CharField(_("form of party building"), max_length=16, choices=PartyForm.choices)
    party_organization = models.ForeignKey(
        PartyOrganization,
        verbose_name=_("party organization"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="coverages",
    )
    full_party_members = models.PositiveIntegerField(
        _("full party members among staff"), default=0, validators=bounds.HEAD_COUNT
    )
    probationary_party_members = models.PositiveIntegerField(
        _("probationary party members among staff"), default=0, validators=bounds.HEAD_COUNT
    )
    head_is_party_member = models.BooleanField(_("the person in charge is a party member"), default=False)
    # 双向进入、交叉任职: names, separated by 、
    management_on_committee = models.CharField(
        _("management members on the party committee"), max_length=200, blank=True
    )
    committee_in_management = models.CharField(
        _("party committee members in the management"), max_length=200, blank=True
    )
    instructor = models.CharField(_("party-building instructor"), max_length=50, blank=True)
    instructor_phone = models.CharField(_("instructor's phone"), max_length=30, blank=True)
    # Where there is no party building yet: when it is planned and why there is none.
    planned_on = models.DateField(_("planned for"), null=True, blank=True, validators=bounds.PLAUSIBLE_DATE)
    no_party_reason = models.TextField(_("reason for none"), blank=True, validators=bounds.SHORT_TEXT)
    # 四建联动: the mass organizations the organization has, each with the date it was formed.
    trade_union_on = models.DateField(
        _("trade union formed on"), null=True, blank=True, validators=bounds.FOUNDING_DATE
    )
    youth_league_on = models.DateField(
        _("Youth League organization formed on"), null=True, blank=True, validators=bounds.FOUNDING_DATE
    )
    women_org_on = models.DateField(
        _("women's organization formed on"), null=True, blank=True, validators=bounds.FOUNDING_DATE
    )
    valid_from = models.DateField(_("in force from"), default=timezone.localdate, validators=bounds.PLAUSIBLE_DATE)
    valid_to = models.DateField(_("in force until"), null=True, blank=True, validators=bounds.PLAUSIBLE_DATE)
    note = models.TextField(_("note"), blank=True, validators=bounds.SHORT_TEXT)

    access_policy = ORGANIZATION_POLICY
    objects = PartyCoverageQuerySet.as_manager()

    class Meta:
        verbose_name = _("party coverage")
        verbose_name_plural = _("party coverage")
        ordering = ["organization_id", "-valid_from", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization"], condition=Q(valid_to__isnull=True), name="party_coverage_one_current"
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")),
                name="party_coverage_period_ordered",
            ),
            models.CheckConstraint(
                condition=Q(form__in=HAS_PARTY_ORGANIZATION, party_organization__isnull=False)
                | Q(~Q(form__in=HAS_PARTY_ORGANIZATION), party_organization__isnull=True),
                name="party_coverage_organization_matches_form",
            ),
            *(
                bounds.check_between(name, 0, bounds.HEAD_COUNT_MAX, name=f"party_coverage_{name}_plausible")
                for name in ("full_party_members", "probationary_party_members")
            ),
        ]
        indexes = [
            models.Index(fields=["organization", "valid_from"], name="party_coverage_org_from"),
            models.Index(fields=["party_organization", "valid_to"], name="party_coverage_party_org"),
            models.Index(fields=["valid_from", "id"], name="partycoverage_valid_from_id"),
            models.Index(fields=["organization", "-valid_from", "-id"], name="partycoverage_org_valid_id"),
        ]

    def __str__(self):
        return f"{self.organization} · {self.get_form_display()}"

    def get_absolute_url(self):
        return reverse("party:partycoverage_detail", args=[self.pk])

    @property
    def party_members(self) -> int:
        return self.full_party_members + self.probationary_party_members

    @property
    def is_current(self) -> bool:
        return self.valid_to is None
