"""Reads about annual reports: which organizations owe a report on a year, and which are overdue.
Set-based (EXISTS / NOT EXISTS on the organization), so the nightly job and the to-do count read a
district of any size in one query."""

from __future__ import annotations

import datetime as dt

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery

from registry import extensions
from registry.choices import OrganizationStatus, PartyForm, RegistrationLevel
from registry.models import Organization

from .choices import AnnualReportStatus
from .models import AnnualReport

FILED_STATUSES = (AnnualReportStatus.SUBMITTED, AnnualReportStatus.CONCLUDED)


def report_filed(year: int | OuterRef, organization: OuterRef | None = None) -> Exists:
    """EXISTS a submitted or concluded report of the organization (by default the outer row) on `year`."""
    organization = OuterRef("pk") if organization is None else organization
    return Exists(AnnualReport.objects.filter(organization=organization, year=year, status__in=FILED_STATUSES))


def owing(year: int, queryset: QuerySet | None = None) -> QuerySet:
    """Active organizations established by the end of `year` whose report on it has not been
    submitted (a draft or a returned report is still owed)."""
    queryset = Organization.objects.all() if queryset is None else queryset
    return (
        queryset.filter(status=OrganizationStatus.ACTIVE)
        .filter(Q(established_on__isnull=True) | Q(established_on__lte=dt.date(year, 12, 31)))
        .filter(~report_filed(year))
    )


def organizations_owing_report(year: int, queryset: QuerySet | None = None) -> QuerySet:
    """`owing`, annotated with `report_id` and `report_status` of a draft or returned report."""
    reports = AnnualReport.objects.filter(organization=OuterRef("pk"), year=year)
    return owing(year, queryset).annotate(
        report_id=Subquery(reports.values("pk")[:1]), report_status=Subquery(reports.values("status")[:1])
    )


def filed_owing_status_report(year: int, queryset: QuerySet | None = None) -> QuerySet:
    """Filed community organizations owing their annual status report on `year` (to their street)."""
    return owing(year, queryset).filter(registration_level=RegistrationLevel.FILED)


def registered_owing_work_report(year: int, queryset: QuerySet | None = None) -> QuerySet:
    """Registered organizations owing their annual work report on `year` (to the bureau)."""
    return owing(year, queryset).filter(registration_level=RegistrationLevel.REGISTERED)


def party_facts_for(organization, year: int) -> dict | None:
    """The organization's party facts (form, party members among its staff) as recorded in party
    building's coverage in force at the end of `year` (registry.extensions.party_facts); None when
    none is recorded for that day."""
    return extensions.party_facts(organization, dt.date(year, 12, 31))


def party_difference(report: AnnualReport) -> dict | None:
    """How the report's party section differs from the coverage on record at the end of its year, for
    its reviewer: None when they agree or nothing is on record; else the day and both values of each
    field, {"day", "rows": [{"field", "label", "reported", "recorded", "differs"}]}."""
    recorded = party_facts_for(report.organization, report.year)
    if recorded is None:
        return None
    forms = dict(PartyForm.choices)
    rows = []
    for name, display in (("party_status", lambda v: str(forms.get(v, v or "—"))), ("party_member_count", str)):
        reported, on_record = getattr(report, name), recorded.get(name)
        rows.append(
            {
                "field": name,
                "label": AnnualReport._meta.get_field(name).verbose_name,
                "reported": display(reported),
                "recorded": display(on_record),
                "differs": reported != on_record,
            }
        )
    if not any(row["differs"] for row in rows):
        return None
    return {"day": dt.date(report.year, 12, 31), "rows": rows}
