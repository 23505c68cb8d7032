"""Filters of the objection list (异议)."""

import django_filters
from django.utils.translation import gettext_lazy as _

from core import search
from core.filtersets import BaseFilterSet

from ..choices import ObjectionOutcome, ObjectionStatus
from ..models import Objection, Round


class ObjectionFilterSet(BaseFilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))
    round = django_filters.ModelChoiceFilter(
        field_name="round_project__round", queryset=Round.objects.order_by("-year", "-pk"), label=_("round")
    )
    status = django_filters.ChoiceFilter(choices=ObjectionStatus.choices, label=_("status"))
    outcome = django_filters.ChoiceFilter(choices=ObjectionOutcome.choices, label=_("outcome"))

    class Meta:
        model = Objection
        fields = ["q", "round", "status", "outcome"]

    def search(self, queryset, name, value):
        return search.search(
            queryset,
            value,
            names=["name", "round_project__project__title"],
            codes=["round_project__project__code"],
            text=["content"],
        )
