"""Oversight of a running project: the funder's mid-term and final reviews, and supervision visits
(专业督导/跟踪指导) with the rectifications they ask for."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core import bounds
from core.choices import Action, Role
from core.models import ScopedModel
from core.scoping import RestrictedManager

from ..choices import ReviewConclusion, ReviewStage, VisitKind
from .projects import _project_policy

_READ = frozenset({Action.VIEW})
_WRITE = frozenset({Action.VIEW, Action.ADD, Action.CHANGE})

# The funder records its reviews (services check that the user acts for the funder); everyone
# else who sees the project reads them.
REVIEW_ROLE_ACTIONS = {
    Role.BUREAU_ADMIN: frozenset(Action.values),
    Role.BUREAU_STAFF: _WRITE,
    Role.BUREAU_VIEWER: _READ,
    Role.STREET_OFFICER: _WRITE,
    Role.COMMUNITY_PARTY: _READ,
    Role.ORG_USER: _READ,
    Role.FUNDER_USER: _WRITE,
}
# Bureau staff and street officers record visits (with the appointed supervisor's name); the
# organization reads them and reports its rectification.
VISIT_ROLE_ACTIONS = {**REVIEW_ROLE_ACTIONS, Role.FUNDER_USER: _READ, Role.ORG_USER: _WRITE}


class ProjectReview(ScopedModel):
    """The funder's conclusion at mid-term or final review; a project closes only after its final
    review. One per project and stage; recorded once, never edited."""

    project = models.ForeignKey(
        "projects.Project", verbose_name=_("project"), on_delete=models.PROTECT, related_name="reviews"
    )
    stage = models.CharField(_("review stage"), max_length=20, choices=ReviewStage.choices)
    conclusion = models.CharField(_("conclusion"), max_length=20, choices=ReviewConclusion.choices)
    score = models.DecimalField(
        _("score"), max_digits=5, decimal_places=2, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    remarks = models.TextField(_("remarks"), blank=True, validators=bounds.LONG_TEXT)
    reviewed_on = models.DateField(_("reviewed on"), validators=bounds.PLAUSIBLE_DATE)

    access_policy = _project_policy(REVIEW_ROLE_ACTIONS)
    objects = RestrictedManager()

    class Meta:
        verbose_name = _("funder review")
        verbose_name_plural = _("funder reviews")
        ordering = ["project_id", "reviewed_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["project", "stage"], name="project_review_once_per_stage"),
            models.CheckConstraint(condition=Q(score__gte=0, score__lte=100), name="project_review_score_0_100"),
            bounds.check_between("reviewed_on", bounds.DATE_MIN, bounds.DATE_MAX, name="project_review_date_plausible"),
        ]
        indexes = [
            models.Index(fields=["score", "id"], name="projectreview_score_id"),
            models.Index(fields=["reviewed_on", "id"], name="projectreview_reviewed_id"),
            models.Index(fields=["project", "reviewed_on", "id"], name="projectreview_project_id"),
        ]

    def __str__(self):
        return f"{self.project.code} {self.get_stage_display()}：{self.get_conclusion_display()}"

    def get_absolute_url(self):
        return reverse("projects:projectreview_detail", args=[self.pk])


class SupervisionVisit(ScopedModel):
    """A visit to a running project: what was found, the rectification asked and by when, and the
    day it was rectified. An open rectification past its due date is overdue (a to-do)."""

    project = models.ForeignKey(
        "projects.Project", verbose_name=_("project"), on_delete=models.PROTECT, related_name="supervision_visits"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=VisitKind.choices)
    visited_on = models.DateField(_("visited on"), validators=bounds.PLAUSIBLE_DATE)
    supervisor = models.CharField(
        _("supervisor"), max_length=100, help_text=_("Who visited: the officer or the appointed supervisor.")
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    findings = models.TextField(_("findings"), validators=bounds.LONG_TEXT)
    rectification = models.TextField(_("rectification asked"), blank=True, validators=bounds.LONG_TEXT)
    rectification_due = models.DateField(_("rectify by"), null=True, blank=True, validators=bounds.PLAUSIBLE_DATE)
    rectified_on = models.DateField(_("rectified on"), null=True, blank=True, validators=bounds.PLAUSIBLE_DATE)
    rectification_note = models.TextField(_("rectification report"), blank=True, validators=bounds.LONG_TEXT)

    access_policy = _project_policy(VISIT_ROLE_ACTIONS)
    objects = RestrictedManager()

    class Meta:
        verbose_name = _("supervision visit")
        verbose_name_plural = _("supervision visits")
        ordering = ["-visited_on", "-pk"]
        constraints = [
            # A rectification asked has a due date; one not asked has neither a due date nor a day done.
            models.CheckConstraint(
                condition=(Q(rectification="") & Q(rectification_due__isnull=True) & Q(rectified_on__isnull=True))
                | (~Q(rectification="") & Q(rectification_due__isnull=False)),
                name="supervision_visit_rectification_complete",
            ),
            bounds.check_between("visited_on", bounds.DATE_MIN, bounds.DATE_MAX, name="visit_date_plausible"),
            bounds.check_between(
                "rectification_due", bounds.DATE_MIN, bounds.DATE_MAX, name="visit_rectify_by_plausible"
            ),
            bounds.check_between("rectified_on", bounds.DATE_MIN, bounds.DATE_MAX, name="visit_rectified_plausible"),
        ]
        indexes = [
            models.Index(
                fields=["rectification_due"],
                condition=Q(rectified_on__isnull=True, rectification_due__isnull=False),
                name="visit_open_rectification",
            ),
            models.Index(fields=["visited_on", "id"], name="visit_visited_id"),
            models.Index(fields=["rectification_due", "id"], name="visit_rectification_due_id"),
            models.Index(fields=["rectified_on", "id"], name="visit_rectified_id"),
        ]

    def __str__(self):
        return f"{self.visited_on:%Y-%m-%d} {self.get_kind_display()} · {self.supervisor}"

    def get_absolute_url(self):
        return reverse("projects:supervisionvisit_detail", args=[self.pk])

    @property
    def rectification_open(self) -> bool:
        return bool(self.rectification) and self.rectified_on is None
