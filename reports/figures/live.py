"""The live figures of a node's subtree for a quarter, counted in the database: one aggregate query
per figure family, each grouped by the child node a row belongs to (party.statistics.group_key: the
row region's path cut at the children's path length), so a node and its children come from the same
few queries (about twenty) whatever the number of organizations. Python only folds the group rows
into figure dicts (see the package docstring for every key and its rule)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from django.db.models import Case, CharField, Count, F, OuterRef, Q, Subquery, Sum, Value, When
from django.utils import timezone

from accounts.choices import RegionLevel
from accounts.models import Region
from evaluation.grading import LATEST, in_force
from evaluation.models import OrgGrade, RoundProject
from evaluation.models.policies import PUBLISHED
from party import statistics as party_statistics
from party.selectors import start_day
from projects import periods
from projects.choices import MajorActivityStatus, ProjectStatus, Timeliness
from projects.models import Contract, Expenditure, MajorActivityReport, Payment, Project, QuarterlySubmission
from projects.selectors import TIMELINESS_STATUSES
from registry.choices import ApplicationKind, ApplicationState, OrganizationStatus
from registry.models import Application, Organization
from supervision.models import AbnormalListing, SeriousViolationListing
from supervision.selectors import owing
from supervision.services.annual_reports import annual_report_due_on

from .schema import (
    MONEY_KEYS,
    PUBLIC_BENEFIT_CATEGORIES,
    annual_report_year,
    empty,
    money,
    money_block,
    total,
)

CHANGE_KINDS = {
    ApplicationKind.ESTABLISH: "registrations",
    ApplicationKind.FILE: "filings",
    ApplicationKind.CHANGE: "changes",
    ApplicationKind.DEREGISTER: "deregistrations",
}


class Span:
    """The days of a quarter the figures use: its first day, its last day (`end`) and the as-of day
    (`day` = min(end, today)); `started` is False for a quarter still to come."""

    def __init__(self, year: int, quarter: int, today: dt.date | None = None):
        self.year, self.quarter = year, quarter
        self.today = today or timezone.localdate()
        self.start = periods.quarter_start(year, quarter)
        self.end = periods.quarter_end(year, quarter)
        self.day = min(self.end, self.today)
        self.started = self.start <= self.today


def children_of(region: Region) -> list[Region]:
    return list(Region.objects.filter(parent=region).order_by("code"))


def _child(path_field: str, region: Region, children: list[Region]):
    if not children:
        return Value(region.path, output_field=CharField())
    return party_statistics.group_key(path_field, region, children)


def _grouped(queryset, path_field: str, region: Region, children, *group_by, **aggregates):
    """The group rows of `queryset` in the node's subtree, by child path and `group_by`."""
    return (
        queryset.filter(**{f"{path_field}__startswith": region.path})
        .annotate(_child=_child(path_field, region, children))
        .order_by()
        .values("_child", *group_by)
        .annotate(**aggregates)
    )


def active_at(day: dt.date) -> Q:
    """On organizations (after `_started` is aliased): active on `day`."""
    return Q(status=OrganizationStatus.ACTIVE) | Q(status_changed_on__gt=day)


def _organizations(figures, region, children, span):
    area = Case(
        When(~Q(region__area_kind=""), then=F("region__area_kind")),
        When(
            Q(region__level=RegionLevel.COMMUNITY) & ~Q(region__parent__area_kind=""),
            then=F("region__parent__area_kind"),
        ),
        default=Value("unset"),
        output_field=CharField(),
    )
    status_at = Case(
        When(active_at(span.day), then=Value(OrganizationStatus.ACTIVE.value)),
        default=F("status"),
        output_field=CharField(),
    )
    grade = Subquery(
        OrgGrade.objects.filter(in_force(span.day), organization=OuterRef("pk")).order_by(*LATEST).values("grade")[:1]
    )
    queryset = (
        Organization.objects.alias(_started=start_day())
        .filter(_started__lte=span.day)
        .annotate(_area=area, _status=status_at, _grade=grade)
    )
    rows = _grouped(
        queryset,
        "region__path",
        region,
        children,
        "_status",
        "legal_form",
        "category",
        "registration_level",
        "_area",
        "_grade",
        n=Count("pk"),
    )
    for row in rows:
        organizations = figures[row["_child"]]["organizations"]
        n = row["n"]
        organizations["by_status"][row["_status"]] += n
        if row["_status"] != OrganizationStatus.ACTIVE:
            continue
        organizations["total"] += n
        organizations["by_legal_form"][row["legal_form"]] += n
        organizations["by_category"][row["category"]] += n
        organizations["by_level"][row["registration_level"]] += n
        organizations["by_area"][row["_area"]] += n
        if row["category"] in PUBLIC_BENEFIT_CATEGORIES:
            organizations["public_benefit"] += n
        if row["_grade"] is not None:
            figures[row["_child"]]["evaluation"]["grades"][str(row["_grade"])] += n


