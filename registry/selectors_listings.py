"""Reads about list overlays, for organization lists, detail pages and the public register.

organizations_with_overlays(qs)   annotates in_abnormal_list / in_serious_list (two EXISTS)
filter_by_overlay(qs, overlay)    keeps the organizations with the overlay (Overlay values)
OverlayFilter                     a django-filter ChoiceFilter for a FilterSet ("overlay")
active_listings(organization)     the organization's current listings, for a detail page
"""

from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from .choices_reports import Overlay
from .selectors import with_overlays


def organizations_with_overlays(queryset: QuerySet) -> QuerySet:
    """The same annotation the organization list uses (registry.selectors.with_overlays)."""
    return with_overlays(queryset)


_CONDITIONS = {
    Overlay.ABNORMAL: Q(in_abnormal_list=True),
    Overlay.SERIOUS: Q(in_serious_list=True),
    Overlay.ANY: Q(in_abnormal_list=True) | Q(in_serious_list=True),
    Overlay.NONE: Q(in_abnormal_list=False, in_serious_list=False),
}


def filter_by_overlay(queryset: QuerySet, overlay: str | None) -> QuerySet:
    if overlay not in _CONDITIONS:
        return queryset
    if "in_abnormal_list" not in queryset.query.annotations:
        queryset = with_overlays(queryset)
    return queryset.filter(_CONDITIONS[overlay])


class OverlayFilter(django_filters.ChoiceFilter):
    """`overlay = OverlayFilter()` on an Organization FilterSet."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("choices", Overlay.choices)
        kwargs.setdefault("label", _("List overlay"))
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        return filter_by_overlay(qs, value)


def active_listings(organization) -> dict:
    """{"abnormal": [...], "serious": [...]} of the organization's current listings."""
    return {
        "abnormal": list(organization.abnormal_listings.filter(ended_on__isnull=True).order_by("listed_on")),
        "serious": list(organization.serious_violation_listings.filter(ended_on__isnull=True)),
    }
