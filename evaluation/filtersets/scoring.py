"""Filters of the assignment list (an expert's own; the bureau's, all of the district's)."""

import django_filters
from django.utils.translation import gettext_lazy as _

from core import search
from core.filtersets import BaseFilterSet

from ..choices import AssignmentStatus, Dimension, RoundStatus
from ..models import Assignment, Expert, Round


class AssignmentFilterSet(BaseFilterSet):
    q = django_filters.CharFilter(method="search", label=_("Project or expert"))
    round = django_filters.ModelChoiceFilter(queryset=Round.objects.order_by("-year", "-pk"), label=_("round"))
    expert = django_filters.ModelChoiceFilter(queryset=Expert.objects.order_by("name", "pk"), label=_("expert"))
    dimension = django_filters.ChoiceFilter(choices=Dimension.choices, label=_("dimension"))
    status = django_filters.ChoiceFilter(choices=AssignmentStatus.choices, label=_("status"))
    to_score = django_filters.BooleanFilter(method="filter_to_score", label=_("To be scored"))

    class Meta:
        model = Assignment
        fields = ["q", "round", "expert", "dimension", "status", "to_score"]

    def search(self, queryset, name, value):
        return search.search(
            queryset,
            value,
            names=["round_project__project__title", "expert__name"],
            codes=["round_project__project__code"],
        )

    def filter_to_score(self, queryset, name, value):
        """Not yet submitted, in a round open for scoring."""
        if value is None:
            return queryset
        pending = {"status": AssignmentStatus.ASSIGNED, "round__status": RoundStatus.SCORING}
        return queryset.filter(**pending) if value else queryset.exclude(**pending)
