"""Filters for regions and users (list pages, API and exports alike)."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from core import search
from core.filtersets import BaseFilterSet

from . import selectors
from .choices import RegionLevel, Role
from .models import Region, User


def subtree_filter(field_name: str) -> django_filters.ModelChoiceFilter:
    """`region=<id>`: rows whose `field_name` (a region) lies at or below that node. Any node of the
    user's subtree (BaseFilterSet restricts the choices, so another district's node is no valid
    choice); a hidden field, so no list renders a select of every node. The dashboard's figures
    link to the lists behind them through it."""

    def in_subtree(queryset, name, value):
        return queryset.filter(**{f"{field_name}__path__startswith": value.path}) if value else queryset

    return django_filters.ModelChoiceFilter(
        field_name=field_name,
        queryset=Region.objects.all(),
        method=in_subtree,
        label=_("region"),
        widget=forms.HiddenInput,
    )


class RegionFilterSet(BaseFilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))
    level = django_filters.ChoiceFilter(choices=RegionLevel.choices, label=_("level"))
    parent = django_filters.NumberFilter(field_name="parent_id", label=_("parent"))

    class Meta:
        model = Region
        fields = ["q", "level", "parent", "is_active"]

    def search(self, queryset, name, value):
        return selectors.search_regions(queryset, value)


class UserFilterSet(BaseFilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))
    role = django_filters.ChoiceFilter(choices=Role.choices, label=_("role"))
    region = django_filters.ModelChoiceFilter(queryset=Region.objects.all(), label=_("region"))

    class Meta:
        model = User
        fields = ["q", "role", "region", "is_active"]

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        if request is not None:
            self.filters["region"].queryset = Region.objects.restrict(request.user)
            self.form.fields["region"].queryset = Region.objects.restrict(request.user)

    def search(self, queryset, name, value):
        return search.search(queryset, value, names=["full_name"], text=["username", "phone"])
