"""Rollups: the dashboard's figures of one jurisdiction node for one quarter, refreshed by Celery
(reports.rollups), so that a city's or a nation's dashboard reads one row per node instead of
aggregating every organization."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.choices import Action, Role
from core.scoping import AccessPolicy, RestrictedQuerySet

READ = frozenset({Action.VIEW})

ROLLUP_POLICY = AccessPolicy(
    region="region",
    role_actions={
        Role.BUREAU_ADMIN: READ,
        Role.BUREAU_STAFF: READ,
        Role.BUREAU_VIEWER: READ,
        Role.STREET_OFFICER: READ,
        Role.COMMUNITY_PARTY: READ,
    },
)


class Rollup(models.Model):
    """The additive figures (counts and sums, never rates) of the subtree under `region` for one
    quarter, as `reports.figures` computes them live. Rates are derived when shown, so a city's
    figures are the sum of its districts' rows."""

    region = models.ForeignKey(
        "accounts.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="rollups"
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    quarter = models.PositiveSmallIntegerField(_("quarter"), validators=[MinValueValidator(1), MaxValueValidator(4)])
    figures = models.JSONField(_("figures"), default=dict)
    refreshed_at = models.DateTimeField(_("refreshed at"), default=timezone.now)

    access_policy = ROLLUP_POLICY
    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("rollup")
        verbose_name_plural = _("rollups")
        ordering = ["region__path", "-year", "-quarter"]
        constraints = [
            models.UniqueConstraint(fields=["region", "year", "quarter"], name="reports_rollup_node_quarter"),
            models.CheckConstraint(condition=models.Q(quarter__gte=1, quarter__lte=4), name="reports_rollup_quarter"),
            models.CheckConstraint(condition=models.Q(year__gte=2000, year__lte=2100), name="reports_rollup_year"),
        ]

    def __str__(self):
        return f"{self.region} {self.year}Q{self.quarter}"
