"""The live trend of a node over several quarters (TREND_KEYS): each family one query with one
conditional aggregate per quarter, by the same rules as reports.figures.live, so the point of a
quarter equals `schema.trend_point(node_figures(...))` of that quarter."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q
from django.utils import timezone

from accounts.models import Region
from party.selectors import start_day
from projects import periods
from projects.models import Project, QuarterlySubmission
from projects.selectors import TIMELINESS_STATUSES
from registry.choices import ApplicationState
from registry.models import Application, Organization
from supervision.models import AbnormalListing, SeriousViolationListing

from .. import quarters as quarter_rules
from .live import CHANGE_KINDS, Span, active_at


def _organizations(region, spans):
    queryset = Organization.objects.filter(region__path__startswith=region.path).alias(_started=start_day())
    counts = queryset.aggregate(
        **{f"q{i}": Count("pk", filter=Q(_started__lte=span.day) & active_at(span.day)) for i, span in enumerate(spans)}
    )
    return [{"organizations": counts[f"q{i}"]} for i in range(len(spans))]


def _changes(region, spans):
    queryset = Application.objects.filter(region__path__startswith=region.path, state=ApplicationState.APPROVED)
    aggregates = {}
    for i, span in enumerate(spans):
        decided = Q(reviewed_at__date__gte=span.start, reviewed_at__date__lte=span.end)
        for kind, key in CHANGE_KINDS.items():
            aggregates[f"q{i}_{key}"] = Count("pk", filter=decided & Q(kind=kind))
    counts = queryset.aggregate(**aggregates)
    return [{key: counts[f"q{i}_{key}"] for key in CHANGE_KINDS.values()} for i in range(len(spans))]


def _listings(region, spans):
    points = [{} for _ in spans]
    for model, key in ((AbnormalListing, "abnormal_open"), (SeriousViolationListing, "serious_open")):
        counts = model.objects.filter(organization__region__path__startswith=region.path).aggregate(
            **{
                f"q{i}": Count(
                    "pk",
                    filter=Q(listed_on__lte=span.day) & (Q(ended_on__isnull=True) | Q(ended_on__gt=span.day)),
                )
                for i, span in enumerate(spans)
            }
        )
        for i, point in enumerate(points):
            point[key] = counts[f"q{i}"]
    return points


LEDGER_TREND_KEYS = ("ledger_expected", "ledger_on_time", "ledger_late", "ledger_missing", "ledger_not_due")


def _ledger(region, spans):
    projects = Project.objects.filter(
        organization__region__path__startswith=region.path, status__in=TIMELINESS_STATUSES
    )

    def overlap(span, prefix=""):
        return Q(**{f"{prefix}start_date__lte": span.end, f"{prefix}end_date__gte": span.start})

    expected = projects.aggregate(**{f"q{i}": Count("pk", filter=overlap(span)) for i, span in enumerate(spans)})
    submitted_filters, aggregates = Q(pk__isnull=True), {}
    for i, span in enumerate(spans):
        due = periods.due_date(span.year, span.quarter)
        after_due = timezone.make_aware(dt.datetime.combine(due + dt.timedelta(days=1), dt.time()))
        this = Q(year=span.year, quarter=span.quarter) & overlap(span, "project__")
        submitted_filters |= this
        aggregates[f"q{i}_on_time"] = Count("pk", filter=this & Q(first_submitted_at__lt=after_due))
        aggregates[f"q{i}_late"] = Count("pk", filter=this & Q(first_submitted_at__gte=after_due))
    submitted = QuarterlySubmission.objects.filter(
        submitted_filters,
        project__organization__region__path__startswith=region.path,
        project__status__in=TIMELINESS_STATUSES,
    ).aggregate(**aggregates)
    points = []
    for i, span in enumerate(spans):
        if not span.started:
            points.append(dict.fromkeys(LEDGER_TREND_KEYS, 0))
            continue
        on_time, late = submitted[f"q{i}_on_time"], submitted[f"q{i}_late"]
        unsubmitted = expected[f"q{i}"] - on_time - late
        past_due = span.today > periods.due_date(span.year, span.quarter)
        points.append(
            {
                "ledger_expected": expected[f"q{i}"],
                "ledger_on_time": on_time,
                "ledger_late": late,
                "ledger_missing": unsubmitted if past_due else 0,
                "ledger_not_due": 0 if past_due else unsubmitted,
            }
        )
    return points


FAMILIES = (_organizations, _changes, _listings, _ledger)


def point_head(year: int, quarter: int) -> dict:
    return {
        "year": year,
        "quarter": quarter,
        "key": quarter_rules.quarter_key(year, quarter),
        "label": quarter_rules.label(year, quarter),
    }


def live_trend(region: Region, year: int, quarter: int, n: int = 8, today: dt.date | None = None) -> list[dict]:
    """The node's trend points of the `n` quarters ending with (year, quarter), oldest first: five
    queries."""
    today = today or timezone.localdate()
    spans = [Span(y, q, today) for y, q in quarter_rules.last_quarters(year, quarter, n)]
    points = [point_head(span.year, span.quarter) for span in spans]
    for family in FAMILIES:
        for point, values in zip(points, family(region, spans), strict=True):
            point.update(values)
    return points
