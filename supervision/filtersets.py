"""Filters of annual reports and list entries: one class each for the list page,
the API and the export."""

from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.filtersets import subtree_filter
from accounts.models import Region
from core import search
from core.filtersets import BaseFilterSet, YearFilter
from registry import selectors
from registry.choices import RegistrationLevel
from registry.models import Organization

from .choices import (
    AnnualReportConclusion,
    AnnualReportStatus,
    ListingEndReason,
    ListingReason,
    ReportKind,
    RevocationKind,
    RevocationStatus,
    SeriousListingReason,
)
from .models import AbnormalListing, AnnualReport, Revocation, SeriousViolationListing
from .selectors import owing
from .services.annual_reports import overdue_year

ACTIVE_CHOICES = (
    ("active", pgettext_lazy("listing state", "Current")),
    ("ended", pgettext_lazy("listing state", "Removed")),
)


class _OrganizationScopedFilterSet(BaseFilterSet):
    autocomplete_kinds = {"street": None}
    q = django_filters.CharFilter(method="search", label=_("Organization name or code"))
    street = django_filters.ModelChoiceFilter(
        field_name="organization__region", queryset=Region.objects.none(), method="filter_street", label=_("street")
    )
    # Any node of the user's subtree (the dashboard's links to a district's or a street's rows).
    region = subtree_filter("organization__region")

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        streets = selectors.streets_for(getattr(request, "user", None))
        self.filters["street"].queryset = streets
        self.form.fields["street"].queryset = streets

    def search(self, queryset, name, value):
        return selectors.search_organizations(queryset, value, prefix="organization__")

    def filter_street(self, queryset, name, value):
        return queryset.filter(organization__region__path__startswith=value.path) if value else queryset


class AnnualReportFilterSet(_OrganizationScopedFilterSet):
    year = YearFilter(label=_("year"))
    kind = django_filters.ChoiceFilter(choices=ReportKind.choices, label=_("kind of report"))
    status = django_filters.ChoiceFilter(choices=AnnualReportStatus.choices, label=_("status"))
    conclusion = django_filters.ChoiceFilter(choices=AnnualReportConclusion.choices, label=_("conclusion"))
    overdue = django_filters.BooleanFilter(method="filter_overdue", label=pgettext_lazy("annual report", "Overdue"))

    class Meta:
        model = AnnualReport
        fields = ["q", "year", "kind", "status", "conclusion", "street", "region", "overdue"]

    def filter_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        late = Q(status__in=(AnnualReportStatus.DRAFT, AnnualReportStatus.RETURNED), due_on__lt=timezone.localdate())
        return queryset.filter(late) if value else queryset.exclude(late)


class OwingReportFilterSet(BaseFilterSet):
    autocomplete_kinds = {"street": None}
    """Organizations owing a report: the year is applied by the view (default: last year). Registered
    organizations owe the bureau a work report, filed ones their street a status report; `overdue`
    keeps those whose report on last year is past its due date (the street officer's to-do)."""

    year = YearFilter(method="keep", label=_("year"))
    q = django_filters.CharFilter(method="search", label=_("Organization name or code"))
    registration_level = django_filters.ChoiceFilter(choices=RegistrationLevel.choices, label=_("registered or filed"))
    street = django_filters.ModelChoiceFilter(
        field_name="region", queryset=Region.objects.none(), method="filter_street", label=_("street")
    )
    region = subtree_filter("region")
    overdue = django_filters.BooleanFilter(method="filter_overdue", label=pgettext_lazy("annual report", "Overdue"))

    class Meta:
        model = Organization
        fields = ["year", "q", "registration_level", "street", "region", "overdue"]

    def filter_overdue(self, queryset, name, value):
        if not value:
            return queryset
        year = overdue_year()
        return queryset.none() if year is None else owing(year, queryset)

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        streets = selectors.streets_for(getattr(request, "user", None))
        self.filters["street"].queryset = streets
        self.form.fields["street"].queryset = streets

    def keep(self, queryset, name, value):
        return queryset

    def search(self, queryset, name, value):
        return selectors.search_organizations(queryset, value)

    def filter_street(self, queryset, name, value):
        return queryset.filter(region__path__startswith=value.path) if value else queryset


class _ListingFilterSet(_OrganizationScopedFilterSet):
    state = django_filters.ChoiceFilter(choices=ACTIVE_CHOICES, method="filter_state", label=_("Current or removed"))
    listed_from = django_filters.DateFilter(field_name="listed_on", lookup_expr="gte", label=_("listed from"))
    listed_to = django_filters.DateFilter(field_name="listed_on", lookup_expr="lte", label=_("listed to"))

    def filter_state(self, queryset, name, value):
        if value == "active":
            return queryset.filter(ended_on__isnull=True)
        if value == "ended":
            return queryset.filter(ended_on__isnull=False)
        return queryset


REMOVAL_CHOICES = (
    ("proposed", _("Proposed for removal, awaiting a decision")),
    ("kept", _("Proposed for removal, kept listed")),
)


class AbnormalListingFilterSet(_ListingFilterSet):
    reason = django_filters.ChoiceFilter(choices=ListingReason.choices, label=pgettext_lazy("listing", "reason"))
    end_reason = django_filters.ChoiceFilter(choices=ListingEndReason.choices, label=_("reason for removal"))
    removal = django_filters.ChoiceFilter(choices=REMOVAL_CHOICES, method="filter_removal", label=_("removal proposed"))

    class Meta:
        model = AbnormalListing
        fields = [
            "q",
            "reason",
            "state",
            "end_reason",
            "removal",
            "street",
            "region",
            "listed_from",
            "listed_to",
            "report_year",
        ]

    def filter_removal(self, queryset, name, value):
        proposed = queryset.filter(ended_on__isnull=True).exclude(removal_proposal="")
        if value == "proposed":
            return proposed.filter(removal_declined_on__isnull=True)
        if value == "kept":
            return proposed.filter(removal_declined_on__isnull=False)
        return queryset


class SeriousViolationListingFilterSet(_ListingFilterSet):
    reason = django_filters.ChoiceFilter(choices=SeriousListingReason.choices, label=pgettext_lazy("listing", "reason"))

    class Meta:
        model = SeriousViolationListing
        fields = ["q", "reason", "state", "street", "region", "listed_from", "listed_to"]


class RevocationFilterSet(_OrganizationScopedFilterSet):
    kind = django_filters.ChoiceFilter(choices=RevocationKind.choices, label=_("kind of decision"))
    status = django_filters.ChoiceFilter(choices=RevocationStatus.choices, label=_("status"))
    decided_from = django_filters.DateFilter(field_name="decision_date", lookup_expr="gte", label=_("decided from"))
    decided_to = django_filters.DateFilter(field_name="decision_date", lookup_expr="lte", label=_("decided to"))

    class Meta:
        model = Revocation
        fields = ["q", "kind", "status", "street", "region", "decided_from", "decided_to"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            selectors.organization_condition(value, prefix="organization__")
            | search.code_prefix("decision_number", value)
        )
