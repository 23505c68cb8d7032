"""The projects' sheets: 项目与资金 (each project running in the quarter with its contract, the money
paid to it and spent by it up to the quarter's end), 台账报送情况 (each project-quarter due: its
submission and timeliness, and the ledger entries of the quarter), 重大活动 (major activities reported
in the quarter) and 星级评定 (published project star ratings and the organization grades in force at
the quarter's end, in one table)."""

from __future__ import annotations

from django.db.models import CharField, Count, DecimalField, IntegerField, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from core.xlsx import AMOUNT_FORMAT, Sheet
from evaluation.choices import Grade
from evaluation.grading import LATEST, in_force
from evaluation.models import OrgGrade, RoundProject
from evaluation.models.policies import PUBLISHED
from party.selectors import organizations_as_of
from projects import periods
from projects.choices import (
    EntryStatus,
    FundingSource,
    MajorActivityStatus,
    ProjectStatus,
    SubmissionStatus,
    Timeliness,
)
from projects.models import (
    Contract,
    Expenditure,
    LedgerEntry,
    MajorActivityReport,
    Payment,
    Project,
    QuarterlySubmission,
)
from projects.money import ZERO
from projects.selectors import TIMELINESS_STATUSES
from registry.models import Organization

from .scope import CHUNK_SIZE, Column, Scope, community_name, labels, list_sheet, place_columns, street_name

MONEY = DecimalField(max_digits=16, decimal_places=2)


def _sum(queryset, field: str):
    return Coalesce(
        Subquery(queryset.order_by().values("project").annotate(total=Sum(field)).values("total")[:1]),
        Value(ZERO),
        output_field=MONEY,
    )


def _count(queryset):
    return Coalesce(
        Subquery(queryset.order_by().values("project").annotate(n=Count("pk")).values("n")[:1]),
        Value(0),
        output_field=IntegerField(),
    )


def funds_title() -> str:
    return pgettext("workbook sheet", "Projects and funds")


def running_projects(scope: Scope):
    """Projects of the subtree approved (not merely applied for) whose period overlaps the quarter up
    to its as-of day (reports.figures' "projects")."""
    return Project.objects.filter(
        organization__region__path__startswith=scope.path,
        start_date__lte=scope.day,
        end_date__gte=scope.start,
    ).exclude(status=ProjectStatus.APPLIED)


def funds_sheet(scope: Scope) -> Sheet:
    """Money from each project's start to the quarter's end (or today while it runs)."""
    end = scope.day
    contract = Contract.objects.filter(project=OuterRef("pk"), is_current=True, signed_on__lte=end).order_by("-pk")
    queryset = (
        running_projects(scope)
        .annotate(
            contract_number=Subquery(contract.values("number")[:1]),
            contract_amount=Subquery(contract.values("amount")[:1]),
            paid_total=_sum(Payment.objects.filter(project=OuterRef("pk"), paid_on__lte=end), "amount"),
            spent_total=_sum(Expenditure.objects.filter(project=OuterRef("pk"), date__lte=end), "amount"),
        )
        .order_by("code", "pk")
    )
    columns = [
        *place_columns(scope, "organization__region", "organization__district"),
        Column(_("project code"), ("code",)),
        Column(_("title"), ("title",)),
        Column(_("organization"), ("organization__name",)),
        Column(_("funding source"), ("funding_source",), labels(FundingSource)),
        Column(_("funder"), ("funder__name",)),
        Column(_("start date"), ("start_date",)),
        Column(_("end date"), ("end_date",)),
        Column(_("status"), ("status",), labels(ProjectStatus)),
        Column(_("amount (yuan)"), ("amount",), None, AMOUNT_FORMAT),
        Column(_("contract number"), ("contract_number",)),
        Column(_("contract amount (yuan)"), ("contract_amount",), None, AMOUNT_FORMAT),
        Column(_("paid (yuan)"), ("paid_total",), None, AMOUNT_FORMAT),
        Column(_("spent (yuan)"), ("spent_total",), None, AMOUNT_FORMAT),
        Column(_("balance: paid less spent (yuan)"), ("paid_total", "spent_total"), lambda p, s: p - s, AMOUNT_FORMAT),
    ]
    return list_sheet(scope, funds_title(), queryset, columns)


def ledger_title() -> str:
    return pgettext("workbook sheet", "Ledger submissions")


def due_projects(scope: Scope):
    """Projects owing the quarter's submission: running or finished, their period covering it."""
    return Project.objects.filter(
        organization__region__path__startswith=scope.path,
        status__in=TIMELINESS_STATUSES,
        start_date__lte=scope.end,
        end_date__gte=scope.start,
    )


