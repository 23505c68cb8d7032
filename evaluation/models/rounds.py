"""Rounds (评定轮次) over a set of projects, the experts assigned to each project, and their scores.

    round:       draft ─start scoring→ scoring ─publish (results computed)→ publicity ─close→ closed
    assignment:  assigned ─submit→ submitted (its scores lock)

A RoundProject is a project's place in a round and, once computed, its result: final score, stars
and `computation`, the breakdown the result page shows number by number (evaluation.computation).
"""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core import bounds
from core.models import ScopedModel

from ..choices import AssignmentMethod, AssignmentStatus, Dimension, RoundStatus
from .policies import ASSIGNMENT_POLICY, RESULT_POLICY, ROUND_POLICY, SCORE_POLICY
from .schemes import SCORE, Scheme, SchemeIndicator


class Round(ScopedModel):
    name = models.CharField(_("name"), max_length=100)
    region = models.ForeignKey(
        "accounts.Region", verbose_name=_("district"), on_delete=models.PROTECT, related_name="evaluation_rounds"
    )
    year = models.PositiveIntegerField(_("year"), validators=bounds.YEAR)
    scheme = models.ForeignKey(Scheme, verbose_name=_("scheme"), on_delete=models.PROTECT, related_name="rounds")
    status = models.CharField(_("status"), max_length=16, choices=RoundStatus.choices, default=RoundStatus.DRAFT)
    experts_per_dimension = models.PositiveSmallIntegerField(
        _("experts per dimension and project"), default=1, validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    scoring_due = models.DateField(_("scoring due"), null=True, blank=True, validators=bounds.PLAUSIBLE_DATE)
    publicity_days = models.PositiveSmallIntegerField(
        _("publicity days"), default=7, validators=[MinValueValidator(1), MaxValueValidator(60)]
    )
    publicity_starts_on = models.DateField(_("publicity from"), null=True, blank=True, editable=False)
    publicity_ends_on = models.DateField(_("publicity until"), null=True, blank=True, editable=False)
    computed_at = models.DateTimeField(_("results computed at"), null=True, blank=True, editable=False)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True, editable=False)
    notes = models.TextField(_("notes"), blank=True, validators=bounds.SHORT_TEXT)

    access_policy = ROUND_POLICY

    class Meta:
        verbose_name = _("evaluation round")
        verbose_name_plural = _("evaluation rounds")
        ordering = ["-year", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["region", "name"], name="evaluation_round_name_per_district"),
            bounds.check_between("year", bounds.YEAR_MIN, bounds.YEAR_MAX, name="evaluation_round_year_plausible"),
        ]
        indexes = [
            models.Index(fields=["region", "status"], name="evaluation_round_status"),
            models.Index(fields=["name", "id"], name="round_name_id"),
            models.Index(fields=["year", "id"], name="round_year_id"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("evaluation:round_detail", args=[self.pk])


class RoundProject(ScopedModel):
    round = models.ForeignKey(Round, verbose_name=_("round"), on_delete=models.CASCADE, related_name="entries")
    project = models.ForeignKey(
        "projects.Project", verbose_name=_("project"), on_delete=models.PROTECT, related_name="evaluations"
    )
    final_score = models.DecimalField(
        _("final score"), max_digits=4, decimal_places=1, null=True, blank=True, editable=False
    )
    stars = models.PositiveSmallIntegerField(
        _("stars"), null=True, blank=True, editable=False, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    # The breakdown of every number (evaluation.computation.compute_result's output, JSON-safe).
    computation = models.JSONField(_("computation"), default=dict, blank=True, editable=False)
    computed_at = models.DateTimeField(_("computed at"), null=True, blank=True, editable=False)

    access_policy = RESULT_POLICY

    class Meta:
        verbose_name = _("evaluation result")
        verbose_name_plural = _("evaluation results")
        ordering = ["round_id", "project_id", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["round", "project"], name="evaluation_project_once_per_round"),
            models.CheckConstraint(
                condition=Q(stars__isnull=True) | Q(stars__gte=1, stars__lte=5), name="evaluation_stars_1_to_5"
            ),
            models.CheckConstraint(
                condition=Q(final_score__isnull=True) | Q(final_score__gte=0, final_score__lte=100),
                name="evaluation_final_score_0_100",
            ),
        ]
        indexes = [
            models.Index(fields=["final_score", "id"], name="roundproject_score_id"),
            models.Index(fields=["stars", "id"], name="roundproject_stars_id"),
        ]

    def __str__(self):
        return f"{self.round} · {self.project}"

    def get_absolute_url(self):
        return reverse("evaluation:result_detail", args=[self.pk])


class Assignment(ScopedModel):
    round = models.ForeignKey(Round, verbose_name=_("round"), on_delete=models.CASCADE, related_name="assignments")
    round_project = models.ForeignKey(
        RoundProject, verbose_name=_("project in round"), on_delete=models.CASCADE, related_name="assignments"
    )
    expert = models.ForeignKey(
        "evaluation.Expert", verbose_name=_("expert"), on_delete=models.PROTECT, related_name="assignments"
    )
    # The expert's dimension when assigned: a later change of the pool does not move past scores.
    dimension = models.CharField(_("dimension"), max_length=20, choices=Dimension.choices)
    method = models.CharField(_("assigned"), max_length=16, choices=AssignmentMethod.choices)
    status = models.CharField(
        _("status"), max_length=16, choices=AssignmentStatus.choices, default=AssignmentStatus.ASSIGNED
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True, editable=False)
    last_reminded_on = models.DateField(_("last reminded on"), null=True, blank=True, editable=False)

    access_policy = ASSIGNMENT_POLICY

    class Meta:
        verbose_name = _("expert assignment")
        verbose_name_plural = _("expert assignments")
        ordering = ["round_id", "round_project_id", "dimension", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["round_project", "expert"], name="evaluation_expert_once_per_project"),
        ]
        indexes = [
            models.Index(fields=["expert", "status"], name="evaluation_assignment_expert"),
            models.Index(fields=["submitted_at", "id"], name="assignment_submitted_id"),
            models.Index(fields=["round", "round_project", "dimension", "id"], name="assignment_default_order"),
        ]

    def __str__(self):
        return f"{self.expert} · {self.round_project.project}"

    def get_absolute_url(self):
        return reverse("evaluation:assignment_detail", args=[self.pk])

    @property
    def is_locked(self) -> bool:
        return self.status == AssignmentStatus.SUBMITTED


class Score(ScopedModel):
    assignment = models.ForeignKey(
        Assignment, verbose_name=_("assignment"), on_delete=models.CASCADE, related_name="scores"
    )
    indicator = models.ForeignKey(
        SchemeIndicator, verbose_name=_("indicator"), on_delete=models.PROTECT, related_name="scores"
    )
    value = models.DecimalField(_("score"), **SCORE)
    comment = models.TextField(_("comment"), blank=True, validators=bounds.SHORT_TEXT)

    access_policy = SCORE_POLICY

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        ordering = ["assignment", "indicator__sequence", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["assignment", "indicator"], name="evaluation_score_once_per_indicator"),
            models.CheckConstraint(condition=Q(value__gte=0, value__lte=100), name="evaluation_score_0_100"),
        ]

    def __str__(self):
        return f"{self.indicator}: {self.value}"
