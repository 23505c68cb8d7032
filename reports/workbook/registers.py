"""The register's sheets: 社会组织名录 (the organizations active at the quarter's end), 登记变动 (the
applications approved in the quarter), 年度报告 (who owes last year's report and how it stands at the
quarter's end) and 活动异常名录 (abnormal-activity and serious-violation listings in force at any
time in the quarter)."""

from __future__ import annotations

from django.db.models import CharField, F, OuterRef, Q, Subquery, Value
from django.db.models.fields.json import KT
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from accounts.choices import AreaKind
from core.xlsx import AMOUNT_FORMAT, Sheet
from evaluation.choices import Grade
from evaluation.grading import LATEST, in_force
from evaluation.models import OrgGrade
from party.selectors import organizations_as_of
from registry.choices import (
    ApplicationKind,
    ApplicationState,
    Category,
    LegalForm,
    OrganizationStatus,
    RegistrationLevel,
)
from registry.models import Application, Organization
from supervision.choices import AnnualReportConclusion, AnnualReportStatus, ListingReason, SeriousListingReason
from supervision.models import AbnormalListing, AnnualReport, SeriousViolationListing
from supervision.selectors import report_filed
from supervision.services.annual_reports import annual_report_due_on

from .scope import Column, Scope, community_name, labels, list_sheet, place_columns, street_name


def _area_kind_label():
    names = labels(AreaKind)

    def read(own, parent):
        value = own or parent
        return names(value) if value else None

    return read


def grade_on(day, organization="pk"):
    """Subquery: the organization's grade (1–5) in force on `day` (the latest award), None without one."""
    return Subquery(
        OrgGrade.objects.filter(in_force(day), organization=OuterRef(organization))
        .order_by(*LATEST)
        .values("grade")[:1]
    )


def organizations_title() -> str:
    return pgettext("workbook sheet", "Register of organizations")


def organizations_sheet(scope: Scope) -> Sheet:
    day = scope.day
    queryset = (
        organizations_as_of(day, Organization.objects.filter(region__path__startswith=scope.path))
        .annotate(grade_now=grade_on(day))
        .order_by("region__path", "name", "pk")
    )
    grades = labels(Grade)
    columns = [
        *place_columns(scope, "region", "district"),
        Column(_("name"), ("name",)),
        Column(_("code / filing number"), ("uscc", "filing_number"), lambda uscc, filing: uscc or filing),
        Column(_("legal form"), ("legal_form",), labels(LegalForm)),
        Column(_("registration level"), ("registration_level",), labels(RegistrationLevel)),
        Column(_("category"), ("category",), labels(Category)),
        Column(_("urban or rural"), ("region__area_kind", "region__parent__area_kind"), _area_kind_label()),
        Column(_("legal representative / person in charge"), ("legal_representative",)),
        Column(_("phone"), ("phone",)),
        Column(_("established on"), ("established_on",)),
        Column(_("funds (10,000 yuan)"), ("funds",), None, "#,##0.00"),
        Column(_("members"), ("member_count",)),
        Column(_("staff"), ("staff_count",)),
        Column(_("volunteers"), ("volunteer_count",)),
        Column(_("grade"), ("grade_now",), lambda grade: grades(grade) if grade else None),
        Column(_("status"), ("status",), labels(OrganizationStatus)),
    ]
    return list_sheet(scope, organizations_title(), queryset, columns)


def changes_title() -> str:
    return pgettext("workbook sheet", "Registration changes")


def approved_in_quarter(scope: Scope):
    """Applications approved (decided) within the quarter in the node's subtree."""
    return Application.objects.filter(
        region__path__startswith=scope.path,
        state=ApplicationState.APPROVED,
        reviewed_at__date__gte=scope.start,
        reviewed_at__date__lte=scope.end,
    )


def changes_sheet(scope: Scope) -> Sheet:
    queryset = (
        approved_in_quarter(scope)
        .annotate(
            organization_name=Coalesce(F("organization__name"), KT("data__name"), Value(""), output_field=CharField())
        )
        .order_by("reviewed_at", "pk")
    )
    columns = [
        *place_columns(scope, "region", "district"),
        Column(_("application number"), ("number",)),
        Column(_("kind"), ("kind",), labels(ApplicationKind)),
        Column(_("organization"), ("organization_name",)),
        Column(_("legal form"), ("legal_form",), labels(LegalForm)),
        Column(_("submitted at"), ("submitted_at",)),
        Column(_("decided at"), ("reviewed_at",)),
    ]
    return list_sheet(scope, changes_title(), queryset, columns)


def annual_reports_title() -> str:
    return pgettext("workbook sheet", "Annual reports")


def report_year(scope: Scope) -> int:
    """The year whose annual reports are due in the quarter's year (by 31 May)."""
    return scope.year - 1


