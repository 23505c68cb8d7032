"""Reads of the party app: who is responsible for an organization, which organizations existed on a
date, and which are overdue for a contact. Counted in the database (annotations, never loops)."""

from __future__ import annotations

import datetime as dt

from django.db.models import BooleanField, DateField, Exists, ExpressionWrapper, Max, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Cast, Coalesce

from accounts.choices import RegionLevel
from registry.choices import OrganizationStatus, PartyForm
from registry.models import Organization

from . import conf, periods
from .choices import PartyOrganizationStatus
from .models import ContactRecord, PartyCoverage, PartyOrganization


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


def term_due(day: dt.date) -> Q:
    """Active party organizations whose term (换届) ends within the warning days of `day`, or has ended
    without a new one recorded: flagged on their pages and lists, a to-do and a reminder."""
    return Q(
        status=PartyOrganizationStatus.ACTIVE,
        term_ends_on__isnull=False,
        term_ends_on__lte=day + dt.timedelta(days=conf.term_warning_days()),
    )


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


def coverage_as_of(day: dt.date, queryset: QuerySet | None = None) -> QuerySet:
    """The coverage rows (of `queryset`, default all) in force on `day` of the organizations active
    on it: at most one per organization (a history's periods do not overlap); an organization with
    no row in force has none here."""
    queryset = PartyCoverage.objects.all() if queryset is None else queryset
    return queryset.as_of(day).filter(organization__in=organizations_as_of(day).values("pk"))


def should_form_own_rule() -> Q:
    """On a coverage row: at least the standalone minimum of full party members among the staff and
    no own (standalone) party organization — 应建未建."""
    return Q(full_party_members__gte=conf.standalone_minimum_members()) & ~Q(form=PartyForm.STANDALONE)


def should_form_own(day: dt.date, queryset: QuerySet | None = None) -> QuerySet:
    """应建未建: the organizations (of `queryset`, default all) active on `day` whose coverage in force
    has at least conf.standalone_minimum_members() full party members and a form other than their own
    (standalone) party organization."""
    in_force = PartyCoverage.objects.as_of(day).filter(should_form_own_rule(), organization=OuterRef("pk"))
    return organizations_as_of(day, queryset).filter(Exists(in_force))
