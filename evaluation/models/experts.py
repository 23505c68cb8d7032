"""The expert pool (专家库): each expert rates in one dimension, declares an affiliation (which
decides conflicts of interest: an expert affiliated with a project's organization or funder never
rates it) and may hold a user account that sees only their own assignments."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.models import ScopedModel

from ..choices import AffiliationKind, Dimension
from .policies import EXPERT_POLICY


class Expert(ScopedModel):
    region = models.ForeignKey(
        "accounts.Region", verbose_name=_("district"), on_delete=models.PROTECT, related_name="experts"
    )
    name = models.CharField(_("name"), max_length=50)
    dimension = models.CharField(_("dimension"), max_length=20, choices=Dimension.choices)
    affiliation_kind = models.CharField(_("affiliation kind"), max_length=20, choices=AffiliationKind.choices)
    # The department, newspaper, university or public office (区人大代表, 区政协委员…) in words.
    affiliation = models.CharField(_("affiliation"), max_length=100, blank=True)
    organization = models.ForeignKey(
        "registry.Organization",
        verbose_name=_("affiliated organization"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="affiliated_experts",
    )
    funder = models.ForeignKey(
        "projects.Funder",
        verbose_name=_("affiliated funder"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="affiliated_experts",
    )
    title = models.CharField(_("professional title"), max_length=50, blank=True)
    specialty = models.CharField(_("specialty"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user account"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="expert_profile",
    )
    is_active = models.BooleanField(_("active"), default=True)

    access_policy = EXPERT_POLICY

    class Meta:
        verbose_name = _("expert")
        verbose_name_plural = _("experts")
        ordering = ["name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(affiliation_kind=AffiliationKind.ORGANIZATION, organization__isnull=False)
                | ~Q(affiliation_kind=AffiliationKind.ORGANIZATION),
                name="evaluation_expert_organization_named",
            ),
            models.CheckConstraint(
                condition=Q(affiliation_kind=AffiliationKind.FUNDER, funder__isnull=False)
                | ~Q(affiliation_kind=AffiliationKind.FUNDER),
                name="evaluation_expert_funder_named",
            ),
        ]
        indexes = [
            models.Index(fields=["region", "dimension", "is_active"], name="evaluation_expert_pool"),
            models.Index(fields=["name", "id"], name="expert_name_id"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("evaluation:expert_detail", args=[self.pk])
