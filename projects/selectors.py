"""Reads of the projects app: progress against targets, budget against spending, the quarter grid,
timeliness tables, what an organization has due next, and major activities held without a report.
Query counts do not grow with rows."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q, Subquery, Sum
from django.utils import timezone

from . import periods, permissions, workflows
from .choices import EntryStatus, IndicatorSource, ReviewStage, SubmissionStatus, Timeliness
from .conf import major_activity_participants, major_activity_window_days
from .models import LedgerEntry, MajorActivityReport, Project, ProjectReview, QuarterlySubmission
from .money import ZERO, percent

_LEDGER_SUMS = {
    IndicatorSource.ACTIVITIES: "activities",
    IndicatorSource.PARTICIPANTS: "participants",
    IndicatorSource.BENEFICIARIES: "beneficiaries",
    IndicatorSource.VOLUNTEER_HOURS: "volunteer_hours",
}


def ledger_totals(project: Project) -> dict:
    """Totals over the project's accepted, current ledger entries (one query)."""
    totals = LedgerEntry.objects.filter(project=project, is_current=True, status=EntryStatus.ACCEPTED).aggregate(
        activities=Count("pk"),
        participants=Sum("participants"),
        beneficiaries=Sum("beneficiaries"),
        volunteer_hours=Sum("volunteer_hours"),
    )
    return {key: value or 0 for key, value in totals.items()}


def indicator_progress(project: Project) -> list[dict]:
    indicators = list(project.indicators.all())
    totals = ledger_totals(project) if any(i.source in _LEDGER_SUMS for i in indicators) else {}
    rows = []
    for indicator in indicators:
        if indicator.source not in _LEDGER_SUMS:  # entered, or the funder's survey result
            actual = indicator.entered_value if indicator.entered_value is not None else Decimal(0)
        else:
            actual = totals[_LEDGER_SUMS[indicator.source]]
        rows.append({"indicator": indicator, "actual": actual, "percent": percent(actual, indicator.target)})
    return rows


def project_budget_rows(project: Project) -> list[dict]:
    rows = []
    for line in project.budget_lines.annotate(spent_total=Sum("expenditures__amount")).order_by("category", "pk"):
        spent = line.spent_total or ZERO
        rows.append(
            {"line": line, "spent": spent, "balance": line.amount - spent, "percent": percent(spent, line.amount)}
        )
    return rows


def budget_totals(rows: list[dict]) -> dict:
    amount = sum((r["line"].amount for r in rows), ZERO)
    spent = sum((r["spent"] for r in rows), ZERO)
    return {"amount": amount, "spent": spent, "balance": amount - spent, "percent": percent(spent, amount)}


def quarter_grid(project: Project, today: dt.date | None = None) -> list[dict]:
    """Each quarter of the project: due date, submission, timeliness and entry counts (two queries)."""
    today = today or timezone.localdate()
    submissions = {(s.year, s.quarter): s for s in project.quarterly_submissions.all()}
    counts = defaultdict(lambda: defaultdict(int))
    for row in (
        LedgerEntry.objects.filter(project=project, is_current=True)
        .values("date__year", "date__quarter", "status")
        .annotate(n=Count("pk"))
    ):
        counts[(row["date__year"], row["date__quarter"])][row["status"]] += row["n"]
    grid = []
    for year, quarter in project.quarters:
        submission = submissions.get((year, quarter))
        due = periods.due_date(year, quarter)
        submitted_on = timezone.localdate(submission.first_submitted_at) if submission else None
        grid.append(
            {
                "year": year,
                "quarter": quarter,
                "label": periods.quarter_label(year, quarter),
                "due": due,
                "submission": submission,
                "timeliness": periods.timeliness(due, submitted_on, today),
                "timeliness_label": Timeliness(periods.timeliness(due, submitted_on, today)).label,
                "entries": dict(counts[(year, quarter)]),
                "entry_total": sum(counts[(year, quarter)].values()),
                "started": periods.quarter_start(year, quarter) <= today,
                "submittable": periods.submittable_from(year, quarter) <= today,
            }
        )
    return grid


# ------------------------------------------------------------------------------------ timeliness


def expected_quarters(projects, today: dt.date, year: int | None = None, quarter: int | None = None):
    """(project, year, quarter, due) for every quarter of running or finished projects whose deadline
    has come or passed, optionally for one year / quarter."""
    for project in projects:
        for y, q in project.quarters:
            if (year and y != year) or (quarter and q != quarter):
                continue
            if periods.quarter_start(y, q) > today:
                continue
            yield project, y, q, periods.due_date(y, q)


TIMELINESS_STATUSES = (*workflows.PROJECT_ACTIVE, "closed")


