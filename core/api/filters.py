"""The API's filter backend: the FilterSets it generates from `filterset_fields` are built on
core.filtersets.BaseFilterSet, so their choices are scoped to the user like every other FilterSet."""

from django_filters.rest_framework import DjangoFilterBackend

from core.filtersets import BaseFilterSet


class ScopedFilterBackend(DjangoFilterBackend):
    filterset_base = BaseFilterSet
