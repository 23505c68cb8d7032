"""The figure sheets: 概览 (the headline figures and the quarter's changes, one column for the node and
one for each child — a district's streets, a city's districts) and 专项行动 (the figures of the
ministry's four plans for community social organizations).

Both read reports.figures (its docstring defines every figure). A district's total is its live
`node_figures`; a city's is the sum of its districts' (`children_figures`, grouped in the same few
queries), so the city's workbook is built from its districts.

Which figure belongs to which plan (专项行动, after 民政部《培育发展社区社会组织专项行动方案》):

- 培育发展 (cultivation and development): organizations active at the quarter's end; new
  registrations and filings in the quarter; filed community organizations and their share; public
  benefit organizations (为民服务 + 公益慈善) and their share; urban and rural organizations.
- 能力提升 (capacity building): organizations with a party organization and the party organization
  coverage rate; party work coverage rate; party members; organizations graded 3A or above; projects
  rated 4 or 5 stars; people employed.
- 作用发挥 (playing their role): projects running; money contracted, paid and spent, and the spend
  rate; registered volunteers; major activities reported.
- 规范管理 (regulation): annual reports owed and overdue; abnormal-activity and serious-violation
  listings in force; ledger submissions on time, late and missing, and the on-time rate; organizations
  overdue for a regular contact; deregistrations in the quarter.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.utils.encoding import force_str
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext, pgettext_lazy

from accounts.choices import AreaKind
from core.xlsx import AMOUNT_FORMAT, RATE_FORMAT, Formatted, Sheet
from evaluation.choices import Grade
from projects.choices import FundingSource, MajorActivityStatus, Timeliness
from registry.choices import Category, LegalForm, OrganizationStatus, RegistrationLevel

from .. import figures as reports_figures
from .scope import Scope

COUNT, MONEY, RATE = "count", "money", "rate"


@dataclass(frozen=True)
class Line:
    """One figure row: its section, label, how it is read from (figures, rates) and its kind."""

    section: object
    label: object
    read: Callable[[dict, dict], object]
    kind: str = COUNT


def _figure(*keys):
    def read(figures, rates):
        value = figures
        for key in keys:
            value = value[key]
        return value

    return read


def _rate(key):
    return lambda figures, rates: rates[key]


def _sum(*paths):
    return lambda figures, rates: sum(_figure(*path)(figures, rates) for path in paths)


def cell(value, kind: str):
    """A figure as the cell holds it: counts as numbers, money as 元 amounts, rates as fractions."""
    if value is None:
        return None
    if kind == MONEY:
        return Formatted(Decimal(value), AMOUNT_FORMAT)
    if kind == RATE:
        return Formatted(Decimal(value) / 100, RATE_FORMAT)
    return value


ORGANIZATIONS = pgettext_lazy("workbook section", "Organizations")
CHANGES = pgettext_lazy("workbook section", "Changes in the quarter")
OVERSIGHT = pgettext_lazy("workbook section", "Oversight")
PARTY = pgettext_lazy("workbook section", "Party building")
PROJECTS = pgettext_lazy("workbook section", "Projects and funds")
LEDGER = pgettext_lazy("workbook section", "Ledger submissions")
ACTIVITIES = pgettext_lazy("workbook section", "Major activities")
RATINGS = pgettext_lazy("workbook section", "Ratings")


def _labelled(label, suffix):
    return lambda: f"{force_str(label)}：{force_str(suffix)}"


def overview_lines() -> list[Line]:
    """The 概览 rows in order (built per call: labels are translated when the sheet is written)."""
    lines = [
        Line(ORGANIZATIONS, gettext_lazy("Organizations active"), _figure("organizations", "total")),
        *(
            Line(ORGANIZATIONS, _labelled(_("legal form"), label)(), _figure("organizations", "by_legal_form", value))
            for value, label in LegalForm.choices
        ),
        *(
            Line(
                ORGANIZATIONS, _labelled(_("registration level"), label)(), _figure("organizations", "by_level", value)
            )
            for value, label in RegistrationLevel.choices
        ),
        *(
            Line(ORGANIZATIONS, _labelled(_("category"), label)(), _figure("organizations", "by_category", value))
            for value, label in Category.choices
        ),
        Line(ORGANIZATIONS, gettext_lazy("Public-benefit organizations"), _figure("organizations", "public_benefit")),
        Line(ORGANIZATIONS, gettext_lazy("Public-benefit share"), _rate("public_benefit_share"), RATE),
        *(
            Line(ORGANIZATIONS, _labelled(_("urban or rural"), label)(), _figure("organizations", "by_area", value))
            for value, label in [*AreaKind.choices, ("unset", pgettext("urban or rural", "Not set"))]
            if value
        ),
        *(
            Line(ORGANIZATIONS, _labelled(_("status"), label)(), _figure("organizations", "by_status", value))
            for value, label in OrganizationStatus.choices
        ),
        Line(CHANGES, gettext_lazy("New registrations"), _figure("changes", "registrations")),
        Line(CHANGES, gettext_lazy("New filings"), _figure("changes", "filings")),
        Line(CHANGES, gettext_lazy("Change registrations"), _figure("changes", "changes")),
        Line(CHANGES, gettext_lazy("Deregistrations"), _figure("changes", "deregistrations")),
        Line(OVERSIGHT, gettext_lazy("Abnormal activity listings in force"), _figure("listings", "abnormal_open")),
        Line(OVERSIGHT, gettext_lazy("Serious violation listings in force"), _figure("listings", "serious_open")),
        Line(
            OVERSIGHT,
            gettext_lazy("Abnormal activity listings begun in the quarter"),
            _figure("listings", "abnormal_listed"),
        ),
        Line(
            OVERSIGHT,
            gettext_lazy("Serious violation listings begun in the quarter"),
            _figure("listings", "serious_listed"),
        ),
        Line(OVERSIGHT, gettext_lazy("Annual reports owed"), _figure("annual_reports", "owed")),
        Line(
            OVERSIGHT,
            gettext_lazy("Annual work reports owed to the bureau"),
            _figure("annual_reports", "owed_registered"),
        ),
        Line(
            OVERSIGHT, gettext_lazy("Annual status reports owed to the street"), _figure("annual_reports", "owed_filed")
        ),
        Line(OVERSIGHT, gettext_lazy("Annual reports overdue"), _figure("annual_reports", "overdue")),
        Line(PARTY, pgettext_lazy("party statistics", "Organizations"), _figure("party", "organizations")),
        Line(PARTY, pgettext_lazy("party statistics", "People employed"), _figure("party", "staff")),
        Line(PARTY, pgettext_lazy("party statistics", "Registered volunteers"), _figure("party", "volunteers")),
        Line(
            PARTY,
            pgettext_lazy("party statistics", "Organizations with a party organization"),
            _figure("party", "with_party_organization"),
        ),
        Line(
            PARTY,
            pgettext_lazy("party statistics", "Party organization coverage (%)"),
            _rate("party_organization_rate"),
            RATE,
        ),
        Line(PARTY, pgettext_lazy("party statistics", "Party organizations"), _figure("party", "party_organizations")),
        Line(PARTY, pgettext_lazy("party statistics", "Party members"), _figure("party", "party_members")),
        Line(
            PARTY,
            pgettext_lazy("party statistics", "Organizations with party work covered"),
            _figure("party", "work_covered"),
        ),
        Line(PARTY, pgettext_lazy("party statistics", "Party work coverage (%)"), _rate("work_coverage_rate"), RATE),
        Line(
            PARTY, pgettext_lazy("party statistics", "Organizations overdue for a contact"), _figure("party", "overdue")
        ),
        Line(PROJECTS, gettext_lazy("Projects running"), _figure("projects", "count")),
        Line(PROJECTS, gettext_lazy("Contracted (yuan)"), _figure("projects", "contracted"), MONEY),
        Line(PROJECTS, gettext_lazy("Paid (yuan)"), _figure("projects", "paid"), MONEY),
        Line(PROJECTS, gettext_lazy("Spent (yuan)"), _figure("projects", "spent"), MONEY),
        Line(PROJECTS, gettext_lazy("Balance: paid less spent (yuan)"), _figure("projects", "balance"), MONEY),
        Line(PROJECTS, gettext_lazy("Payment rate"), _rate("payment_rate"), RATE),
        Line(PROJECTS, gettext_lazy("Spend rate"), _rate("spend_rate"), RATE),
    ]
    for value, label in FundingSource.choices:
        lines += [
            Line(PROJECTS, _labelled(label, _("projects"))(), _figure("projects", "by_source", value, "count")),
            Line(
                PROJECTS,
                _labelled(label, _("Contracted (yuan)"))(),
                _figure("projects", "by_source", value, "contracted"),
                MONEY,
            ),
            Line(
                PROJECTS, _labelled(label, _("Paid (yuan)"))(), _figure("projects", "by_source", value, "paid"), MONEY
            ),
            Line(
                PROJECTS, _labelled(label, _("Spent (yuan)"))(), _figure("projects", "by_source", value, "spent"), MONEY
            ),
        ]
    lines += [
        Line(LEDGER, gettext_lazy("Submissions expected"), _figure("ledger", "expected")),
        *(Line(LEDGER, label, _figure("ledger", value)) for value, label in Timeliness.choices),
        Line(LEDGER, gettext_lazy("On-time rate"), _rate("ledger_on_time_rate"), RATE),
        Line(LEDGER, gettext_lazy("Submission rate"), _rate("ledger_submission_rate"), RATE),
        Line(ACTIVITIES, gettext_lazy("Major activities reported"), _figure("major_activities", "reported")),
        *(
            Line(ACTIVITIES, _labelled(_("status"), label)(), _figure("major_activities", value))
            for value, label in MajorActivityStatus.choices
        ),
        Line(ACTIVITIES, gettext_lazy("Reported late"), _figure("major_activities", "late")),
        Line(ACTIVITIES, gettext_lazy("With foreign involvement"), _figure("major_activities", "foreign")),
        *(
            Line(RATINGS, _("%(stars)s stars") % {"stars": value}, _figure("evaluation", "stars", str(value)))
            for value in Grade.values
        ),
        *(
            Line(RATINGS, _labelled(_("grade"), label)(), _figure("evaluation", "grades", str(value)))
            for value, label in Grade.choices
        ),
    ]
    return lines


def overview_title() -> str:
    return pgettext("workbook sheet", "Overview")


def node_and_children(scope: Scope) -> tuple[dict, list[dict]]:
    """The node's figures and its children's entries (reports.figures.children_figures). A city's
    total is the sum of its districts'."""
    children = reports_figures.children_figures(scope.region, scope.year, scope.quarter, today=scope.today)
    if scope.is_city:
        total = reports_figures.empty()
        for child in children:
            total = reports_figures.add(total, child["figures"])
    else:
        total = reports_figures.node_figures(scope.region, scope.year, scope.quarter, today=scope.today)
    return total, children


