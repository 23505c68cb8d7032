"""Filters of the annual reviews of filed community organizations (评估评议)."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from core import search
from core.filtersets import BaseFilterSet, YearFilter

from ..choices import CommunityReviewStatus, ReviewConclusion
from ..models import CommunityReview
from ._common import limit_streets, street_filter


class CommunityReviewFilterSet(BaseFilterSet):
    q = django_filters.CharFilter(method="search", label=_("organization"))
    year = YearFilter(field_name="year", label=_("year"))
    conclusion = django_filters.ChoiceFilter(choices=ReviewConclusion.choices, label=_("conclusion"))
    street = street_filter("organization__region")
    status = django_filters.ChoiceFilter(choices=CommunityReviewStatus.choices, label=_("status"))

    class Meta:
        model = CommunityReview
        fields = ["q", "year", "conclusion", "street", "status"]

    def search(self, queryset, name, value):
        return search.search(queryset, value, names=["organization__name"])

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        limit_streets(self, request)
