"""Purchase of services (政府购买服务): who pays (funders and their accounts), the contract with its
versions and milestones, and the payments made against accepted milestones ("费随事转")."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core import bounds
from core.choices import Action, Role
from core.models import Reviewed, ScopedModel
from core.scoping import AccessPolicy, RestrictedManager
from core.search import bigram_index

from .. import uploads
from ..choices import FunderKind, MilestoneStatus, ProcurementMethod
from .projects import AMOUNT, PROJECT_ROLE_ACTIONS, _project_policy

_ALL = frozenset(Action.values)
_READ = frozenset({Action.VIEW})


def _district_funders(user, action):
    """Street and community people read their subtree's funders and those of their district (the
    bureau, the departments and funds that pay for projects in their streets)."""
    region = user.region
    if region is None:
        return None
    condition = Q(region__path__startswith=region.path)
    if action == Action.VIEW and region.district_id:
        condition |= Q(region_id=region.district_id)
    return condition


class Funder(ScopedModel):
    """A body that pays for projects. `region` is the node it sits at: the district for the bureau,
    departments, funds, foundations and enterprises; the street or community for their offices."""

    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=32, choices=FunderKind.choices)
    region = models.ForeignKey(
        "accounts.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="funders"
    )
    uscc = models.CharField(_("unified social credit code"), max_length=18, blank=True)
    contact_person = models.CharField(_("contact person"), max_length=50, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=20, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    access_policy = AccessPolicy(
        region="region",
        funder="",
        role_actions={
            Role.BUREAU_ADMIN: _ALL,
            Role.BUREAU_STAFF: frozenset({Action.VIEW, Action.ADD, Action.CHANGE}),
            Role.BUREAU_VIEWER: _READ,
            Role.STREET_OFFICER: _READ,
            Role.COMMUNITY_PARTY: _READ,
            Role.FUNDER_USER: _READ,
        },
        extra={Role.STREET_OFFICER: _district_funders, Role.COMMUNITY_PARTY: _district_funders},
    )
    objects = RestrictedManager()

    class Meta:
        verbose_name = _("funder")
        verbose_name_plural = _("funders")
        ordering = ["name", "pk"]
        constraints = [models.UniqueConstraint(fields=["region", "name"], name="funder_name_per_region")]
        indexes = [
            models.Index(fields=["name", "id"], name="funder_name_id"),
            bigram_index("name", name="funder_name_bigrams"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("projects:funder_detail", args=[self.pk])


class FunderMember(models.Model):
    """Links a funder_user account to the one funder it acts for."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="funder_membership"
    )
    funder = models.ForeignKey(Funder, verbose_name=_("funder"), on_delete=models.PROTECT, related_name="members")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    access_policy = AccessPolicy(region="funder__region", funder="funder")
    objects = RestrictedManager()

    class Meta:
        verbose_name = _("funder account")
        verbose_name_plural = _("funder accounts")

    def __str__(self):
        return f"{self.funder} · {self.user}"


# Contracts, milestones and payments: set up by those who manage the project, read by its
# organization and funder; milestones are delivered by the organization and accepted by the funder.
CONTRACT_ROLE_ACTIONS = PROJECT_ROLE_ACTIONS
# Payments are the funder's to record (and reverse): its funder accounts add them too.
PAYMENT_ROLE_ACTIONS = {**CONTRACT_ROLE_ACTIONS, Role.FUNDER_USER: frozenset({Action.VIEW, Action.ADD})}


