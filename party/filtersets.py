"""Filters of the party app's lists: one class each for the list page, the API, the export and the
to-dos (core.todos counts through the same class, so a count and the rows behind its link agree).

The GET names are the contract's: `region` (a node of the user's subtree: its rows and those below),
and per list the names below. The coverage and overdue lists are lists of organizations read as of a
`date` (default today), applied in `filter_queryset` so the first, unfiltered page is as of today.
"""

from __future__ import annotations

import datetime as dt

import django_filters
from django.db.models import F, FilteredRelation, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Region
from core import bounds, search
from core.filtersets import BaseFilterSet
from registry.choices import PartyForm
from registry.models import Organization
from registry.selectors import search_organizations

from . import selectors
from .choices import ActivityKind, ContactForm, Formation, PartyLevel, PartyOrganizationStatus
from .models import ContactRecord, JointMeeting, PartyActivity, PartyOrganization
from .models.organizations import HAS_PARTY_ORGANIZATION, WORK_COVERED


def region_filter(field_name: str) -> django_filters.ModelChoiceFilter:
    """A node of the user's subtree (BaseFilterSet restricts the choices); rows at it and below."""

    def subtree(queryset, name, value):
        return queryset.filter(**{f"{field_name}__path__startswith": value.path}) if value else queryset

    return django_filters.ModelChoiceFilter(
        queryset=Region.objects.all(), field_name=field_name, method=subtree, label=_("region")
    )


def as_of(filterset) -> dt.date:
    """The day a list of organizations is read as of: the `date` filter's value, else today."""
    data = getattr(filterset.form, "cleaned_data", {}) or {}
    return data.get("date") or timezone.localdate()


class PartyOrganizationFilterSet(BaseFilterSet):
    q = django_filters.CharFilter(method="search", label=_("Name or secretary"))
    region = region_filter("region")
    level = django_filters.ChoiceFilter(choices=PartyLevel.choices, label=_("level"))
    formation = django_filters.ChoiceFilter(choices=Formation.choices, label=_("formation"))
    status = django_filters.ChoiceFilter(choices=PartyOrganizationStatus.choices, label=_("status"))
    term_due = django_filters.BooleanFilter(method="filter_term_due", label=_("Term ends within 90 days"))
    area_body = django_filters.BooleanFilter(field_name="is_area_body", label=_("responsible party body of its area"))

    class Meta:
        model = PartyOrganization
        fields = ["q", "region", "level", "formation", "status", "term_due", "area_body"]

    def search(self, queryset, name, value):
        value = value.strip()
        return search.search(queryset, value, names=["name"], text=["secretary"])

    def filter_term_due(self, queryset, name, value):
        if value is None:
            return queryset
        due = selectors.term_due(timezone.localdate())
        return queryset.filter(due) if value else queryset.exclude(due)


def coverage_in_force(queryset, day: dt.date):
    """Organizations annotated with the coverage row in force on `day` (at most one: the history's
    periods do not overlap), read through one LEFT JOIN: `coverage_pk`, `coverage_form` (None: no
    row), `coverage_party_organization` …"""
    in_force = Q(party_coverages__valid_from__lte=day) & (
        Q(party_coverages__valid_to__isnull=True) | Q(party_coverages__valid_to__gt=day)
    )
    return queryset.annotate(coverage=FilteredRelation("party_coverages", condition=in_force)).annotate(
        coverage_pk=F("coverage__pk"),
        coverage_form=F("coverage__form"),
        coverage_party_organization=F("coverage__party_organization__name"),
        coverage_party_organization_pk=F("coverage__party_organization_id"),
        coverage_full_members=F("coverage__full_party_members"),
        coverage_probationary_members=F("coverage__probationary_party_members"),
        coverage_head_is_member=F("coverage__head_is_party_member"),
        coverage_instructor=F("coverage__instructor"),
        coverage_trade_union_on=F("coverage__trade_union_on"),
        coverage_youth_league_on=F("coverage__youth_league_on"),
        coverage_women_org_on=F("coverage__women_org_on"),
        coverage_valid_from=F("coverage__valid_from"),
    )


def prepare_coverage(queryset, day: dt.date):
    """The organizations active on `day` with their coverage in force, unless the list's view has
    read them so already (for its date), so that even an empty page sorts by the coverage columns."""
    if "coverage_form" in queryset.query.annotations:
        return queryset
    return coverage_in_force(selectors.organizations_as_of(day, queryset), day)


