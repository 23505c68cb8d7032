"""Reads about list overlays, for organization lists, detail pages and the public register.

    organizations_with_overlays(qs)   annotates in_abnormal_list / in_serious_list (two EXISTS)
    filter_by_overlay(qs, overlay)    keeps the organizations with the overlay (Overlay values)
    OverlayFilter                     a django-filter ChoiceFilter for a FilterSet ("overlay")
    active_listings(organization)     the organization's current listings, for a detail page
"""

from __future__ import annotations

import django_filters
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from .choices_reports import Overlay
from .models import AbnormalListing, SeriousViolationListing


def _active_abnormal():
    return AbnormalListing.objects.filter(organization=OuterRef("pk"), ended_on__isnull=True)


def _active_serious():
    return SeriousViolationListing.objects.filter(organization=OuterRef("pk"), ended_on__isnull=True)


def organizations_with_overlays(queryset: QuerySet) -> QuerySet:
    return queryset.annotate(in_abnormal_list=Exists(_active_abnormal()), in_serious_list=Exists(_active_serious()))


def filter_by_overlay(queryset: QuerySet, overlay: str | None) -> QuerySet:
    if not overlay:
        return queryset
    abnormal, serious = Exists(_active_abnormal()), Exists(_active_serious())
    condition = {
        Overlay.ABNORMAL: Q(abnormal),
        Overlay.SERIOUS: Q(serious),
        Overlay.ANY: Q(abnormal) | Q(serious),
        Overlay.NONE: ~Q(abnormal) & ~Q(serious),
    }.get(overlay)
    return queryset if condition is None else queryset.filter(condition)


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
