"""The evaluation API's FilterSets (built on core.filtersets.BaseFilterSet, so the rows offered as
choices are the user's own)."""

from __future__ import annotations

import django_filters
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.filtersets import BaseFilterSet

from .. import grading
from ..models import Assignment, Expert, Objection, OrgGrade, Round, RoundProject, Score


class RoundResultFilterSet(BaseFilterSet):
    round = django_filters.ModelChoiceFilter(queryset=Round.objects.all())
    stars = django_filters.NumberFilter(min_value=1, max_value=5)

    class Meta:
        model = RoundProject
        fields = ["round", "stars"]


class AssignmentFilterSet(BaseFilterSet):
    round = django_filters.ModelChoiceFilter(queryset=Round.objects.all())
    expert = django_filters.ModelChoiceFilter(queryset=Expert.objects.all())

    class Meta:
        model = Assignment
        fields = ["round", "round_project", "expert", "dimension", "status"]


class ScoreFilterSet(BaseFilterSet):
    round = django_filters.ModelChoiceFilter(field_name="assignment__round", queryset=Round.objects.all())

    class Meta:
        model = Score
        fields = ["assignment", "round"]


class ObjectionFilterSet(BaseFilterSet):
    round = django_filters.ModelChoiceFilter(field_name="round_project__round", queryset=Round.objects.all())

    class Meta:
        model = Objection
        fields = ["round", "round_project", "status", "outcome"]


class OrgGradeFilterSet(BaseFilterSet):
    """`current`: in force today; `expiring`: in force and lapsing within the warning period with no
    later award (evaluation.grading.expiring: 180 days by default)."""

    current = django_filters.BooleanFilter(method="filter_current", label=_("in force today"))
    expiring = django_filters.BooleanFilter(method="filter_expiring", label=_("expiring soon"))

    class Meta:
        model = OrgGrade
        fields = ["organization", "grade", "current", "expiring"]

    def filter_current(self, queryset, name, value):
        condition = grading.in_force(timezone.localdate())
        return queryset.filter(condition) if value else queryset.exclude(condition)

    def filter_expiring(self, queryset, name, value):
        lapsing = grading.expiring(OrgGrade.objects.all()).values("pk")
        return queryset.filter(pk__in=lapsing) if value else queryset.exclude(pk__in=lapsing)
