"""The abnormal-activity list (活动异常名录) and the serious-violation list (严重违法失信名单).

Overlays on an organization, not statuses: a listing begins and ends, and is never erased; who
listed and removed it, when and why are kept on the row (and in the audit trail).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core import bounds
from core.choices import Action, Role
from core.models import ScopedModel
from core.scoping import AccessPolicy

from ..choices import ListingEndReason, ListingReason, RemovalProposal, SeriousListingEndReason, SeriousListingReason

LISTING_POLICY = AccessPolicy(
    region="organization__region",
    organization="organization",
    role_actions={
        Role.BUREAU_ADMIN: frozenset(Action.values),
        Role.BUREAU_STAFF: frozenset({Action.VIEW, Action.ADD, Action.CHANGE}),
        Role.BUREAU_VIEWER: frozenset({Action.VIEW}),
        Role.STREET_OFFICER: frozenset({Action.VIEW}),
        Role.COMMUNITY_PARTY: frozenset({Action.VIEW}),
        Role.ORG_USER: frozenset({Action.VIEW}),
    },
)


class Listing(ScopedModel):
    listed_on = models.DateField(_("listed on"), default=timezone.localdate)
    listed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("listed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Empty when the daily job listed the organization."),
    )
    listing_note = models.TextField(_("grounds for listing"), blank=True, validators=bounds.SHORT_TEXT)
    ended_on = models.DateField(_("removed on"), null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("removed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    end_note = models.TextField(_("grounds for removal"), blank=True, validators=bounds.SHORT_TEXT)

    access_policy = LISTING_POLICY

    class Meta:
        abstract = True

    @property
    def is_active(self) -> bool:
        return self.ended_on is None

    @property
    def listed_by_display(self) -> str:
        return str(self.listed_by) if self.listed_by_id else str(_("Daily job"))


class AbnormalListing(Listing):
    organization = models.ForeignKey(
        "registry.Organization",
        verbose_name=_("organization"),
        on_delete=models.PROTECT,
        related_name="abnormal_listings",
    )
    reason = models.CharField(pgettext_lazy("listing", "reason"), max_length=32, choices=ListingReason.choices)
    report_year = models.PositiveSmallIntegerField(
        _("report year"),
        null=True,
        blank=True,
        validators=bounds.YEAR,
        help_text=_("The year whose annual report is missing."),
    )
    end_reason = models.CharField(_("reason for removal"), max_length=32, choices=ListingEndReason.choices, blank=True)
    serious_listing = models.ForeignKey(
        "supervision.SeriousViolationListing",
        verbose_name=_("moved to"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="abnormal_listings",
    )
    # A proposal to remove the listing (the missing report filed; six months with nothing to
    # rectify): a to-do of the bureau, which removes the listing or keeps it with a reason.
    removal_proposal = models.CharField(
        _("removal proposed"), max_length=32, choices=RemovalProposal.choices, blank=True
    )
    removal_proposed_on = models.DateField(_("removal proposed on"), null=True, blank=True)
    removal_declined_on = models.DateField(_("kept listed on"), null=True, blank=True)
    removal_declined_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("kept listed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    removal_decline_note = models.TextField(
        _("grounds for keeping it listed"), blank=True, validators=bounds.SHORT_TEXT
    )

    class Meta:
        verbose_name = _("abnormal-activity listing")
        verbose_name_plural = _("abnormal-activity list")
        ordering = ["-listed_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "reason"],
                condition=Q(ended_on__isnull=True),
                name="abnormal_listing_one_active_per_reason",
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True, end_reason="") | Q(ended_on__isnull=False, end_reason__gt=""),
                name="abnormal_listing_end_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(removal_proposal="", removal_proposed_on__isnull=True)
                | Q(removal_proposal__gt="", removal_proposed_on__isnull=False),
                name="abnormal_listing_proposal_has_date",
            ),
        ]
        indexes = [
            models.Index(fields=["ended_on", "listed_on"], name="abnormal_listing_active"),
            models.Index(fields=["listed_on", "id"], name="abnormal_listed_id"),
            models.Index(fields=["ended_on", "id"], name="abnormal_ended_id"),
        ]

    def __str__(self):
        return f"{self.organization} · {self.get_reason_display()}"

    def get_absolute_url(self):
        return reverse("supervision:abnormallisting_detail", args=[self.pk])

    @property
    def removal_pending(self) -> bool:
        """Proposed for removal and awaiting the bureau's decision."""
        return self.is_active and bool(self.removal_proposal) and self.removal_declined_on is None


class SeriousViolationListing(Listing):
    organization = models.ForeignKey(
        "registry.Organization",
        verbose_name=_("organization"),
        on_delete=models.PROTECT,
        related_name="serious_violation_listings",
    )
    reason = models.CharField(pgettext_lazy("listing", "reason"), max_length=32, choices=SeriousListingReason.choices)
    end_reason = models.CharField(
        _("reason for removal"), max_length=32, choices=SeriousListingEndReason.choices, blank=True
    )

    class Meta:
        verbose_name = _("serious-violation listing")
        verbose_name_plural = _("serious-violation list")
        ordering = ["-listed_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization"],
                condition=Q(ended_on__isnull=True),
                name="serious_listing_one_active",
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True, end_reason="") | Q(ended_on__isnull=False, end_reason__gt=""),
                name="serious_listing_end_has_reason",
            ),
        ]
        indexes = [
            models.Index(fields=["listed_on", "id"], name="serious_listed_id"),
            models.Index(fields=["ended_on", "id"], name="serious_ended_id"),
        ]

    def __str__(self):
        return f"{self.organization} · {self.get_reason_display()}"

    def get_absolute_url(self):
        return reverse("supervision:seriousviolationlisting_detail", args=[self.pk])