def annual_reports_sheet(scope: Scope) -> Sheet:
    """Every organization that owes a report on the report year (supervision.selectors.owing: active,
    established by that year's end) or has filed one, with its report as it stands now: the rows not
    submitted or concluded are reports.figures' "owed"."""
    year = report_year(scope)
    reports = AnnualReport.objects.filter(organization=OuterRef("pk"), year=year).order_by("-pk")
    queryset = (
        Organization.objects.filter(region__path__startswith=scope.path)
        .filter(Q(established_on__isnull=True) | Q(established_on__year__lte=year))
        .filter(Q(status=OrganizationStatus.ACTIVE) | report_filed(year))
        .annotate(
            report_status=Subquery(reports.values("status")[:1]),
            report_due=Subquery(reports.values("due_on")[:1]),
            report_submitted=Subquery(reports.values("submitted_at")[:1]),
            report_conclusion=Subquery(reports.values("conclusion")[:1]),
            report_income=Subquery(reports.values("income")[:1]),
            report_expenditure=Subquery(reports.values("expenditure")[:1]),
        )
        .order_by("region__path", "name", "pk")
    )
    statuses = labels(AnnualReportStatus)
    default_due = annual_report_due_on(year)
    conclusions = labels(AnnualReportConclusion)
    not_started = _("Not started")

    def owed(level):
        if level == RegistrationLevel.FILED:
            return _("Annual status report to the street")
        return _("Annual work report to the bureau")

    columns = [
        *place_columns(scope, "region", "district"),
        Column(_("organization"), ("name",)),
        Column(_("code / filing number"), ("uscc", "filing_number"), lambda uscc, filing: uscc or filing),
        Column(_("kind of report"), ("registration_level",), owed),
        Column(_("report year"), ("pk",), lambda _pk: year),
        Column(_("due on"), ("report_due",), lambda due: due or default_due),
        Column(_("status"), ("report_status",), lambda status: statuses(status) if status else not_started),
        Column(pgettext("annual report", "submitted at"), ("report_submitted",)),
        Column(_("conclusion"), ("report_conclusion",), lambda value: conclusions(value) if value else None),
        Column(_("income (yuan)"), ("report_income",), None, AMOUNT_FORMAT),
        Column(_("expenditure (yuan)"), ("report_expenditure",), None, AMOUNT_FORMAT),
    ]
    return list_sheet(scope, annual_reports_title(), queryset, columns)


def listings_title() -> str:
    return pgettext("workbook sheet", "Abnormal activity lists")


def _in_force_during(queryset, scope: Scope):
    return queryset.filter(
        Q(ended_on__isnull=True) | Q(ended_on__gte=scope.start),
        organization__region__path__startswith=scope.path,
        listed_on__lte=scope.end,
    )


def listings_sheet(scope: Scope) -> Sheet:
    """Both lists in one table (the first column says which), so one filter serves both."""
    abnormal = _in_force_during(AbnormalListing.objects.all(), scope).annotate(
        list_kind=Value("abnormal", output_field=CharField())
    )
    serious = _in_force_during(SeriousViolationListing.objects.all(), scope).annotate(
        list_kind=Value("serious", output_field=CharField())
    )
    fields = (
        "list_kind",
        "organization__region__path",
        "organization__district__name",
        "organization__region__level",
        "organization__region__name",
        "organization__region__parent__name",
        "organization__name",
        "organization__uscc",
        "organization__filing_number",
        "reason",
        "listed_on",
        "ended_on",
    )
    queryset = (
        abnormal.values_list(*fields)
        .union(serious.values_list(*fields), all=True)
        .order_by("list_kind", "organization__region__path", "listed_on")
    )
    kinds = {"abnormal": _("Abnormal activity list"), "serious": _("Serious violation list")}
    reasons = {**{v: str(label) for v, label in ListingReason.choices},
               **{v: str(label) for v, label in SeriousListingReason.choices}}  # fmt: skip
    day = scope.day

    def rows():
        for (
            kind,
            _path,
            district,
            level,
            name,
            parent,
            organization,
            uscc,
            filing,
            reason,
            listed,
            ended,
        ) in queryset.iterator(chunk_size=2000):
            place = [district] if scope.is_city else []
            open_now = listed <= day and (ended is None or ended > day)
            yield [
                kinds[kind],
                *place,
                street_name(level, name, parent),
                community_name(level, name),
                organization,
                uscc or filing,
                reasons.get(reason, reason),
                listed,
                ended,
                open_now,
            ]

    headers = [
        pgettext("listing", "list"),
        *([_("district")] if scope.is_city else []),
        _("street"),
        _("community"),
        _("organization"),
        _("code / filing number"),
        pgettext("listing", "reason"),
        _("listed on"),
        _("removed on"),
        _("listed at the quarter's end"),
    ]
    title = listings_title()
    return Sheet(title, headers, rows(), caption=scope.caption(title))
