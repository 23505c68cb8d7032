"""What the dashboard page draws from `reports.figures.dashboard()`: the headline cards, each section's
charts (data for ECharts, with the list behind every value and the words a screen reader hears) and
the tables under them. Figures come from reports.figures; URLs from reports.links."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from accounts.choices import AreaKind
from party import statistics as party_statistics
from projects.choices import FundingSource, MajorActivityStatus, Timeliness
from registry.choices import Category, LegalForm, OrganizationStatus, RegistrationLevel

from .figures import PUBLIC_BENEFIT_CATEGORIES
from .links import FigureLinks


def money(value) -> str:
    """Yuan with thousands separators and two decimals: 1,234.50."""
    return f"{Decimal(value):,.2f}"


def percent(value: Decimal | None) -> str:
    return "—" if value is None else f"{value}%"


def cell(text, url: str | None = None, figure: str = "") -> dict:
    return {"text": text, "url": url, "figure": figure}


def chart(
    chart_id: str,
    title: str,
    kind: str,
    categories: list[str],
    series: list[dict],
    *,
    unit: str = "",
    headers: list[str] | None = None,
    texts=None,
) -> dict:
    """One chart: `series` = [{"name", "data" (numbers), "links" (a URL or None per category)}], and
    its table (a row per category, a column per series; `texts` formats a value for the table)."""
    texts = texts or (lambda value: value)
    headers = headers or ["", *(item["name"] for item in series)]
    if len(series) == 1:
        words = "，".join(f"{name} {texts(series[0]['data'][i])}" for i, name in enumerate(categories))
    else:
        words = "；".join(
            f"{name}：" + "，".join(f"{item['name']} {texts(item['data'][i])}" for item in series)
            for i, name in enumerate(categories)
        )
    rows = [
        [cell(name), *(cell(texts(item["data"][i]), (item.get("links") or {}).get(i)) for item in series)]
        for i, name in enumerate(categories)
    ]
    for item in series:
        links = item.get("links") or {}
        item["links"] = [links.get(i) for i in range(len(categories))]
        item["data"] = [float(value) if isinstance(value, Decimal | str) else value for value in item["data"]]
    return {
        "id": chart_id,
        "data_id": f"{chart_id}-data",
        "title": title,
        "kind": kind,
        "unit": unit,
        "categories": categories,
        "series": series,
        "description": f"{title}。{words}。" if words else f"{title}。",
        "headers": headers,
        "rows": rows,
    }


def _choice_series(name: str, counts: dict, choices, link) -> tuple[list[str], dict]:
    values = list(choices.values)
    categories = [str(label) for label in choices.labels]
    series = {
        "name": name,
        "data": [counts.get(v, 0) for v in values],
        "links": {i: link(v) for i, v in enumerate(values)},
    }
    return categories, series


def headline(figures: dict, rates: dict, links: FigureLinks) -> list[dict]:
    """The few figures a leader reads first (the dashboard's cards and the home page's)."""
    organizations, changes = figures["organizations"], figures["changes"]
    projects, ledger = figures["projects"], figures["ledger"]
    party = links.party()
    return [
        {"key": "organizations", "label": _("Organizations"), "value": organizations["total"],
         "url": links.organizations(), "note": _("active")},
        {"key": "new", "label": _("New this quarter"), "value": changes["registrations"] + changes["filings"],
         "url": links.change("registrations"),
         "note": _("%(registrations)d registered, %(filings)d filed")
         % {"registrations": changes["registrations"], "filings": changes["filings"]}},
        {"key": "public_benefit", "label": _("Public-benefit share"), "value": percent(rates["public_benefit_share"]),
         "url": None, "note": _("%(count)d organizations") % {"count": organizations["public_benefit"]}},
        {"key": "abnormal_open", "label": _("On the abnormal list"), "value": figures["listings"]["abnormal_open"],
         "url": links.listing("abnormal_open"),
         "note": _("%(count)d on the serious-violation list") % {"count": figures["listings"]["serious_open"]}},
        {"key": "annual_reports_owed", "label": _("Annual reports owed"), "value": figures["annual_reports"]["owed"],
         "url": links.owing(), "note": ""},
        {"key": "party_rate", "label": _("Party organization coverage"),
         "value": percent(rates["party_organization_rate"]), "url": party.get("with_party_organization"),
         "note": _("%(count)d party organizations") % {"count": figures["party"]["party_organizations"]}},
        {"key": "funds", "label": _("Funds contracted (yuan)"), "value": money(projects["contracted"]),
         "url": links.projects(),
         "note": _("%(count)d projects; paid %(paid)s, spent %(spent)s")
         % {"count": projects["count"], "paid": money(projects["paid"]), "spent": money(projects["spent"])}},
        {"key": "ledger_on_time", "label": _("Ledgers on time"), "value": percent(rates["ledger_on_time_rate"]),
         "url": links.timeliness(),
         "note": _("%(late)d late, %(missing)d missing") % {"late": ledger["late"], "missing": ledger["missing"]}},
    ]  # fmt: skip


def organization_charts(figures: dict, links: FigureLinks, children: list[dict]) -> list[dict]:
    organizations = figures["organizations"]
    count = _("Organizations")
    charts = []
    categories, series = _choice_series(
        count, organizations["by_legal_form"], LegalForm, lambda v: links.organizations(legal_form=v)
    )
    charts.append(chart("chart-legal-form", _("Organizations by legal form"), "pie", categories, [series],
                        headers=[_("legal form"), count]))  # fmt: skip
    categories, series = _choice_series(
        count, organizations["by_category"], Category, lambda v: links.organizations(category=v)
    )
    charts.append(chart("chart-category", _("Organizations by category"), "bar", categories, [series],
                        headers=[_("category"), count]))  # fmt: skip
    categories, series = _choice_series(count, organizations["by_status"], OrganizationStatus, links.status)
    charts.append(chart("chart-status", _("Organizations by status"), "bar", categories, [series],
                        headers=[_("status"), count]))  # fmt: skip
    rows = [child for child in children if not child["direct"]]
    if rows:
        series = {
            "name": count,
            "data": [child["figures"]["organizations"]["total"] for child in rows],
            "links": {i: child["links"].organizations() for i, child in enumerate(rows) if child["links"]},
        }
        charts.append(chart("chart-children", _("Organizations by area"), "bar", [c["name"] for c in rows], [series],
                            headers=[pgettext("party statistics", "Area"), count]))  # fmt: skip
    return charts


def change_charts(figures: dict, rates: dict, links: FigureLinks) -> list[dict]:
    changes, organizations = figures["changes"], figures["organizations"]
    keys = ("registrations", "filings", "changes", "deregistrations")
    labels = [_("Registrations"), _("Filings"), _("Changes"), _("Deregistrations")]
    decided = {"name": _("Approved this quarter"), "data": [changes[key] for key in keys],
               "links": {i: links.change(key) for i, key in enumerate(keys)}}  # fmt: skip
    charts = [chart("chart-changes", _("The quarter's registrations, filings, changes and deregistrations"), "bar",
                    labels, [decided], headers=[_("kind"), decided["name"]])]  # fmt: skip
    public = {
        "name": _("Organizations"),
        "data": [organizations["by_category"].get(c, 0) for c in PUBLIC_BENEFIT_CATEGORIES]
        + [organizations["total"] - organizations["public_benefit"]],
        "links": {i: links.organizations(category=c) for i, c in enumerate(PUBLIC_BENEFIT_CATEGORIES)},
    }
    share = _("Public-benefit share %(share)s") % {"share": percent(rates["public_benefit_share"])}
    charts.append(chart("chart-public-benefit", share, "pie",
                        [str(Category(c).label) for c in PUBLIC_BENEFIT_CATEGORIES] + [_("Other categories")],
                        [public], headers=[_("category"), public["name"]]))  # fmt: skip
    areas = organizations["by_area"]
    area = {"name": _("Organizations"), "data": [areas["urban"], areas["rural"], areas["unset"]]}
    charts.append(chart("chart-area", _("Urban and rural organizations"), "pie",
                        [str(AreaKind.URBAN.label), str(AreaKind.RURAL.label), _("Not set")], [area],
                        headers=[_("urban or rural"), area["name"]]))  # fmt: skip
    levels = organizations["by_level"]
    filed = links.organizations(legal_form=LegalForm.COMMUNITY_FILED)
    level = {"name": _("Organizations"), "data": [levels.get(v, 0) for v in RegistrationLevel.values],
             "links": {RegistrationLevel.values.index(RegistrationLevel.FILED): filed}}  # fmt: skip
    charts.append(chart("chart-level", _("Registered and filed organizations"), "pie",
                        [str(label) for label in RegistrationLevel.labels], [level],
                        headers=[_("registered or filed"), level["name"]]))  # fmt: skip
    return charts


def oversight_charts(figures: dict, links: FigureLinks) -> list[dict]:
    listings, reports = figures["listings"], figures["annual_reports"]
    keys = ("abnormal_open", "serious_open", "abnormal_listed", "serious_listed")
    labels = [_("Abnormal list, in force"), _("Serious-violation list, in force"),
              _("Abnormal list, listed this quarter"), _("Serious-violation list, listed this quarter")]  # fmt: skip
    listed = {"name": _("Organizations"), "data": [listings[key] for key in keys],
              "links": {i: links.listing(key) for i, key in enumerate(keys)}}  # fmt: skip
    owed = {
        "name": _("Annual reports owed"),
        "data": [reports["owed_registered"], reports["owed_filed"]],
        "links": {0: links.owing(RegistrationLevel.REGISTERED), 1: links.owing(RegistrationLevel.FILED)},
    }
    return [
        chart("chart-listings", _("Abnormal and serious-violation lists"), "bar", labels, [listed],
              headers=[_("list"), listed["name"]]),
        chart("chart-annual-reports", _("Annual reports owed"), "bar",
              [_("Work reports (registered)"), _("Status reports (filed)")], [owed],
              headers=[_("kind of report"), owed["name"]]),
    ]  # fmt: skip


PARTY_KEYS = ("organizations", "staff", "volunteers", "with_party_organization", "party_organizations", "party_members")


def party_table(node: dict, children: list[dict], links: FigureLinks) -> dict:
    """Party coverage in the published format: a row per child node and the total."""
    figures_by_key = {figure.key: figure for figure in party_statistics.FIGURES}
    headers = [pgettext("party statistics", "Area")]
    headers += [str(figures_by_key[key].label) for key in PARTY_KEYS]
    headers += [pgettext("party statistics", "Party organization coverage (%)"),
                pgettext("party statistics", "Party work coverage (%)")]  # fmt: skip

    def row(label, figures, rates, row_links, kind):
        party = row_links.party() if row_links else {}
        cells = [cell(figures["party"][key], party.get(key), key) for key in PARTY_KEYS]
        cells += [cell(percent(rates["party_organization_rate"]), None, "party_organization_rate"),
                  cell(percent(rates["work_coverage_rate"]), None, "work_coverage_rate")]  # fmt: skip
        return {"label": label, "kind": kind, "url": None, "cells": cells}

    rows = [
        row(c["name"], c["figures"], c["rates"], c["links"], "direct" if c["direct"] else "child") for c in children
    ]
    for item, child in zip(rows, children, strict=True):
        item["url"] = child.get("drill")
    rows.append(row(pgettext("statistics", "Total"), node["figures"], node["rates"], links, "total"))
    return {"id": "table-party", "title": _("Party-building coverage"), "headers": headers, "rows": rows}


def money_series() -> tuple:
    return (("contracted", _("Contracted (yuan)")), ("paid", _("Paid (yuan)")), ("spent", _("Spent (yuan)")))


def project_charts(figures: dict, links: FigureLinks) -> tuple[list[dict], dict]:
    projects = figures["projects"]
    by_source = projects["by_source"]
    sources = list(FundingSource.values)
    series = [
        {"name": label, "data": [by_source[s][key] for s in sources],
         "links": {i: links.projects(funding_source=s) for i, s in enumerate(sources)}}
        for key, label in money_series()
    ]  # fmt: skip
    counts = {"name": _("Projects"), "data": [by_source[s]["count"] for s in sources],
              "links": {i: links.projects(funding_source=s) for i, s in enumerate(sources)}}  # fmt: skip
    funds = chart("chart-funds", _("Projects and funds by funding source"), "bar",
                  [str(label) for label in FundingSource.labels], series, texts=money)  # fmt: skip
    # The table adds the project count and the balance to the chart's three sums.
    for i, source in enumerate(sources):
        funds["rows"][i].insert(1, cell(counts["data"][i], counts["links"][i]))
        funds["rows"][i].append(cell(money(by_source[source]["balance"])))
    funds["headers"] = [_("funding source"), counts["name"], *funds["headers"][1:], _("Balance (yuan)")]
    funders = sorted(projects["by_funder"].items(), key=lambda item: (item[1]["name"] or "", item[0]))
    funder_table = {
        "id": "table-funders",
        "title": _("Projects and funds by funder"),
        "headers": [_("funder"), _("Projects"), _("Contracted (yuan)"), _("Paid (yuan)"), _("Spent (yuan)"),
                    _("Balance (yuan)")],
        "rows": [
            {"label": block["name"] or _("No funder"), "kind": "child", "url": None, "cells": [
                cell(block["count"], links.projects(funder=pk) if pk != "None" else None),
                *(cell(money(block[key])) for key in ("contracted", "paid", "spent", "balance"))]}
            for pk, block in funders
        ],
    }  # fmt: skip
    return [funds], funder_table


def ledger_and_activity_charts(figures: dict, rates: dict, links: FigureLinks) -> list[dict]:
    ledger, activities = figures["ledger"], figures["major_activities"]
    keys = list(Timeliness.values)
    timeliness = links.timeliness()
    judged = {"name": _("Projects"), "data": [ledger[key] for key in keys],
              "links": dict.fromkeys(range(len(keys)), timeliness)}  # fmt: skip
    title = _("Ledger timeliness (on time %(rate)s)") % {"rate": percent(rates["ledger_on_time_rate"])}
    statuses = list(MajorActivityStatus.values)
    reported = {"name": _("Reports"), "data": [activities[s] for s in statuses],
                "links": {i: links.major_activities(status=s) for i, s in enumerate(statuses)}}  # fmt: skip
    return [
        chart("chart-ledger", title, "pie", [str(label) for label in Timeliness.labels], [judged],
              headers=[_("timeliness"), judged["name"]]),
        chart("chart-major-activities",
              _("Major activities reported this quarter: %(count)d "
                "(%(late)d late, %(foreign)d with foreign involvement)")
              % {"count": activities["reported"], "late": activities["late"], "foreign": activities["foreign"]},
              "bar", [str(label) for label in MajorActivityStatus.labels], [reported],
              headers=[_("status"), reported["name"]]),
    ]  # fmt: skip


def evaluation_charts(figures: dict, links: FigureLinks) -> list[dict]:
    evaluation = figures["evaluation"]
    levels = ["5", "4", "3", "2", "1"]
    stars = {"name": _("Projects"), "data": [evaluation["stars"][n] for n in levels],
             "links": {i: links.stars(n) for i, n in enumerate(levels)}}  # fmt: skip
    # No link: the grade list shows every grade in force, the figure each organization's latest.
    grades = {"name": _("Organizations"), "data": [evaluation["grades"][n] for n in levels]}
    return [
        chart("chart-stars", _("Published star ratings of projects"), "bar", ["★" * int(n) for n in levels], [stars],
              headers=[_("stars"), stars["name"]]),
        chart("chart-grades", _("Organizations by grade"), "bar", [f"{n}A" for n in levels], [grades],
              headers=[_("grade"), grades["name"]]),
    ]  # fmt: skip


def trend_chart(trend: list[dict], dashboard_url) -> dict:
    """The last eight quarters; a point opens the dashboard of its quarter."""
    categories = [str(point["label"]) for point in trend]
    quarter_links = {i: dashboard_url(point["key"]) for i, point in enumerate(trend)}
    series = [
        {"name": _("Organizations"), "data": [p["organizations"] for p in trend]},
        {"name": _("Registrations and filings"), "data": [p["registrations"] + p["filings"] for p in trend]},
        {"name": _("Deregistrations"), "data": [p["deregistrations"] for p in trend]},
        {"name": _("Abnormal list, in force"), "data": [p["abnormal_open"] for p in trend]},
        {"name": _("Ledgers on time"), "data": [p["ledger_on_time"] for p in trend]},
        {"name": _("Ledgers missing"), "data": [p["ledger_missing"] for p in trend]},
    ]
    for item in series:
        item["links"] = quarter_links
    result = chart("chart-trend", _("The last eight quarters"), "line", categories, series,
                   headers=[_("quarter"), *(item["name"] for item in series)])  # fmt: skip
    for i, row in enumerate(result["rows"]):
        row[0]["url"] = quarter_links[i]
        for item in row[1:]:
            item["url"] = None
    return result
