"""Revocations (撤销登记) and licence revocations (吊销登记证书) of registered organizations: an
administrative decision with its legal basis, number and date, proposed by a clerk of the bureau and
decided by another person on the workflow engine (supervision.workflows.REVOCATION). Approved, it
changes the organization's status and lists it on the serious-violation list (services.revocations).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core import bounds
from core.choices import Action, Role
from core.models import Reviewed, ScopedModel
from core.scoping import AccessPolicy
from registry.choices import OrganizationStatus

from ..choices import OPEN_REVOCATION_STATES, RevocationKind, RevocationStatus


def _approved_in_area(user, action):
    """Streets and communities read the decisions about organizations of their area, not the
    bureau's drafts."""
    if user.region_id is None:
        return None
    return Q(organization__region__path__startswith=user.region.path, status=RevocationStatus.APPROVED)


def _approved_of_own_organization(user, action):
    """An organization's account reads the decision about its organization once it is made."""
    organization_id = getattr(user, "organization_id", None)
    if organization_id is None:
        return None
    return Q(organization_id=organization_id, status=RevocationStatus.APPROVED)


REVOCATION_POLICY = AccessPolicy(
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
    extra={
        Role.STREET_OFFICER: _approved_in_area,
        Role.COMMUNITY_PARTY: _approved_in_area,
        Role.ORG_USER: _approved_of_own_organization,
    },
)


class Revocation(Reviewed, ScopedModel):
    organization = models.ForeignKey(
        "registry.Organization",
        verbose_name=_("organization"),
        on_delete=models.PROTECT,
        related_name="revocations",
    )
    kind = models.CharField(_("kind of decision"), max_length=16, choices=RevocationKind.choices)
    legal_basis = models.TextField(_("legal basis"), validators=bounds.SHORT_TEXT)
    facts = models.TextField(_("facts established"), validators=bounds.LONG_TEXT)
    decision_number = models.CharField(_("decision number"), max_length=64)
    decision_date = models.DateField(_("decision date"), default=timezone.localdate)
    status = models.CharField(
        _("status"), max_length=16, choices=RevocationStatus.choices, default=RevocationStatus.DRAFT
    )
    submitted_at = models.DateTimeField(_("proposed at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("proposed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    serious_listing = models.ForeignKey(
        "supervision.SeriousViolationListing",
        verbose_name=_("serious-violation listing"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="revocations",
    )

    access_policy = REVOCATION_POLICY

    class Meta:
        verbose_name = _("revocation")
        verbose_name_plural = _("revocations")
        ordering = ["-decision_date", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization"],
                condition=Q(status__in=sorted(OPEN_REVOCATION_STATES)),
                name="revocation_one_open_per_organization",
            ),
            models.UniqueConstraint(
                fields=["decision_number"],
                condition=~Q(status=RevocationStatus.REJECTED),
                name="revocation_decision_number_unique",
            ),
            models.CheckConstraint(
                condition=Q(status=RevocationStatus.APPROVED, serious_listing__isnull=False)
                | ~Q(status=RevocationStatus.APPROVED),
                name="revocation_approved_is_listed",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "decision_date"], name="revocation_status_date"),
            models.Index(fields=["decision_number", "id"], name="revocation_number_id"),
            models.Index(fields=["decision_date", "id"], name="revocation_date_id"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.organization}"

    def get_absolute_url(self):
        return reverse("supervision:revocation_detail", args=[self.pk])

    @property
    def is_editable(self) -> bool:
        return self.status in (RevocationStatus.DRAFT, RevocationStatus.RETURNED)

    @property
    def revoked_status(self) -> str:
        """The organization's status once the decision is made."""
        return OrganizationStatus.REVOKED if self.kind == RevocationKind.REVOKE else OrganizationStatus.LICENCE_REVOKED
