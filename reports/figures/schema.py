"""The shape of a figure dict (see the package docstring): the all-zero dict, the sum of two, and
the rates derived from one."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from evaluation.choices import Grade
from party.statistics import COUNT_KEYS as PARTY_KEYS
from projects.choices import FundingSource, MajorActivityStatus, Timeliness
from registry.choices import Category, LegalForm, OrganizationStatus, RegistrationLevel

PUBLIC_BENEFIT_CATEGORIES = (Category.RESIDENT_SERVICES, Category.CHARITY)
AREAS = ("urban", "rural", "unset")
CHANGE_KEYS = ("registrations", "filings", "changes", "deregistrations")
LISTING_KEYS = ("abnormal_open", "serious_open", "abnormal_listed", "serious_listed")
REPORT_KEYS = ("owed", "owed_registered", "owed_filed", "overdue")
MONEY_KEYS = ("contracted", "paid", "spent", "balance")
LEDGER_KEYS = ("expected", *(value for value in Timeliness.values))
ACTIVITY_KEYS = ("reported", *MajorActivityStatus.values, "late", "foreign")
LEVELS = tuple(str(value) for value in Grade.values)
# Keys of text inside a figure dict (a funder's name and kind): kept, not added.
TEXT_KEYS = frozenset({"name", "kind"})
TREND_KEYS = (
    "organizations",
    "registrations",
    "filings",
    "changes",
    "deregistrations",
    "abnormal_open",
    "serious_open",
    "ledger_expected",
    "ledger_on_time",
    "ledger_late",
    "ledger_missing",
    "ledger_not_due",
)

ZERO = Decimal("0.00")
CENT = Decimal("0.01")
ONE_DECIMAL = Decimal("0.1")


def annual_report_year(year: int, quarter: int) -> int:
    """The year whose annual reports a quarter's figures count as owed: the year before."""
    return year - 1


def money(value) -> str:
    """A sum of money as the figures keep it: a string with two decimals."""
    return str((Decimal(value) if value is not None else ZERO).quantize(CENT, rounding=ROUND_HALF_UP))


def money_block() -> dict:
    return {"count": 0, **dict.fromkeys(MONEY_KEYS, money(0))}


def empty() -> dict:
    """The figure dict with every key, all zero."""
    return {
        "organizations": {
            "total": 0,
            "by_legal_form": dict.fromkeys(LegalForm.values, 0),
            "by_category": dict.fromkeys(Category.values, 0),
            "by_level": dict.fromkeys(RegistrationLevel.values, 0),
            "by_area": dict.fromkeys(AREAS, 0),
            "by_status": dict.fromkeys(OrganizationStatus.values, 0),
            "public_benefit": 0,
        },
        "changes": dict.fromkeys(CHANGE_KEYS, 0),
        "listings": dict.fromkeys(LISTING_KEYS, 0),
        "annual_reports": dict.fromkeys(REPORT_KEYS, 0),
        "party": dict.fromkeys(PARTY_KEYS, 0),
        "projects": {
            **money_block(),
            "by_source": {source: money_block() for source in FundingSource.values},
            "by_funder": {},
        },
        "ledger": dict.fromkeys(LEDGER_KEYS, 0),
        "major_activities": dict.fromkeys(ACTIVITY_KEYS, 0),
        "evaluation": {"stars": dict.fromkeys(LEVELS, 0), "grades": dict.fromkeys(LEVELS, 0)},
    }


def _is_money(value) -> bool:
    return isinstance(value, str) and not isinstance(value, bool)


def add(a: dict, b: dict) -> dict:
    """The sum of two figure dicts (new dict; neither is changed). Keys missing on one side count as
    zero; money strings are added as Decimals; a funder's name and kind are kept from either side."""
    result = {}
    for key in {**a, **b}:
        left, right = a.get(key), b.get(key)
        if left is None or right is None:
            value = left if right is None else right
            result[key] = add(value, {}) if isinstance(value, dict) else value
        elif isinstance(left, dict):
            result[key] = add(left, right)
        elif key in TEXT_KEYS:
            result[key] = left or right
        elif _is_money(left) or _is_money(right):
            result[key] = money(Decimal(left or 0) + Decimal(right or 0))
        else:
            result[key] = left + right
    return result


def total(figures_list) -> dict:
    """The sum of several figure dicts (all zero for none)."""
    result = empty()
    for figures in figures_list:
        result = add(result, figures)
    return result


def rate(part, whole) -> Decimal | None:
    """part / whole as a percentage to one decimal, rounded half up; None when whole is 0."""
    whole = Decimal(whole or 0)
    if not whole:
        return None
    return (Decimal(part or 0) * 100 / whole).quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP)


def rates(figures: dict) -> dict:
    """The derived rates of a figure dict (see the package docstring)."""
    organizations, party = figures["organizations"], figures["party"]
    ledger, projects = figures["ledger"], figures["projects"]
    judged = ledger["expected"] - ledger[Timeliness.NOT_DUE]
    return {
        "public_benefit_share": rate(organizations["public_benefit"], organizations["total"]),
        "filed_share": rate(organizations["by_level"][RegistrationLevel.FILED], organizations["total"]),
        "party_organization_rate": rate(party["with_party_organization"], party["organizations"]),
        "work_coverage_rate": rate(party["work_covered"], party["organizations"]),
        "ledger_on_time_rate": rate(ledger[Timeliness.ON_TIME], judged),
        "ledger_submission_rate": rate(ledger[Timeliness.ON_TIME] + ledger[Timeliness.LATE], judged),
        "payment_rate": rate(projects["paid"], projects["contracted"]),
        "spend_rate": rate(projects["spent"], projects["paid"]),
        "annual_report_owed_share": rate(figures["annual_reports"]["owed"], organizations["total"]),
    }


def trend_point(figures: dict) -> dict:
    """The few figures of a trend point (TREND_KEYS) taken from a full figure dict."""
    changes, listings, ledger = figures["changes"], figures["listings"], figures["ledger"]
    return {
        "organizations": figures["organizations"]["total"],
        **{key: changes[key] for key in CHANGE_KEYS},
        "abnormal_open": listings["abnormal_open"],
        "serious_open": listings["serious_open"],
        **{f"ledger_{key}": ledger[key] for key in LEDGER_KEYS},
    }
