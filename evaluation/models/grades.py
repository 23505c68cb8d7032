"""Organization grades (社会组织评估等级 1A–5A) for registered legal forms, and the lighter annual
评估评议 of filed community organizations.

A grade awarded in year Y is valid from 1 January of Y+1 through 31 December of Y+5 (awarded
November 2024 → 2025-01-01 to 2029-12-31); the organization's current grade is the latest one in
force and not revoked. A community review is scored by the street (four parts of 25 points), the
community party organization gives its opinion, and the total gives the year's conclusion.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core import bounds
from core.models import ScopedModel

from ..choices import CommunityReviewStatus, Grade, ReviewConclusion
from .policies import COMMUNITY_REVIEW_POLICY, GRADE_POLICY

PART_MAX = 25


class OrgGrade(ScopedModel):
    organization = models.ForeignKey(
        "registry.Organization", verbose_name=_("organization"), on_delete=models.PROTECT, related_name="grades"
    )
    score = models.DecimalField(
        _("assessment score (of 1000)"),
        max_digits=5,
        decimal_places=1,
        validators=[MinValueValidator(0), MaxValueValidator(1000)],
    )
    grade = models.PositiveSmallIntegerField(_("grade"), choices=Grade.choices)
    awarded_on = models.DateField(_("awarded on"), validators=bounds.PLAUSIBLE_DATE)
    decision_number = models.CharField(_("decision number"), max_length=60, blank=True)
    valid_from = models.DateField(_("valid from"), editable=False)
    valid_until = models.DateField(_("valid until"), editable=False)
    revoked_on = models.DateField(_("revoked on"), null=True, blank=True, editable=False)
    revocation_reason = models.TextField(
        _("revocation reason"), blank=True, editable=False, validators=bounds.SHORT_TEXT
    )

    access_policy = GRADE_POLICY

    class Meta:
        verbose_name = _("organization grade")
        verbose_name_plural = _("organization grades")
        ordering = ["-awarded_on", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(score__gte=0, score__lte=1000), name="evaluation_grade_score_0_1000"),
            models.CheckConstraint(condition=Q(grade__gte=1, grade__lte=5), name="evaluation_grade_1_to_5"),
            models.CheckConstraint(
                condition=Q(valid_from__gt=F("awarded_on")) & Q(valid_until__gt=F("valid_from")),
                name="evaluation_grade_validity_after_award",
            ),
        ]
        indexes = [
            models.Index(fields=["organization", "valid_until"], name="evaluation_grade_current"),
            models.Index(fields=["score", "id"], name="orggrade_score_id"),
            models.Index(fields=["awarded_on", "id"], name="orggrade_awarded_id"),
            models.Index(fields=["valid_until", "id"], name="orggrade_valid_until_id"),
        ]

    def __str__(self):
        return f"{self.organization} · {self.get_grade_display()}"

    def get_absolute_url(self):
        return reverse("evaluation:orggrade_detail", args=[self.pk])


class CommunityReview(ScopedModel):
    organization = models.ForeignKey(
        "registry.Organization",
        verbose_name=_("organization"),
        on_delete=models.PROTECT,
        related_name="community_reviews",
    )
    year = models.PositiveIntegerField(_("year"), validators=bounds.YEAR)
    governance = models.PositiveSmallIntegerField(
        _("organization and governance (25)"), validators=[MaxValueValidator(PART_MAX)]
    )
    activities = models.PositiveSmallIntegerField(_("activities held (25)"), validators=[MaxValueValidator(PART_MAX)])
    contribution = models.PositiveSmallIntegerField(
        _("role in the community (25)"), validators=[MaxValueValidator(PART_MAX)]
    )
    residents_view = models.PositiveSmallIntegerField(
        _("residents' opinion (25)"), validators=[MaxValueValidator(PART_MAX)]
    )
    total = models.PositiveSmallIntegerField(_("total"), editable=False)
    conclusion = models.CharField(_("conclusion"), max_length=16, choices=ReviewConclusion.choices, editable=False)
    street_opinion = models.TextField(_("street's opinion"), validators=bounds.SHORT_TEXT)
    scored_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("scored by"), on_delete=models.PROTECT, related_name="+"
    )
    party_opinion = models.TextField(
        _("community party organization's opinion"), blank=True, validators=bounds.SHORT_TEXT
    )
    party_opinion_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("opinion given by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    party_opinion_at = models.DateTimeField(_("opinion given at"), null=True, blank=True, editable=False)
    status = models.CharField(
        _("status"), max_length=16, choices=CommunityReviewStatus.choices, default=CommunityReviewStatus.SCORED
    )

    access_policy = COMMUNITY_REVIEW_POLICY

    class Meta:
        verbose_name = _("community organization review")
        verbose_name_plural = _("community organization reviews")
        ordering = ["-year", "organization_id", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "year"], name="evaluation_community_review_once_a_year"),
            bounds.check_between("year", bounds.YEAR_MIN, bounds.YEAR_MAX, name="evaluation_community_review_year"),
            *(
                bounds.check_between(part, 0, PART_MAX, name=f"evaluation_community_review_{part}")
                for part in ("governance", "activities", "contribution", "residents_view")
            ),
        ]
        indexes = [
            models.Index(fields=["year", "id"], name="communityreview_year_id"),
            models.Index(fields=["total", "id"], name="communityreview_total_id"),
            models.Index(fields=["-year", "organization", "id"], name="communityreview_year_org_id"),
        ]

    def __str__(self):
        return f"{self.organization} · {self.year}"

    def get_absolute_url(self):
        return reverse("evaluation:communityreview_detail", args=[self.pk])
