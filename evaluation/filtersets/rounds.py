"""Filters of the round list and of the projects a round may take in (the projects list's filters
plus the street)."""

import django_filters
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.choices import RegionLevel
from accounts.models import Region
from core import search
from core.filtersets import BaseFilterSet, YearFilter
from projects.filtersets import ProjectFilterSet

from ..choices import ObjectionStatus, RoundStatus
from ..models import Objection, Round


def closable_q() -> Q:
    """Rounds whose publicity is over (today after its last day) with no objection awaiting an answer:
    the rounds that may close (evaluation.services.rounds.round_close checks the same)."""
    open_objections = Objection.objects.filter(round_project__round=OuterRef("pk"), status=ObjectionStatus.OPEN)
    return Q(status=RoundStatus.PUBLICITY, publicity_ends_on__lt=timezone.localdate()) & ~Q(Exists(open_objections))


class RoundFilterSet(BaseFilterSet):
    q = django_filters.CharFilter(method="search", label=_("name"))
    year = YearFilter(field_name="year", label=_("year"))
    status = django_filters.ChoiceFilter(choices=RoundStatus.choices, label=_("status"))
    closable = django_filters.BooleanFilter(method="filter_closable", label=_("Publicity over, may close"))

    class Meta:
        model = Round
        fields = ["q", "year", "status", "closable"]

    def search(self, queryset, name, value):
        return search.search(queryset, value, names=["name"])

    def filter_closable(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(closable_q()) if value else queryset.exclude(closable_q())


def street_filter(field_name: str) -> django_filters.ModelChoiceFilter:
    """A street (or any node) of the user's subtree: rows of organizations at it and below."""

    def subtree(queryset, name, value):
        return queryset.filter(**{f"{field_name}__path__startswith": value.path}) if value else queryset

    return django_filters.ModelChoiceFilter(
        queryset=Region.objects.filter(level=RegionLevel.STREET, is_active=True).order_by("path"),
        method=subtree,
        label=_("street"),
    )


class CandidateProjectFilterSet(ProjectFilterSet):
    """The projects a round may take in, filtered as the projects list is, and by street."""

    street = street_filter("organization__region")

    class Meta(ProjectFilterSet.Meta):
        fields = ["q", "street", "status", "funding_source", "funder", "year"]
