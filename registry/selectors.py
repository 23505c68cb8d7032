"""Reads of the registry: the organization and application querysets the pages, the API, the
exports and the public register share, and the field-level diff of a change application."""

from __future__ import annotations

import datetime

from django.contrib.postgres.aggregates import StringAgg
from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.utils.formats import date_format

from accounts.choices import RegionLevel
from accounts.models import Region
from core import search

from . import extensions, uscc
from .choices import ApplicationKind, OrganizationStatus
from .models import Application, Founder, Organization
from .services import NEW_ORGANIZATION_FIELDS, proposed_values

# What the public register shows of an organization; nothing else leaves the bureau.
PUBLIC_FIELDS = (
    "name",
    "uscc",
    "filing_number",
    "legal_form",
    "category",
    "registration_authority",
    "supervising_unit",
    "legal_representative",
    "address",
    "established_on",
    "business_scope",
    "activity_area",
    "status",
    "status_changed_on",
    "status_document",
)


def with_overlays(queryset: QuerySet) -> QuerySet:
    """Annotate the overlays other apps declare (registry.extensions: `in_abnormal_list`,
    `in_serious_list` …) without a query per row."""
    return extensions.annotate_overlays(queryset)


def filter_by_overlay(queryset: QuerySet, overlay: str | None) -> QuerySet:
    """Keep the organizations with the overlay (a value of extensions.OVERLAY_CHOICES); anything
    else keeps all."""
    condition = extensions.overlay_condition(overlay)
    if condition is None:
        return queryset
    return with_overlays(queryset).filter(condition)


def search_organizations(queryset: QuerySet, value: str, prefix: str = "") -> QuerySet:
    """Rows whose organization matches `value`: part of its name (two characters or more through the
    bigram index, core.search), or the start of its filing number or of its credit code (normalised:
    full-width, lower case and spaces as bureaus type them). `prefix` leads
    from the rows to the organization ("organization__"); blank input keeps every row."""
    value = (value or "").strip()
    if not value:
        return queryset
    return queryset.filter(organization_condition(value, prefix))


def organization_condition(value: str, prefix: str = "") -> Q:
    """The organization search as a Q (core.search): any fragment of the name, the start of the
    credit code (normalised) or of the filing number."""
    return search.condition(value, names=[f"{prefix}name"], codes=[f"{prefix}filing_number"]) | search.code_prefix(
        f"{prefix}uscc", uscc.normalize(value)
    )


def organizations() -> QuerySet:
    """Organizations with what their list rows show (street, community, overlays) already joined."""
    return with_overlays(Organization.objects.select_related("region__parent", "district"))


def public_organizations() -> QuerySet:
    """Every organization the public register may show (all districts, every status)."""
    return with_overlays(
        Organization.objects.select_related("region__parent", "district").only(
            *PUBLIC_FIELDS,
            "region__name",
            "region__level",
            "region__parent__name",
            "region__parent__level",
            "district__name",
            "region__path",
        )
    )


def applications() -> QuerySet:
    """Applications with what their rows show, the founders' names (发起人) among it, in one query."""
    founders = (
        Founder.objects.filter(application=OuterRef("pk"))
        .order_by()
        .values("application")
        .annotate(names=StringAgg("name", "、", order_by=("position", "pk")))
        .values("names")
    )
    return Application.objects.select_related("organization", "region__parent", "applicant", "reviewed_by").annotate(
        founder_names=Subquery(founders)
    )


def street_of(region: Region | None) -> Region | None:
    if region is None:
        return None
    return region if region.level == RegionLevel.STREET else region.parent


def community_of(region: Region | None) -> Region | None:
    return region if region is not None and region.level == RegionLevel.COMMUNITY else None


def streets_for(user) -> QuerySet:
    """Streets a user may filter by: those of their own subtree (all, for anonymous visitors)."""
    streets = Region.objects.filter(level=RegionLevel.STREET, is_active=True)
    if user is None or not user.is_authenticated:
        return streets
    if user.region is None:
        return streets if user.is_superuser else streets.none()
    district = user.region if user.region.level == RegionLevel.DISTRICT else user.region.district
    root = user.region if user.region.level != RegionLevel.COMMUNITY else user.region.parent
    if user.role == "org_user":
        root = district
    return streets.filter(path__startswith=root.path)


def communities_for(user) -> QuerySet:
    streets = streets_for(user)
    return Region.objects.filter(level=RegionLevel.COMMUNITY, is_active=True, parent__in=streets).select_related(
        "parent"
    )


def applicable_regions(user) -> QuerySet:
    """Streets and communities an application by `user` may place a new organization in: the
    applicant's own district (none for a user at a city node, who applies for no district)."""
    if user.region is None or user.region.level == RegionLevel.CITY:
        return Region.objects.none()
    district = user.region if user.region.level == RegionLevel.DISTRICT else user.region.district
    return (
        Region.objects.filter(path__startswith=district.path, is_active=True)
        .exclude(level=RegionLevel.DISTRICT)
        .select_related("parent")
    )


def display_value(field: str, value) -> str:
    """A proposed or current value as a person reads it (choice labels, region names)."""
    if value in (None, ""):
        return "—"
    model_field = Organization._meta.get_field(field)
    if model_field.choices:
        return str(dict(model_field.choices).get(value, value))
    if isinstance(value, Region):
        return value.full_name
    if isinstance(value, datetime.date):
        return date_format(value, "DATE_FORMAT")
    return str(value)


def application_rows(application: Application) -> list[dict]:
    """(label, current, proposed, changed) per field: the whole proposal of an establishment or
    filing, the field-level diff of a change."""
    values = proposed_values(application)
    rows = []
    if application.kind in (ApplicationKind.ESTABLISH, ApplicationKind.FILE):
        for field in NEW_ORGANIZATION_FIELDS:
            if field in values:
                rows.append(
                    {
                        "field": field,
                        "label": Organization._meta.get_field(field).verbose_name,
                        "current": "",
                        "proposed": display_value(field, values[field]),
                        "changed": True,
                    }
                )
        return rows
    org = application.organization
    current = {**{f: getattr(org, f) for f in values}}
    if application.current:
        saved = Application(data=application.current, kind=application.kind)
        current.update(proposed_values(saved))
    for field, value in values.items():
        rows.append(
            {
                "field": field,
                "label": Organization._meta.get_field(field).verbose_name,
                "current": display_value(field, current.get(field)),
                "proposed": display_value(field, value),
                "changed": True,
            }
        )
    return rows


def active_count(queryset: QuerySet) -> int:
    return queryset.filter(status=OrganizationStatus.ACTIVE).count()