class Contract(ScopedModel):
    """One version of a project's contract. An amendment is a new version (`previous_version`); the
    old one stays as it was, readable, with its milestones."""

    project = models.ForeignKey(
        "projects.Project", verbose_name=_("project"), on_delete=models.PROTECT, related_name="contracts"
    )
    number = models.CharField(_("contract number"), max_length=60)
    procurement_method = models.CharField(_("procurement method"), max_length=32, choices=ProcurementMethod.choices)
    signed_on = models.DateField(_("signed on"), validators=bounds.PLAUSIBLE_DATE)
    amount = models.DecimalField(_("contract amount (yuan)"), validators=bounds.NOT_NEGATIVE, **AMOUNT)
    start_date = models.DateField(_("start date"), validators=bounds.PLAUSIBLE_DATE)
    end_date = models.DateField(_("end date"), validators=bounds.PLAUSIBLE_DATE)
    file = models.FileField(_("contract file"), upload_to=uploads.CONTRACT_UPLOADS.upload_to, blank=True)
    file_name = models.CharField(_("contract file name"), max_length=255, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    previous_version = models.OneToOneField(
        "self",
        verbose_name=_("previous version"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="next_version",
        editable=False,
    )
    is_current = models.BooleanField(_("current version"), default=True, editable=False)
    amendment_reason = models.TextField(_("amendment reason"), blank=True, validators=bounds.SHORT_TEXT)

    access_policy = _project_policy(CONTRACT_ROLE_ACTIONS)
    objects = RestrictedManager()

    class Meta:
        verbose_name = _("contract")
        verbose_name_plural = _("contracts")
        ordering = ["project_id", "-version", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["project", "version"], name="contract_version_per_project"),
            models.UniqueConstraint(
                fields=["project"], condition=Q(is_current=True), name="contract_one_current_per_project"
            ),
            models.CheckConstraint(condition=Q(amount__gte=0), name="contract_amount_not_negative"),
            models.CheckConstraint(condition=Q(end_date__gte=models.F("start_date")), name="contract_period_ordered"),
            models.CheckConstraint(condition=Q(version__gte=1), name="contract_version_positive"),
            bounds.check_between("signed_on", bounds.DATE_MIN, bounds.DATE_MAX, name="contract_signed_plausible"),
            bounds.check_between("start_date", bounds.DATE_MIN, bounds.DATE_MAX, name="contract_start_plausible"),
            bounds.check_between("end_date", bounds.DATE_MIN, bounds.DATE_MAX, name="contract_end_plausible"),
        ]
        indexes = [
            models.Index(fields=["number", "id"], name="contract_number_id"),
            models.Index(fields=["signed_on", "id"], name="contract_signed_id"),
            models.Index(fields=["amount", "id"], name="contract_amount_id"),
            models.Index(fields=["project", "-version", "-id"], name="contract_project_version_id"),
            models.Index(fields=["number"], opclasses=["varchar_pattern_ops"], name="contract_number_prefix"),
        ]

    def __str__(self):
        suffix = f" v{self.version}" if self.version > 1 else ""
        return f"{self.number}{suffix}"

    def get_absolute_url(self):
        return reverse("projects:contract_detail", args=[self.pk])


class Milestone(Reviewed, ScopedModel):
    """A deliverable of a contract version with its due date and share of the amount (a tranche).
    The organization delivers it, the funder accepts or returns it; payments follow acceptance.
    An amendment copies the milestones into the new version (`previous`), state and all."""

    contract = models.ForeignKey(
        Contract, verbose_name=_("contract"), on_delete=models.PROTECT, related_name="milestones"
    )
    project = models.ForeignKey(
        "projects.Project", verbose_name=_("project"), on_delete=models.PROTECT, related_name="milestones"
    )
    sequence = models.PositiveSmallIntegerField(_("sequence"), validators=[MinValueValidator(1), MaxValueValidator(99)])
    deliverable = models.CharField(_("deliverable"), max_length=200)
    due_date = models.DateField(_("due date"), validators=bounds.PLAUSIBLE_DATE)
    share = models.DecimalField(
        _("share of the amount (%)"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    amount = models.DecimalField(_("tranche amount (yuan)"), validators=bounds.NOT_NEGATIVE, **AMOUNT)
    status = models.CharField(
        _("status"), max_length=20, choices=MilestoneStatus.choices, default=MilestoneStatus.PENDING
    )
    delivery_note = models.TextField(_("delivery note"), blank=True, validators=bounds.LONG_TEXT)
    submitted_at = models.DateTimeField(_("delivered at"), null=True, blank=True, editable=False)
    # Who reported the delivery: they may not accept it (core.reviews.may_decide).
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("delivered by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    previous = models.OneToOneField(
        "self",
        verbose_name=_("same milestone in the previous version"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="carried_to",
        editable=False,
    )

    access_policy = _project_policy(CONTRACT_ROLE_ACTIONS)
    objects = RestrictedManager()

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["contract_id", "sequence"]
        constraints = [
            models.UniqueConstraint(fields=["contract", "sequence"], name="milestone_sequence_per_contract"),
            models.CheckConstraint(condition=Q(share__gt=0, share__lte=100), name="milestone_share_0_100"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="milestone_amount_not_negative"),
            bounds.check_between("due_date", bounds.DATE_MIN, bounds.DATE_MAX, name="milestone_due_plausible"),
        ]
        indexes = [
            models.Index(fields=["due_date", "id"], name="milestone_due_id"),
        ]

    def __str__(self):
        return f"{self.sequence}. {self.deliverable}"

    def get_absolute_url(self):
        return reverse("projects:milestone_detail", args=[self.pk])


class Payment(ScopedModel):
    """Money paid to the organization (拨付) against an accepted milestone. Never edited or deleted:
    a wrong payment is reversed by a negative counter-entry naming it (`reverses`)."""

    project = models.ForeignKey(
        "projects.Project", verbose_name=_("project"), on_delete=models.PROTECT, related_name="payments"
    )
    milestone = models.ForeignKey(
        Milestone, verbose_name=_("milestone"), on_delete=models.PROTECT, related_name="payments"
    )
    paid_on = models.DateField(_("paid on"), validators=bounds.PLAUSIBLE_DATE)
    amount = models.DecimalField(_("amount (yuan)"), **AMOUNT)
    reference = models.CharField(_("payment reference"), max_length=60)
    remarks = models.CharField(_("remarks"), max_length=200, blank=True)
    reverses = models.OneToOneField(
        "self",
        verbose_name=_("reverses"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reversal",
        editable=False,
    )

    access_policy = _project_policy(PAYMENT_ROLE_ACTIONS)
    objects = RestrictedManager()

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["-paid_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(reverses__isnull=True, amount__gt=0) | Q(reverses__isnull=False, amount__lt=0),
                name="payment_amount_sign_matches_reversal",
            ),
            bounds.check_between("paid_on", bounds.DATE_MIN, bounds.DATE_MAX, name="payment_paid_on_plausible"),
        ]
        indexes = [
            models.Index(fields=["paid_on", "id"], name="payment_paid_id"),
            models.Index(fields=["amount", "id"], name="payment_amount_id"),
        ]

    def __str__(self):
        return f"{self.paid_on:%Y-%m-%d} {self.amount} 元"

    def get_absolute_url(self):
        return reverse("projects:payment_detail", args=[self.pk])
