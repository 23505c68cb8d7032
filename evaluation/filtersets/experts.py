"""Filters of the expert pool (专家库)."""

import django_filters
from django.utils.translation import gettext_lazy as _

from core import search
from core.filtersets import BaseFilterSet

from ..choices import AffiliationKind, Dimension
from ..models import Expert


class ExpertFilterSet(BaseFilterSet):
    q = django_filters.CharFilter(method="search", label=_("Name or affiliation"))
    dimension = django_filters.ChoiceFilter(choices=Dimension.choices, label=_("dimension"))
    affiliation_kind = django_filters.ChoiceFilter(choices=AffiliationKind.choices, label=_("affiliation kind"))
    is_active = django_filters.BooleanFilter(field_name="is_active", label=_("active"))

    class Meta:
        model = Expert
        fields = ["q", "dimension", "affiliation_kind", "is_active"]

    def search(self, queryset, name, value):
        return search.search(
            queryset, value, names=["name", "organization__name", "funder__name"], text=["affiliation"]
        )
