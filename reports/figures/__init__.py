"""The dashboard's figures of a jurisdiction node for a quarter (reports.figures).

Figures are additive: counts and money sums only, so a node's figures are the sum of its children's
(plus the organizations attached to the node itself), and a city's the sum of its districts'
rollups. Rates are derived when shown (`rates`). Every figure dict is JSON-safe: ints, money as
strings with two decimals ("1234.50", never floats), nested dicts with string keys. Every key below
is always present (zero when nothing counts), so templates and the workbook never test for a key.

Days. `end` is the quarter's last day; `day` (the "as of" day) is min(end, today) — a figure of the
current quarter is as of today. Decisions "in the quarter" fall on a day between the quarter's first
day and `end` (local time). The subtree of a node is every row whose region's path starts with the
node's path.

Keys of `node_figures(region, year, quarter)` (and of each value of `children_figures`):

"organizations" — the register at `day` (party.selectors.organizations_as_of: started — established,
    or recorded when no date is known — on or before `day` and not deregistered/revoked by then):
    "total": int — organizations active at `day`;
    "by_legal_form": {LegalForm value: int} — active, every registry.choices.LegalForm value;
    "by_category": {Category value: int} — active, every registry.choices.Category value;
    "by_level": {"registered": int, "filed": int} — active, registration level;
    "by_area": {"urban": int, "rural": int, "unset": int} — active, by their region's area_kind (a
        community left blank takes its street's; an organization attached to a street its street's);
    "by_status": {OrganizationStatus value: int} — every organization started by `day`, by its
        status at `day` (one whose status changed after `day` counts as active);
    "public_benefit": int — active organizations of the categories 为民服务 (resident_services) and
        公益慈善 (charity) (PUBLIC_BENEFIT_CATEGORIES).
"changes" — registry applications approved (reviewed_at) in the quarter:
    "registrations" (establish), "filings" (file), "changes" (change), "deregistrations"
    (deregister): int each.
"listings" — supervision lists:
    "abnormal_open": int — abnormal-activity listings in force at `day` (listed on or before it,
        not removed by then);
    "serious_open": int — serious-violation listings in force at `day`;
    "abnormal_listed", "serious_listed": int — listings that began in the quarter.
"annual_reports" — reports on the year before `end`'s year (annual_report_year: Q1–Q4 2026 → the
    2025 reports, due 31 May 2026), by supervision.selectors.owing (active organizations established by
    that year's end with no submitted or concluded report — the same rule as the "owing" list):
    "owed": int, "owed_registered": int (work reports to the bureau), "owed_filed": int (status
    reports to the street);
    "overdue": int — of "owed", the same count when `day` is past the due date
        (supervision.services.annual_reports.annual_report_due_on), else 0.
"party" — party coverage in the published format at `day` (party.statistics.statistics, its rules):
    "organizations", "staff" (people employed), "volunteers", "with_party_organization",
    "party_organizations", "level_committee", "level_general_branch", "level_branch",
    "formation_standalone", "formation_joint", "formation_composite", "formation_alliance",
    "party_members",
    "work_covered", "should_form_own", "contacts" (contacts in the party period holding `day`),
    "overdue" (organizations overdue for a contact): int each (party.statistics.COUNT_KEYS).
"projects" — projects approved or later (not merely applied for) whose period overlaps the quarter
    up to `day` (start_date <= day and end_date >= the quarter's first day); money cumulative from
    the project's start to `day`:
    "count": int;
    "contracted": money — current versions of their contracts signed on or before `day`;
    "paid": money — payments (拨付, reversals included as negatives) paid on or before `day`;
    "spent": money — expenditures (reversals included) dated on or before `day`;
    "balance": money — paid − spent (结余: money received and not yet spent);
    "by_source": {FundingSource value: {"count", "contracted", "paid", "spent", "balance"}} — every
        projects.choices.FundingSource value;
    "by_funder": {"<funder id>": {"name": str, "kind": FunderKind value, "count", "contracted",
        "paid", "spent", "balance"}} — only funders with a project counted.
"ledger" — quarterly submissions of the quarter (projects.periods.timeliness and the rule of
    projects.selectors.timeliness_rows: projects in progress, in review or closed whose period
    overlaps the quarter; judged by the first submission against projects.periods.due_date, today):
    "expected": int, "on_time": int, "late": int, "missing": int, "not_due": int (all zero for a
    quarter that has not started).
"major_activities" — major-activity reports reported (reported_on) in the quarter:
    "reported": int, "submitted" / "acknowledged" / "objected": int by status (MajorActivityStatus),
    "late": int (reported late), "foreign": int (foreign involvement).
"evaluation":
    "stars": {"1".."5": int} — published evaluation results (rounds in publicity or closed whose
        publicity began on or before `day`) of projects of the subtree's organizations, by stars;
    "grades": {"1".."5": int} — organizations (active at `day`) by their grade (1A–5A) in force at
        `day` (evaluation.grading.in_force; the latest award when several).

`children_figures(region, year, quarter)` → [{"code", "name", "level", "path", "figures"}] for each
child node in code order, and one more with "code" == the node's own code when organizations are
attached to the node itself ("direct": True on that entry, False on the others); the same queries as
node_figures (grouped by child).

`add(a, b)` sums two figure dicts (money as Decimal then back to strings; a funder's name and kind
are kept). `empty()` is the all-zero figure dict.

`rates(figures)` → Decimal percentages to one decimal, rounded half up, or None when the whole is 0:
    "public_benefit_share" = public_benefit / organizations.total;
    "filed_share" = by_level.filed / organizations.total;
    "party_organization_rate" = party.with_party_organization / party.organizations;
    "work_coverage_rate" = party.work_covered / party.organizations;
    "ledger_on_time_rate" = ledger.on_time / (expected − not_due);
    "ledger_submission_rate" = (on_time + late) / (expected − not_due);
    "payment_rate" = projects.paid / projects.contracted;
    "spend_rate" = projects.spent / projects.paid;
    "annual_report_owed_share" = annual_reports.owed / organizations.total.

`dashboard(region, year, quarter, today=None)` → {
    "node": {"code", "name", "level", "path", "figures", "rates"},
    "children": children_figures' entries, each with "rates" too,
    "trend": 8 points, oldest first: {"year", "quarter", "key" ("2026Q3"), "label" (2026年第3季度),
        "organizations" (organizations.total), "registrations", "filings", "changes",
        "deregistrations", "abnormal_open", "serious_open", "ledger_expected", "ledger_on_time",
        "ledger_late", "ledger_missing", "ledger_not_due"} (TREND_KEYS),
    "source": "live" (a district, street or community) or "rollup" (a city: the sum of its districts'
        Rollup rows; a district without a row counts as zeros and is named in "missing"),
    "as_of": an aware datetime — now for live figures, the oldest refreshed_at of the rows read for
        a rollup (None when no row exists),
    "missing": [district codes without a rollup row for the quarter] (always [] when live),
    "year", "quarter", "label", "key"}.
"""

from .dashboard import dashboard
from .live import children_figures, node_figures
from .schema import (
    PUBLIC_BENEFIT_CATEGORIES,
    TREND_KEYS,
    add,
    annual_report_year,
    empty,
    rates,
)

__all__ = [
    "PUBLIC_BENEFIT_CATEGORIES",
    "TREND_KEYS",
    "add",
    "annual_report_year",
    "children_figures",
    "dashboard",
    "empty",
    "node_figures",
    "rates",
]