def ledger_sheet(scope: Scope) -> Sheet:
    submission = QuarterlySubmission.objects.filter(project=OuterRef("pk"), year=scope.year, quarter=scope.quarter)
    entries = LedgerEntry.objects.filter(
        project=OuterRef("pk"), is_current=True, date__gte=scope.start, date__lte=scope.end
    )
    queryset = due_projects(scope)
    if scope.start > scope.today:
        queryset = queryset.none()
    queryset = queryset.annotate(
        first_submitted=Subquery(submission.values("first_submitted_at")[:1]),
        submission_status=Subquery(submission.values("status")[:1], output_field=CharField()),
        entry_count=_count(entries),
        accepted_count=_count(entries.filter(status=EntryStatus.ACCEPTED)),
    ).order_by("organization__region__path", "code", "pk")
    due = periods.due_date(scope.year, scope.quarter)
    today = scope.today
    timeliness = labels(Timeliness)
    statuses = labels(SubmissionStatus)

    def judged(first):
        return timeliness(periods.timeliness(due, timezone.localdate(first) if first else None, today))

    columns = [
        *place_columns(scope, "organization__region", "organization__district"),
        Column(_("project code"), ("code",)),
        Column(_("title"), ("title",)),
        Column(_("organization"), ("organization__name",)),
        Column(_("funder"), ("funder__name",)),
        Column(_("due on"), ("pk",), lambda _pk: due),
        Column(_("first submitted at"), ("first_submitted",)),
        Column(_("status"), ("submission_status",), lambda value: statuses(value) if value else None),
        Column(_("timeliness"), ("first_submitted",), judged),
        Column(_("ledger entries of the quarter"), ("entry_count",)),
        Column(_("accepted entries"), ("accepted_count",)),
    ]
    return list_sheet(scope, ledger_title(), queryset, columns)


def activities_title() -> str:
    return pgettext("workbook sheet", "Major activities")


def activities_sheet(scope: Scope) -> Sheet:
    queryset = MajorActivityReport.objects.filter(
        organization__region__path__startswith=scope.path,
        reported_on__gte=scope.start,
        reported_on__lte=scope.end,
    ).order_by("planned_date", "pk")
    columns = [
        *place_columns(scope, "organization__region", "organization__district"),
        Column(_("organization"), ("organization__name",)),
        Column(_("project code"), ("project__code",)),
        Column(_("title"), ("title",)),
        Column(_("planned date"), ("planned_date",)),
        Column(_("place"), ("place",)),
        Column(_("expected participants"), ("expected_participants",)),
        Column(_("foreign involvement"), ("foreign_involvement",)),
        Column(_("reported on"), ("reported_on",)),
        Column(_("reported late"), ("is_late",)),
        Column(_("status"), ("status",), labels(MajorActivityStatus)),
    ]
    return list_sheet(scope, activities_title(), queryset, columns)


def ratings_title() -> str:
    return pgettext("workbook sheet", "Star ratings")


def published_results(scope: Scope):
    """Project results of rounds published (公示 begun) by the quarter's end, with their stars."""
    return RoundProject.objects.filter(
        project__organization__region__path__startswith=scope.path,
        round__status__in=PUBLISHED,
        round__publicity_starts_on__lte=scope.day,
        stars__isnull=False,
    )


def grades_in_force(scope: Scope):
    """The grade in force at the quarter's end (the latest award) of each organization active then."""
    day = scope.day
    active = organizations_as_of(day, Organization.objects.filter(region__path__startswith=scope.path))
    return (
        OrgGrade.objects.filter(in_force(day), organization__in=active.values("pk"))
        .order_by("organization_id", *LATEST)
        .distinct("organization_id")
    )


def ratings_sheet(scope: Scope) -> Sheet:
    """Project stars first, then organization grades; the first column says which."""
    grades = labels(Grade)
    star_label, grade_label = _("Project star rating"), _("Organization grade")
    place = ["organization__district__name", "organization__region__level", "organization__region__name",
             "organization__region__parent__name"]  # fmt: skip

    def places(row):
        district, level, name, parent = row
        return [*([district] if scope.is_city else []), street_name(level, name, parent), community_name(level, name)]

    def rows():
        results = (
            published_results(scope)
            .order_by("round__publicity_starts_on", "project__code", "pk")
            .values_list(
                *(f"project__{p}" for p in place),
                "round__name",
                "project__code",
                "project__title",
                "project__organization__name",
                "final_score",
                "stars",
                "round__publicity_starts_on",
            )
        )
        for row in results.iterator(chunk_size=CHUNK_SIZE):
            round_name, code, title, organization, score, stars, published = row[4:]
            yield [star_label, *places(row[:4]), organization, f"{code} {title}", round_name, score,
                   _("%(stars)s stars") % {"stars": stars}, published, None]  # fmt: skip
        grades_query = OrgGrade.objects.filter(pk__in=grades_in_force(scope).values("pk"))
        for row in (
            grades_query.order_by("organization__region__path", "organization__name", "pk")
            .values_list(*place, "organization__name", "decision_number", "score", "grade", "awarded_on", "valid_until")
            .iterator(chunk_size=CHUNK_SIZE)
        ):
            organization, decision, score, grade, awarded, until = row[4:]
            yield [grade_label, *places(row[:4]), organization, None, decision, score, grades(grade), awarded, until]

    headers = [
        pgettext("rating", "kind"),
        *([_("district")] if scope.is_city else []),
        _("street"),
        _("community"),
        _("organization"),
        _("project"),
        _("round or decision"),
        _("score"),
        pgettext("rating", "result"),
        _("published or awarded on"),
        _("valid until"),
    ]
    title = ratings_title()
    return Sheet(title, headers, rows(), caption=scope.caption(title))
