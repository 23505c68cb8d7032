"""Organization grades (1A–5A): when a grade is in force, an organization's current grade, and the
grades about to lapse — one definition read by the services, the pages, the public register and the
daily reminder.

A grade awarded in year Y is valid from 1 January of Y+1 through 31 December of Y+5 (awarded
2024-11-15 → 2025-01-01 to 2029-12-31). The current grade is the latest award in force on the day
and not revoked by then; a newer award in force supersedes an older one still running.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from . import conf
from .models import OrgGrade

VALID_YEARS = 5


def grade_validity(awarded_on: dt.date) -> tuple[dt.date, dt.date]:
    """(valid_from, valid_until) of a grade awarded on `awarded_on`."""
    return dt.date(awarded_on.year + 1, 1, 1), dt.date(awarded_on.year + VALID_YEARS, 12, 31)


def in_force(today: dt.date, prefix: str = "") -> Q:
    """The grades in force on `today` (valid then and not revoked by then)."""
    return Q(**{f"{prefix}valid_from__lte": today, f"{prefix}valid_until__gte": today}) & (
        Q(**{f"{prefix}revoked_on__isnull": True}) | Q(**{f"{prefix}revoked_on__gt": today})
    )


LATEST = ("-awarded_on", "-valid_from", "-pk")


def current_grade(organization, today: dt.date | None = None) -> OrgGrade | None:
    """The organization's grade in force on `today` (the latest award), or None."""
    today = today or timezone.localdate()
    return OrgGrade.objects.filter(in_force(today), organization=organization).order_by(*LATEST).first()


def current_grades(organization_ids, today: dt.date | None = None) -> dict[int, OrgGrade]:
    """organization id → its current grade, for those that have one (one query)."""
    today = today or timezone.localdate()
    grades = (
        OrgGrade.objects.filter(in_force(today), organization_id__in=list(organization_ids))
        .order_by("organization_id", *LATEST)
        .distinct("organization_id")
    )
    return {grade.organization_id: grade for grade in grades}


def with_current_grade(org_queryset: QuerySet, today: dt.date | None = None) -> QuerySet:
    """The organizations annotated with `current_grade` (1–5 or None) and `current_grade_valid_until`
    (a date or None), in the same query."""
    today = today or timezone.localdate()
    current = OrgGrade.objects.filter(in_force(today), organization=OuterRef("pk")).order_by(*LATEST)
    return org_queryset.annotate(
        current_grade=Subquery(current.values("grade")[:1]),
        current_grade_valid_until=Subquery(current.values("valid_until")[:1]),
    )


def expiring(queryset: QuerySet | None = None, today: dt.date | None = None, days: int | None = None) -> QuerySet:
    """The grades of `queryset` (default: all) in force on `today` that lapse within `days` (default
    conf.grade_warning_days(), 180) — valid_until from today through today + days — and that no later
    award of the same organization (not revoked) follows."""
    today = today or timezone.localdate()
    days = conf.grade_warning_days() if days is None else days
    queryset = OrgGrade.objects.all() if queryset is None else queryset
    successor = OrgGrade.objects.filter(
        organization=OuterRef("organization"), awarded_on__gt=OuterRef("awarded_on"), revoked_on__isnull=True
    )
    return queryset.filter(in_force(today), valid_until__lte=today + dt.timedelta(days=days)).exclude(Exists(successor))
