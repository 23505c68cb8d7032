"""What the evaluation lists' filters share: the street of a row's organization, among the streets
the user may see."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from accounts.models import Region
from registry import selectors as registry_selectors


def street_filter(field_name: str) -> django_filters.ModelChoiceFilter:
    """A street of the user's subtree; rows whose `field_name` (a region) lies in it."""

    def in_street(queryset, name, value):
        return queryset.filter(**{f"{field_name}__path__startswith": value.path}) if value else queryset

    return django_filters.ModelChoiceFilter(
        queryset=Region.objects.none(), field_name=field_name, method=in_street, label=_("street")
    )


def limit_streets(filterset, request) -> None:
    streets = registry_selectors.streets_for(getattr(request, "user", None))
    filterset.filters["street"].queryset = streets
    filterset.form.fields["street"].queryset = streets
