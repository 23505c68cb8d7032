"""Reads about annual reports: which organizations owe a report on a year."""

from __future__ import annotations

import datetime as dt

from django.db.models import OuterRef, Q, QuerySet, Subquery

from registry.choices import OrganizationStatus
from registry.models import Organization

from .choices import AnnualReportStatus
from .models import AnnualReport

FILED_STATUSES = (AnnualReportStatus.SUBMITTED, AnnualReportStatus.CONCLUDED)


def organizations_owing_report(year: int, queryset: QuerySet | None = None) -> QuerySet:
    """Active organizations established by the end of `year` whose report on it has not been
    submitted; annotated with `report_id` and `report_status` of a draft or returned report."""
    queryset = Organization.objects.all() if queryset is None else queryset
    reports = AnnualReport.objects.filter(organization=OuterRef("pk"), year=year)
    return (
        queryset.filter(status=OrganizationStatus.ACTIVE)
        .filter(Q(established_on__isnull=True) | Q(established_on__lte=dt.date(year, 12, 31)))
        .exclude(pk__in=AnnualReport.objects.filter(year=year, status__in=FILED_STATUSES).values("organization_id"))
        .annotate(report_id=Subquery(reports.values("pk")[:1]), report_status=Subquery(reports.values("status")[:1]))
    )