def _changes(figures, region, children, span):
    queryset = Application.objects.filter(
        state=ApplicationState.APPROVED, reviewed_at__date__gte=span.start, reviewed_at__date__lte=span.end
    )
    for row in _grouped(queryset, "region__path", region, children, "kind", n=Count("pk")):
        figures[row["_child"]]["changes"][CHANGE_KINDS[row["kind"]]] += row["n"]


def _listings(figures, region, children, span):
    open_at = Q(listed_on__lte=span.day) & (Q(ended_on__isnull=True) | Q(ended_on__gt=span.day))
    listed = Q(listed_on__gte=span.start, listed_on__lte=span.end)
    for model, prefix in ((AbnormalListing, "abnormal"), (SeriousViolationListing, "serious")):
        rows = _grouped(
            model.objects.all(),
            "organization__region__path",
            region,
            children,
            open=Count("pk", filter=open_at),
            listed=Count("pk", filter=listed),
        )
        for row in rows:
            listings = figures[row["_child"]]["listings"]
            listings[f"{prefix}_open"] += row["open"]
            listings[f"{prefix}_listed"] += row["listed"]


def _annual_reports(figures, region, children, span):
    year = annual_report_year(span.year, span.quarter)
    overdue = span.day > annual_report_due_on(year)
    rows = _grouped(owing(year), "region__path", region, children, "registration_level", n=Count("pk"))
    for row in rows:
        reports = figures[row["_child"]]["annual_reports"]
        reports["owed"] += row["n"]
        reports[f"owed_{row['registration_level']}"] += row["n"]
        if overdue:
            reports["overdue"] += row["n"]


def _party(figures, region, children, span):
    statistics = party_statistics.statistics(region, span.day)
    for row in statistics.parts:
        party = figures[row.region.path]["party"]
        for key in party_statistics.COUNT_KEYS:
            party[key] += row.figures[key]


def _projects(figures, region, children, span):
    if not span.started:
        return
    counted = Project.objects.exclude(status=ProjectStatus.APPLIED).filter(
        start_date__lte=span.day, end_date__gte=span.start
    )
    path = "organization__region__path"
    keys = ("funding_source", "funder_id")
    sums: dict = defaultdict(lambda: dict.fromkeys(MONEY_KEYS, Decimal(0)))
    for model, key, day_field in (
        (Contract.objects.filter(is_current=True), "contracted", "signed_on"),
        (Payment.objects.all(), "paid", "paid_on"),
        (Expenditure.objects.all(), "spent", "date"),
    ):
        queryset = model.filter(project__in=counted, **{f"{day_field}__lte": span.day})
        rows = _grouped(
            queryset,
            f"project__{path}",
            region,
            children,
            "project__funding_source",
            "project__funder_id",
            total=Sum("amount"),
        )
        for row in rows:
            sums[(row["_child"], row["project__funding_source"], row["project__funder_id"])][key] += row["total"] or 0
    rows = _grouped(counted, path, region, children, *keys, "funder__name", "funder__kind", n=Count("pk"))
    for row in rows:
        projects = figures[row["_child"]]["projects"]
        amounts = sums.get((row["_child"], row["funding_source"], row["funder_id"]), {})
        funder = projects["by_funder"].setdefault(
            str(row["funder_id"]), {"name": row["funder__name"], "kind": row["funder__kind"], **_raw_block()}
        )
        for block in (projects, projects["by_source"][row["funding_source"]], funder):
            block["count"] += row["n"]
            for key in ("contracted", "paid", "spent"):
                block[key] = Decimal(block[key]) + amounts.get(key, 0)


def _raw_block() -> dict:
    return {"count": 0, **dict.fromkeys(MONEY_KEYS, Decimal(0))}


