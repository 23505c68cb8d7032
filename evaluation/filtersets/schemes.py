"""Filters of the scheme list (评价方案)."""

import django_filters
from django.utils.translation import gettext_lazy as _

from core import search
from core.filtersets import BaseFilterSet

from ..models import Scheme


class SchemeFilterSet(BaseFilterSet):
    q = django_filters.CharFilter(method="search", label=_("name"))
    is_active = django_filters.BooleanFilter(field_name="is_active", label=_("offered for new rounds"))

    class Meta:
        model = Scheme
        fields = ["q", "is_active"]

    def search(self, queryset, name, value):
        return search.search(queryset, value, names=["name"])
