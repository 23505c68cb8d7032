"""Reads of the party app: who is responsible for an organization, which organizations existed on a
date, and which are overdue for a contact. Counted in the database (annotations, never loops)."""

from __future__ import annotations

import datetime as dt

from django.db.models import BooleanField, DateField, ExpressionWrapper, Max, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Cast, Coalesce

from accounts.choices import RegionLevel
from registry.choices import OrganizationStatus
from registry.models import Organization

from . import periods
from .choices import PartyOrganizationStatus
from .models import ContactRecord, PartyOrganization


def responsible_body(organization) -> PartyOrganization | None:
    """The organization's responsible party body: its community's party organization, or the street's
    party working committee (街道党工委) when it is attached to a street without a community (or its
    community has none). None when neither is recorded."""
    region = organization.region
    nodes = [region]
    if region.level == RegionLevel.COMMUNITY and region.parent_id:
        nodes.append(region.parent)
    bodies = {
        body.region_id: body
        for body in PartyOrganization.objects.filter(
            region__in=nodes, is_area_body=True, status=PartyOrganizationStatus.ACTIVE
        )
    }
    for node in nodes:
        if node.pk in bodies:
            return bodies[node.pk]
    return None


def start_day():
    """The day an organization became active, as an expression: its establishment date, or the day
    its record was created when none is known."""
    return Coalesce("established_on", Cast("created_at", output_field=DateField()))


def organizations_as_of(day: dt.date, queryset: QuerySet | None = None) -> QuerySet:
    """The organizations active on `day`: started on or before it and not yet deregistered, revoked
    or stripped of their licence (their status changed after it)."""
    queryset = Organization.objects.all() if queryset is None else queryset
    return queryset.alias(_started=start_day()).filter(
        Q(status=OrganizationStatus.ACTIVE) | Q(status_changed_on__gt=day), _started__lte=day
    )


def last_contact_on(day: dt.date):
    """Subquery: the organization's last contact on or before `day`."""
    return Subquery(
        ContactRecord.objects.filter(organization=OuterRef("pk"), contacted_on__lte=day)
        .order_by()
        .values("organization")
        .annotate(last=Max("contacted_on"))
        .values("last")[:1],
        output_field=DateField(),
    )


def with_contact_state(queryset: QuerySet, day: dt.date) -> QuerySet:
    """Annotate organizations with `last_contact_on` (their last contact on or before `day`, None if
    never) and `contact_overdue` on `day` (see party.periods)."""
    threshold = periods.overdue_before(day)
    return queryset.annotate(last_contact_on=last_contact_on(day), contact_since=start_day()).annotate(
        contact_overdue=ExpressionWrapper(
            Q(last_contact_on__lt=threshold) | Q(last_contact_on__isnull=True, contact_since__lt=threshold),
            output_field=BooleanField(),
        )
    )


def overdue_organizations(day: dt.date, queryset: QuerySet | None = None) -> QuerySet:
    """The organizations active on `day` and overdue for a contact on it."""
    return with_contact_state(organizations_as_of(day, queryset), day).filter(contact_overdue=True)