def overview_sheet(scope: Scope, total: dict, children: list[dict]) -> Sheet:
    total_rates = reports_figures.rates(total)
    columns = [(total, total_rates)] + [(c["figures"], reports_figures.rates(c["figures"])) for c in children]

    def child_name(child):
        if child.get("direct"):
            return _("Attached to %(region)s directly") % {"region": scope.region.name}
        return child["name"]

    headers = [
        pgettext("workbook", "section"),
        pgettext("workbook", "figure"),
        pgettext("workbook", "%(region)s total") % {"region": scope.region.name},
        *(child_name(child) for child in children),
    ]

    def rows():
        for line in overview_lines():
            yield [
                force_str(line.section),
                force_str(line.label),
                *(cell(line.read(figures, rates), line.kind) for figures, rates in columns),
            ]

    title = overview_title()
    return Sheet(title, headers, rows(), caption=scope.caption(title))


# ------------------------------------------------------------------------------------ the four plans

CULTIVATE = pgettext_lazy("special campaign", "Cultivation and development")
CAPACITY = pgettext_lazy("special campaign", "Capacity building")
ROLE = pgettext_lazy("special campaign", "Playing their role")
REGULATE = pgettext_lazy("special campaign", "Regulation")


def plan_lines() -> list[tuple[Line, object]]:
    """(figure, the rule it counts in words) of each plan, in order (see the module docstring)."""
    organizations_rule = gettext_lazy("Active at the quarter's end")
    quarter_rule = gettext_lazy("Decided in the quarter")
    return [
        (Line(CULTIVATE, gettext_lazy("Organizations active"), _figure("organizations", "total")), organizations_rule),
        (
            Line(
                CULTIVATE,
                gettext_lazy("New registrations and filings"),
                _sum(("changes", "registrations"), ("changes", "filings")),
            ),
            quarter_rule,
        ),
        (
            Line(
                CULTIVATE,
                gettext_lazy("Filed community organizations"),
                _figure("organizations", "by_level", RegistrationLevel.FILED),
            ),
            organizations_rule,
        ),
        (
            Line(CULTIVATE, gettext_lazy("Filed share"), _rate("filed_share"), RATE),
            gettext_lazy("Filed community organizations / organizations active"),
        ),
        (
            Line(CULTIVATE, gettext_lazy("Public-benefit organizations"), _figure("organizations", "public_benefit")),
            gettext_lazy("Resident services and charity"),
        ),
        (
            Line(CULTIVATE, gettext_lazy("Public-benefit share"), _rate("public_benefit_share"), RATE),
            gettext_lazy("Public-benefit organizations / organizations active"),
        ),
        (
            Line(CULTIVATE, gettext_lazy("Urban organizations"), _figure("organizations", "by_area", "urban")),
            organizations_rule,
        ),
        (
            Line(CULTIVATE, gettext_lazy("Rural organizations"), _figure("organizations", "by_area", "rural")),
            organizations_rule,
        ),
        (
            Line(
                CAPACITY,
                pgettext_lazy("party statistics", "Organizations with a party organization"),
                _figure("party", "with_party_organization"),
            ),
            gettext_lazy("Own or joint party organization"),
        ),
        (
            Line(
                CAPACITY,
                pgettext_lazy("party statistics", "Party organization coverage (%)"),
                _rate("party_organization_rate"),
                RATE,
            ),
            gettext_lazy("In the published format"),
        ),
        (
            Line(
                CAPACITY,
                pgettext_lazy("party statistics", "Party work coverage (%)"),
                _rate("work_coverage_rate"),
                RATE,
            ),
            gettext_lazy("In the published format"),
        ),
        (
            Line(CAPACITY, pgettext_lazy("party statistics", "Party members"), _figure("party", "party_members")),
            gettext_lazy("Full and probationary members among the staff"),
        ),
        (
            Line(
                CAPACITY,
                gettext_lazy("Organizations graded 3A or above"),
                _sum(*(("evaluation", "grades", str(g)) for g in (3, 4, 5))),
                COUNT,
            ),
            gettext_lazy("Grade in force at the quarter's end"),
        ),
        (
            Line(
                CAPACITY,
                gettext_lazy("Projects rated 4 or 5 stars"),
                _sum(("evaluation", "stars", "4"), ("evaluation", "stars", "5")),
            ),
            gettext_lazy("Published evaluation results"),
        ),
        (
            Line(CAPACITY, pgettext_lazy("party statistics", "People employed"), _figure("party", "staff")),
            organizations_rule,
        ),
        (
            Line(ROLE, gettext_lazy("Projects running"), _figure("projects", "count")),
            gettext_lazy("Approved projects whose period overlaps the quarter"),
        ),
        (
            Line(ROLE, gettext_lazy("Contracted (yuan)"), _figure("projects", "contracted"), MONEY),
            gettext_lazy("Current contracts of those projects"),
        ),
        (
            Line(ROLE, gettext_lazy("Paid (yuan)"), _figure("projects", "paid"), MONEY),
            gettext_lazy("From each project's start to the quarter's end"),
        ),
        (
            Line(ROLE, gettext_lazy("Spent (yuan)"), _figure("projects", "spent"), MONEY),
            gettext_lazy("From each project's start to the quarter's end"),
        ),
        (Line(ROLE, gettext_lazy("Spend rate"), _rate("spend_rate"), RATE), gettext_lazy("Spent / paid")),
        (
            Line(ROLE, pgettext_lazy("party statistics", "Registered volunteers"), _figure("party", "volunteers")),
            organizations_rule,
        ),
        (
            Line(ROLE, gettext_lazy("Major activities reported"), _figure("major_activities", "reported")),
            gettext_lazy("Reported in the quarter"),
        ),
        (
            Line(REGULATE, gettext_lazy("Annual reports owed"), _figure("annual_reports", "owed")),
            gettext_lazy("Reports on the previous year not submitted"),
        ),
        (
            Line(REGULATE, gettext_lazy("Annual reports overdue"), _figure("annual_reports", "overdue")),
            gettext_lazy("Owed after the due date"),
        ),
        (
            Line(REGULATE, gettext_lazy("Abnormal activity listings in force"), _figure("listings", "abnormal_open")),
            gettext_lazy("At the quarter's end"),
        ),
        (
            Line(REGULATE, gettext_lazy("Serious violation listings in force"), _figure("listings", "serious_open")),
            gettext_lazy("At the quarter's end"),
        ),
        (
            Line(REGULATE, gettext_lazy("Ledger submissions on time"), _figure("ledger", Timeliness.ON_TIME)),
            gettext_lazy("The quarter's submissions"),
        ),
        (
            Line(REGULATE, gettext_lazy("Ledger submissions late"), _figure("ledger", Timeliness.LATE)),
            gettext_lazy("The quarter's submissions"),
        ),
        (
            Line(REGULATE, gettext_lazy("Ledger submissions missing"), _figure("ledger", Timeliness.MISSING)),
            gettext_lazy("The quarter's submissions"),
        ),
        (
            Line(REGULATE, gettext_lazy("On-time rate"), _rate("ledger_on_time_rate"), RATE),
            gettext_lazy("On time / submissions due"),
        ),
        (
            Line(
                REGULATE,
                pgettext_lazy("party statistics", "Organizations overdue for a contact"),
                _figure("party", "overdue"),
            ),
            gettext_lazy("Regular contact rule"),
        ),
        (Line(REGULATE, gettext_lazy("Deregistrations"), _figure("changes", "deregistrations")), quarter_rule),
    ]


def plans_title() -> str:
    return pgettext("workbook sheet", "Special campaigns")


def plans_sheet(scope: Scope, total: dict) -> Sheet:
    total_rates = reports_figures.rates(total)
    headers = [
        pgettext("workbook", "plan"),
        pgettext("workbook", "figure"),
        pgettext("workbook", "value"),
        pgettext("workbook", "rule"),
    ]

    def rows():
        for line, rule in plan_lines():
            yield [
                force_str(line.section),
                force_str(line.label),
                cell(line.read(total, total_rates), line.kind),
                force_str(rule),
            ]

    title = plans_title()
    return Sheet(title, headers, rows(), caption=scope.caption(title))