def timeliness_rows(
    user, *, by: str = "street", year: int | None = None, quarter: int | None = None, today: dt.date | None = None
) -> list[dict]:
    """A reporting-rate table: per street (or organization) the project-quarters expected, on time,
    late, missing and not yet due, and the on-time and submission rates. Three queries in all."""
    today = today or timezone.localdate()
    projects = list(
        Project.objects.restrict(user)
        .filter(status__in=TIMELINESS_STATUSES)
        .select_related("organization__region__parent")
        .order_by("pk")
    )
    submitted = {
        (s["project_id"], s["year"], s["quarter"]): s["first_submitted_at"]
        for s in QuarterlySubmission.objects.filter(project__in=[p.pk for p in projects]).values(
            "project_id", "year", "quarter", "first_submitted_at"
        )
    }
    groups: dict = {}
    for project, y, q, due in expected_quarters(projects, today, year, quarter):
        if by == "organization":
            key, label = project.organization_id, project.organization.name
        else:
            region = project.organization.region
            street = region.parent if region.level == "community" else region
            key, label = street.pk, street.name
        row = groups.setdefault(key, {"label": label, "expected": 0, **dict.fromkeys(Timeliness.values, 0)})
        first = submitted.get((project.pk, y, q))
        status = periods.timeliness(due, timezone.localdate(first) if first else None, today)
        row[status] += 1
        row["expected"] += 1
    rows = sorted(groups.values(), key=lambda r: r["label"])
    for row in rows:
        judged = row["expected"] - row[Timeliness.NOT_DUE]
        row["on_time_rate"] = percent(row[Timeliness.ON_TIME], judged) if judged else None
        row["submission_rate"] = percent(row[Timeliness.ON_TIME] + row[Timeliness.LATE], judged) if judged else None
    return rows


# ------------------------------------------------------------------------------ organization home


def organization_projects_due(user, today: dt.date | None = None, limit: int = 20) -> list[dict]:
    """The organization's projects, each with its next quarter to submit (or to resubmit)."""
    today = today or timezone.localdate()
    projects = list(
        Project.objects.restrict(user)
        .exclude(status__in=["terminated"])
        .prefetch_related("quarterly_submissions")
        .order_by("end_date")[:limit]
    )
    result = []
    for project in projects:
        submissions = {(s.year, s.quarter): s for s in project.quarterly_submissions.all()}
        next_due = None
        if project.status in workflows.PROJECT_ACTIVE:
            for y, q in project.quarters:
                submission = submissions.get((y, q))
                if submission is None or submission.status == SubmissionStatus.RETURNED:
                    due = periods.due_date(y, q)
                    next_due = {
                        "label": periods.quarter_label(y, q),
                        "due": due,
                        "overdue": due < today,
                        "days": (due - today).days,
                        "returned": submission is not None,
                    }
                    break
        result.append({"project": project, "next_due": next_due})
    return result


def quarter_under_review(project_id: int, day: dt.date) -> QuarterlySubmission | None:
    """The submission of the quarter holding `day` while it awaits the funder's review: an entry
    recorded now is not part of what the funder is reviewing."""
    year, quarter = periods.quarter_of(day)
    return QuarterlySubmission.objects.filter(
        project_id=project_id,
        year=year,
        quarter=quarter,
        status__in=(SubmissionStatus.SUBMITTED, SubmissionStatus.RESUBMITTED),
    ).first()


def unreported_major_activity() -> Q:
    """Ledger entries of a major activity that was not reported in advance: more participants than
    the threshold (PROJECTS_MAJOR_ACTIVITY_PARTICIPANTS) or foreign involvement, and no major-activity
    report of the same organization planned within PROJECTS_MAJOR_ACTIVITY_WINDOW_DAYS (default 3) of
    the entry's date and reported on or before that date. A report the bureau objected to still
    counts as reported. Drafts, which the organization is still writing, are left out."""
    window = dt.timedelta(days=major_activity_window_days())
    reported = MajorActivityReport.objects.filter(
        organization_id=OuterRef("project__organization_id"),
        planned_date__gte=OuterRef("date") - window,
        planned_date__lte=OuterRef("date") + window,
        reported_on__lte=OuterRef("date"),
    )
    major = Q(participants__gt=major_activity_participants()) | Q(foreign_involvement=True)
    return major & ~Q(status=EntryStatus.DRAFT) & ~Exists(reported)


def is_unreported_major_activity(entry: LedgerEntry) -> bool:
    """The entry page's flag: the same rule as the to-do's filter (one query)."""
    return LedgerEntry.objects.filter(pk=entry.pk).filter(unreported_major_activity()).exists()


# ------------------------------------------------------------------------------------- oversight


def rectification_overdue(today: dt.date | None = None) -> Q:
    """Supervision visits whose rectification is past its due date and not reported done."""
    today = today or timezone.localdate()
    return Q(rectified_on__isnull=True, rectification_due__lt=today) & ~Q(rectification="")


def with_review_conclusions(queryset):
    """Projects annotated with the funder's mid-term and final review conclusions (one subquery
    each, for the list and its export)."""

    def conclusion(stage):
        return Subquery(ProjectReview.objects.filter(project=OuterRef("pk"), stage=stage).values("conclusion")[:1])

    return queryset.annotate(
        mid_term_conclusion=conclusion(ReviewStage.MID_TERM), final_conclusion=conclusion(ReviewStage.FINAL)
    )


def project_oversight(project: Project, user, today: dt.date | None = None) -> dict:
    """The project page's reviews and supervision visits, and what the user may add (a few queries,
    however many visits)."""
    today = today or timezone.localdate()
    visits = list(project.supervision_visits.select_related("recorded_by").order_by("-visited_on", "-pk"))
    for visit in visits:
        visit.overdue = visit.rectification_open and visit.rectification_due < today
    return {
        "reviews": list(project.reviews.select_related("created_by").order_by("reviewed_on", "pk")),
        "visits": visits,
        "can_add_review": permissions.may_add_review(user, project)[0],
        "can_add_visit": permissions.may_add_visit(user, project)[0],
    }