def prepare_overdue(queryset, day: dt.date):
    """The organizations active on `day` with their contact state on it (see prepare_coverage)."""
    if "contact_overdue" in queryset.query.annotations:
        return queryset
    return selectors.with_contact_state(selectors.organizations_as_of(day, queryset), day)


class PartyCoverageFilterSet(BaseFilterSet):
    """One row per organization active on `date`: its coverage in force that day."""

    q = django_filters.CharFilter(method="search", label=_("Organization name or code"))
    region = region_filter("region")
    form = django_filters.ChoiceFilter(
        choices=[*PartyForm.choices, ("missing", _("Not recorded"))], method="filter_form",
        label=_("form of party building"),
    )  # fmt: skip
    has_party_organization = django_filters.BooleanFilter(
        method="filter_has_party_organization", label=_("Has a party organization")
    )
    work_covered = django_filters.BooleanFilter(method="filter_work_covered", label=_("Party work covered"))
    should_form_own = django_filters.BooleanFilter(
        method="filter_should_form_own", label=_("Should form its own party organization")
    )
    date = django_filters.DateFilter(method="keep", label=_("as of"), validators=bounds.PLAUSIBLE_DATE)

    class Meta:
        model = Organization
        fields = ["q", "region", "form", "has_party_organization", "work_covered", "should_form_own", "date"]

    def filter_queryset(self, queryset):
        return super().filter_queryset(prepare_coverage(queryset, as_of(self)))

    def keep(self, queryset, name, value):
        return queryset

    def search(self, queryset, name, value):
        return search_organizations(queryset, value)

    def filter_form(self, queryset, name, value):
        if value == "missing":
            return queryset.filter(coverage_form__isnull=True)
        return queryset.filter(coverage_form=value) if value else queryset

    def filter_has_party_organization(self, queryset, name, value):
        if value is None:
            return queryset
        has = Q(coverage_form__in=HAS_PARTY_ORGANIZATION)
        return queryset.filter(has) if value else queryset.exclude(has)

    def filter_work_covered(self, queryset, name, value):
        if value is None:
            return queryset
        covered = Q(coverage_form__in=WORK_COVERED)
        return queryset.filter(covered) if value else queryset.exclude(covered)

    def filter_should_form_own(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(pk__in=selectors.should_form_own(as_of(self), Organization.objects.all()).values("pk"))


class OverdueFilterSet(BaseFilterSet):
    """Organizations active on `date` (default today) and overdue for a contact on it (party.periods),
    with their last contact on or before it."""

    q = django_filters.CharFilter(method="search", label=_("Organization name or code"))
    region = region_filter("region")
    date = django_filters.DateFilter(method="keep", label=_("as of"), validators=bounds.PLAUSIBLE_DATE)

    class Meta:
        model = Organization
        fields = ["q", "region", "date"]

    def filter_queryset(self, queryset):
        return super().filter_queryset(prepare_overdue(queryset, as_of(self)).filter(contact_overdue=True))

    def keep(self, queryset, name, value):
        return queryset

    search = PartyCoverageFilterSet.search


class ContactRecordFilterSet(BaseFilterSet):
    region = region_filter("organization__region")
    organization = django_filters.ModelChoiceFilter(queryset=Organization.objects.all(), label=_("organization"))
    form = django_filters.ChoiceFilter(choices=ContactForm.choices, label=_("form of contact"))
    contacted_after = django_filters.DateFilter(field_name="contacted_on", lookup_expr="gte", label=_("contacted from"))
    contacted_before = django_filters.DateFilter(field_name="contacted_on", lookup_expr="lte", label=_("contacted to"))

    class Meta:
        model = ContactRecord
        fields = ["region", "organization", "form", "contacted_after", "contacted_before"]


class _HeldFilterSet(BaseFilterSet):
    q = django_filters.CharFilter(method="search", label=_("topic"))
    region = region_filter("region")
    held_after = django_filters.DateFilter(field_name="held_on", lookup_expr="gte", label=_("held from"))
    held_before = django_filters.DateFilter(field_name="held_on", lookup_expr="lte", label=_("held to"))

    def search(self, queryset, name, value):
        return search.search(queryset, value, names=["topic"])


class PartyActivityFilterSet(_HeldFilterSet):
    kind = django_filters.ChoiceFilter(choices=ActivityKind.choices, label=_("kind"))

    class Meta:
        model = PartyActivity
        fields = ["q", "region", "kind", "held_after", "held_before"]


class JointMeetingFilterSet(_HeldFilterSet):
    class Meta:
        model = JointMeeting
        fields = ["q", "region", "held_after", "held_before"]
