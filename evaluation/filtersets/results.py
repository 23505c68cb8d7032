"""Filters of the result list (one row per project in a round)."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.filtersets import subtree_filter
from core import search
from core.filtersets import BaseFilterSet

from ..choices import RoundStatus
from ..models import Round, RoundProject
from ..models.policies import PUBLISHED
from .rounds import street_filter

STARS = [(n, "★" * n) for n in range(5, 0, -1)]


class ResultFilterSet(BaseFilterSet):
    q = django_filters.CharFilter(method="search", label=_("Project or organization"))
    round = django_filters.ModelChoiceFilter(queryset=Round.objects.order_by("-year", "-pk"), label=_("round"))
    round_status = django_filters.ChoiceFilter(
        field_name="round__status", choices=RoundStatus.choices, label=_("round status")
    )
    stars = django_filters.TypedChoiceFilter(choices=STARS, coerce=int, label=_("stars"))
    street = street_filter("project__organization__region")
    # The dashboard's links: published results (publicity or closed rounds) of a node's projects.
    published = django_filters.BooleanFilter(method="filter_published", label=_("published"))
    region = subtree_filter("project__organization__region")

    class Meta:
        model = RoundProject
        fields = ["q", "round", "round_status", "stars", "street", "published", "region"]

    def filter_published(self, queryset, name, value):
        if value is None:
            return queryset
        published = Q(round__status__in=PUBLISHED)
        return queryset.filter(published) if value else queryset.exclude(published)

    def search(self, queryset, name, value):
        return search.search(
            queryset, value, names=["project__title", "project__organization__name"], codes=["project__code"]
        )
