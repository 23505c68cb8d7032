"""Filters of organizations and applications: one class each for the list page, the API and
the export."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from accounts.filtersets import subtree_filter
from accounts.models import Region
from core import search
from core.filtersets import BaseFilterSet

from . import extensions, selectors, uscc
from .choices import (
    ApplicationKind,
    ApplicationState,
    Category,
    LegalForm,
    OrganizationStatus,
    RosterImportStatus,
)
from .models import Application, Organization, RosterImport


def _street_filter(queryset, name, value):
    return queryset.filter(**{f"{name}__path__startswith": value.path}) if value else queryset


class OrganizationFilterSet(BaseFilterSet):
    autocomplete_kinds = {"street": None, "community": "community"}
    q = django_filters.CharFilter(method="search", label=_("Name, code or number"))
    uscc = django_filters.CharFilter(method="filter_uscc", label=_("unified social credit code"))
    legal_form = django_filters.ChoiceFilter(choices=LegalForm.choices, label=_("legal form"))
    category = django_filters.ChoiceFilter(choices=Category.choices, label=_("category"))
    status = django_filters.ChoiceFilter(choices=OrganizationStatus.choices, label=_("status"))
    street = django_filters.ModelChoiceFilter(
        field_name="region", queryset=Region.objects.none(), method="filter_street", label=_("street")
    )
    community = django_filters.ModelChoiceFilter(
        field_name="region", queryset=Region.objects.none(), label=_("community")
    )
    # Any node of the user's subtree (BaseFilterSet restricts the choices): the dashboard's links
    # to a district's or a street's organizations.
    region = subtree_filter("region")
    established_from = django_filters.DateFilter(
        field_name="established_on", lookup_expr="gte", label=_("established from")
    )
    established_to = django_filters.DateFilter(
        field_name="established_on", lookup_expr="lte", label=_("established to")
    )
    overlay = django_filters.ChoiceFilter(choices=extensions.OVERLAY_CHOICES, method="filter_overlay", label=_("lists"))

    class Meta:
        model = Organization
        fields = [
            "q",
            "uscc",
            "legal_form",
            "category",
            "status",
            "street",
            "community",
            "region",
            "established_from",
            "established_to",
            "overlay",
        ]

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        user = getattr(request, "user", None)
        for name, queryset in (("street", selectors.streets_for(user)), ("community", selectors.communities_for(user))):
            self.filters[name].queryset = queryset
            self.form.fields[name].queryset = queryset

    def search(self, queryset, name, value):
        return selectors.search_organizations(queryset, value)

    def filter_uscc(self, queryset, name, value):
        code = uscc.normalize(value)
        return queryset.filter(uscc__startswith=code) if code else queryset

    def filter_street(self, queryset, name, value):
        return _street_filter(queryset, "region", value)

    def filter_overlay(self, queryset, name, value):
        return selectors.filter_by_overlay(queryset, value)


class PublicOrganizationFilterSet(OrganizationFilterSet):
    """What an anonymous visitor may search by: name, code, category, street."""

    class Meta:
        model = Organization
        fields = ["q", "uscc", "category", "street"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in list(self.filters):
            if name not in self.Meta.fields:
                del self.filters[name]
                self.form.fields.pop(name, None)


class ApplicationFilterSet(BaseFilterSet):
    autocomplete_kinds = {"street": None}
    q = django_filters.CharFilter(method="search", label=_("Number or name"))
    kind = django_filters.ChoiceFilter(choices=ApplicationKind.choices, label=_("kind"))
    state = django_filters.ChoiceFilter(choices=ApplicationState.choices, label=_("state"))
    legal_form = django_filters.ChoiceFilter(choices=LegalForm.choices, label=_("legal form"))
    street = django_filters.ModelChoiceFilter(
        field_name="region", queryset=Region.objects.none(), method="filter_street", label=_("street")
    )
    awaiting_me = django_filters.BooleanFilter(method="filter_awaiting", label=_("Awaiting my review"))
    submitted_from = django_filters.DateFilter(
        field_name="submitted_at", lookup_expr="date__gte", label=_("submitted from")
    )
    submitted_to = django_filters.DateFilter(
        field_name="submitted_at", lookup_expr="date__lte", label=_("submitted to")
    )
    # The dashboard's links: a node's applications decided within a quarter (local dates).
    region = subtree_filter("region")
    decided_from = django_filters.DateFilter(field_name="reviewed_at", lookup_expr="date__gte", label=_("decided from"))
    decided_to = django_filters.DateFilter(field_name="reviewed_at", lookup_expr="date__lte", label=_("decided to"))

    class Meta:
        model = Application
        fields = [
            "q",
            "kind",
            "state",
            "legal_form",
            "street",
            "region",
            "awaiting_me",
            "submitted_from",
            "submitted_to",
            "decided_from",
            "decided_to",
        ]

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        self.user = getattr(request, "user", None)
        streets = selectors.streets_for(self.user)
        self.filters["street"].queryset = streets
        self.form.fields["street"].queryset = streets

    def search(self, queryset, name, value):
        # data__name: the proposed name of an organization not registered yet (free text in JSON).
        return search.search(queryset, value, names=["organization__name"], codes=["number"], text=["data__name"])

    def filter_street(self, queryset, name, value):
        return _street_filter(queryset, "region", value)

    def filter_awaiting(self, queryset, name, value):
        if not value or self.user is None:
            return queryset
        role = getattr(self.user, "role", "")
        if role == "street_officer":
            return queryset.filter(state=ApplicationState.STREET_REVIEW)
        if role in ("bureau_admin", "bureau_staff") or self.user.is_superuser:
            return queryset.filter(state=ApplicationState.BUREAU_REVIEW)
        return queryset.filter(state=ApplicationState.RETURNED)


class RosterImportFilterSet(BaseFilterSet):
    status = django_filters.ChoiceFilter(choices=RosterImportStatus.choices, label=_("status"))

    class Meta:
        model = RosterImport
        fields = ["status"]