def _ledger(figures, region, children, span):
    if not span.started:
        return
    due = periods.due_date(span.year, span.quarter)
    after_due = timezone.make_aware(dt.datetime.combine(due + dt.timedelta(days=1), dt.time()))
    first = Subquery(
        QuarterlySubmission.objects.filter(project=OuterRef("pk"), year=span.year, quarter=span.quarter).values(
            "first_submitted_at"
        )[:1]
    )
    queryset = Project.objects.filter(
        status__in=TIMELINESS_STATUSES, start_date__lte=span.end, end_date__gte=span.start
    ).annotate(_first=first)
    unsubmitted = Q(_first__isnull=True)
    missing = Q(pk__isnull=False) if span.today > due else Q(pk__isnull=True)
    rows = _grouped(
        queryset,
        "organization__region__path",
        region,
        children,
        expected=Count("pk"),
        on_time=Count("pk", filter=Q(_first__lt=after_due)),
        late=Count("pk", filter=Q(_first__gte=after_due)),
        missing=Count("pk", filter=unsubmitted & missing),
        not_due=Count("pk", filter=unsubmitted & ~missing),
    )
    for row in rows:
        ledger = figures[row["_child"]]["ledger"]
        ledger["expected"] += row["expected"]
        for key in Timeliness.values:
            ledger[key] += row[key]


def _major_activities(figures, region, children, span):
    queryset = MajorActivityReport.objects.filter(reported_on__gte=span.start, reported_on__lte=span.end)
    rows = _grouped(
        queryset,
        "organization__region__path",
        region,
        children,
        reported=Count("pk"),
        late=Count("pk", filter=Q(is_late=True)),
        foreign=Count("pk", filter=Q(foreign_involvement=True)),
        **{status: Count("pk", filter=Q(status=status)) for status in MajorActivityStatus.values},
    )
    for row in rows:
        activities = figures[row.pop("_child")]["major_activities"]
        for key, value in row.items():
            activities[key] += value


def _stars(figures, region, children, span):
    queryset = RoundProject.objects.filter(
        round__status__in=PUBLISHED, round__publicity_starts_on__lte=span.day, stars__isnull=False
    )
    for row in _grouped(queryset, "project__organization__region__path", region, children, "stars", n=Count("pk")):
        figures[row["_child"]]["evaluation"]["stars"][str(row["stars"])] += row["n"]


FAMILIES = (
    _organizations,
    _changes,
    _listings,
    _annual_reports,
    _party,
    _projects,
    _ledger,
    _major_activities,
    _stars,
)


def _finish(figures: dict) -> dict:
    """Money blocks: balance = paid − spent, and every sum as a string with two decimals."""
    projects = figures["projects"]
    for block in (projects, *projects["by_source"].values(), *projects["by_funder"].values()):
        block["balance"] = Decimal(block["paid"]) - Decimal(block["spent"])
        for key in MONEY_KEYS:
            block[key] = money(block[key])
    return figures


def grouped_figures(region: Region, year: int, quarter: int, today: dt.date | None = None):
    """(children, {path: figures}) for the node's children and, under the node's own path, the rows
    attached to the node itself."""
    span = Span(year, quarter, today)
    children = children_of(region)
    figures: dict = defaultdict(empty)
    for family in FAMILIES:
        family(figures, region, children, span)
    return children, {path: _finish(value) for path, value in figures.items()}


def _node_total(figures_by_path: dict) -> dict:
    return total(figures_by_path.values())


def node_figures(region: Region, year: int, quarter: int, today: dt.date | None = None) -> dict:
    """The live figures of the node's subtree for the quarter (package docstring)."""
    _children, figures_by_path = grouped_figures(region, year, quarter, today)
    return _node_total(figures_by_path)


def entries(region: Region, children: list[Region], figures_by_path: dict) -> list[dict]:
    """One entry per child (code order), then the node's own organizations when there are any."""
    result = [
        {
            "code": child.code,
            "name": child.name,
            "level": child.level,
            "path": child.path,
            "direct": False,
            "figures": figures_by_path.get(child.path) or _finish(empty()),
        }
        for child in children
    ]
    if children and region.path in figures_by_path:
        result.append(
            {
                "code": region.code,
                "name": region.name,
                "level": region.level,
                "path": region.path,
                "direct": True,
                "figures": figures_by_path[region.path],
            }
        )
    return result


def children_figures(region: Region, year: int, quarter: int, today: dt.date | None = None) -> list[dict]:
    """The live figures of each child node (and of the node's own organizations), grouped in the
    same queries as node_figures."""
    children, figures_by_path = grouped_figures(region, year, quarter, today)
    return entries(region, children, figures_by_path)


__all__ = ["Span", "children_figures", "entries", "grouped_figures", "money_block", "node_figures"]
