"""The coverage statistics page (党建覆盖统计): a node's table on a date with every figure linking to
the list behind it, charts with their tables, and the same table as an xlsx workbook."""

from __future__ import annotations

import functools
from decimal import Decimal

from django.contrib.auth.decorators import login_required
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_GET

from accounts.choices import RegionLevel
from accounts.models import Region
from core import exports
from core.xlsx import Sheet, export_filename, xlsx_response

from .. import statistics as stats
from ..choices import PartyOrganizationStatus
from ..statistics import FIGURES, RowKind

PERCENT_FORMAT = "0.0%"


def _url(name: str, **query) -> str:
    query = {key: value for key, value in query.items() if value not in (None, "")}
    return f"{reverse(name)}?{urlencode(query)}" if query else reverse(name)


def figure_links(row, result) -> dict[str, str]:
    """The list behind each figure of a row, filtered to the row's node (and date). The row of the
    organizations attached to the node itself has none: no list filters to a node without its
    children."""
    if row.kind == RowKind.DIRECT:
        return {}
    region, day = row.region, result.day
    node = {"region": region.pk}
    as_of = {**node, "date": day.isoformat()}
    # The register's list filters by street or community; a district or city is the user's whole list.
    register = {"status": "active"}
    if region.level == RegionLevel.STREET:
        register["street"] = region.pk
    elif region.level == RegionLevel.COMMUNITY:
        register["community"] = region.pk
    organizations = _url("registry:organization_list", **register)
    # The figure counts party organizations formed in or for organizations, not the areas' bodies.
    party_organizations = {**node, "status": PartyOrganizationStatus.ACTIVE, "area_body": "false"}
    links = {
        "organizations": organizations,
        "staff": organizations,
        "volunteers": organizations,
        "with_party_organization": _url("party:partycoverage_list", **as_of, has_party_organization="true"),
        "party_organizations": _url("party:partyorganization_list", **party_organizations),
        "party_members": _url("party:partycoverage_list", **as_of),
        "work_covered": _url("party:partycoverage_list", **as_of, work_covered="true"),
        "should_form_own": _url("party:partycoverage_list", **as_of, should_form_own="true"),
        "contacts": _url(
            "party:contactrecord_list",
            **node,
            contacted_after=result.period_start.isoformat(),
            contacted_before=day.isoformat(),
        ),
        "overdue": _url("party:overdue_list", **as_of),
    }
    for key in stats.LEVEL_KEYS:
        links[key] = _url("party:partyorganization_list", **party_organizations, level=key.removeprefix("level_"))
    for key in stats.FORMATION_KEYS:
        links[key] = _url(
            "party:partyorganization_list", **party_organizations, formation=key.removeprefix("formation_")
        )
    return links


def _percent(value: Decimal | None) -> str:
    return "—" if value is None else f"{value}%"


def _charts(result) -> list[dict]:
    """Each chart's data, its table and the words a screen reader hears (ECharts' aria option)."""
    parts = result.parts
    names = [row.label for row in parts]
    label = functools.partial(pgettext, "party statistics")
    rate_series = [
        (label("Party organization coverage (%)"), [r["party_organization_rate"] for r in parts]),
        (label("Party work coverage (%)"), [r["work_coverage_rate"] for r in parts]),
    ]
    rates_title = _("Coverage rates of %(region)s") % {"region": result.region.name}
    rates_words = "；".join(
        f"{name}：" + "，".join(f"{label.replace('(%)', '')} {_percent(values[i])}" for label, values in rate_series)
        for i, name in enumerate(names)
    )
    total = result.total
    formation_figures = [figure for figure in FIGURES if figure.key in stats.FORMATION_KEYS]
    formations = [(str(figure.label), total[figure.key]) for figure in formation_figures]
    formation_title = _("Party organizations of %(region)s by formation") % {"region": result.region.name}
    return [
        {
            "id": "chart-rates",
            "data_id": "chart-rates-data",
            "title": rates_title,
            "kind": "bar",
            "unit": "%",
            "categories": names,
            "series": [
                {"name": label, "data": [None if v is None else float(v) for v in values]}
                for label, values in rate_series
            ],
            "description": f"{rates_title}。{rates_words}。",
            "headers": [pgettext("party statistics", "Area"), *(label for label, _values in rate_series)],
            "rows": [[name, *(_percent(values[i]) for _label, values in rate_series)] for i, name in enumerate(names)],
        },
        {
            "id": "chart-formations",
            "data_id": "chart-formations-data",
            "title": formation_title,
            "kind": "pie",
            "unit": "",
            "categories": [label for label, _count in formations],
            "series": [{"name": label("Party organizations"), "data": [count for _label, count in formations]}],
            "description": f"{formation_title}。" + "，".join(f"{label} {count}" for label, count in formations) + "。",
            "headers": [_("Formation"), label("Party organizations")],
            "rows": [[label, count] for label, count in formations],
        },
    ]


def _column_label(figure) -> str:
    return f"{figure.group}·{figure.label}" if figure.group else str(figure.label)


def _title(result) -> str:
    return _("Party-building coverage of %(region)s as of %(date)s") % {
        "region": result.region.full_name,
        "date": result.day.isoformat(),
    }


def export(request, result):
    """The table as a workbook: counts as numbers, rates as fractions shown with a percent format."""
    title = _title(result)
    headers = [pgettext("party statistics", "Area"), *(_column_label(figure) for figure in FIGURES)]
    formats = [None, *(PERCENT_FORMAT if figure.is_rate else None for figure in FIGURES)]

    def cells(row):
        for figure in FIGURES:
            value = row[figure.key]
            yield (value / 100 if value is not None else None) if figure.is_rate else value

    sheet = Sheet(
        _("Party-building coverage"), headers, ([row.label, *cells(row)] for row in result.rows), formats=formats
    )
    note = exports.note(
        title=title,
        filters=[(_("region"), result.region.full_name), (_("as of"), result.day.isoformat())],
        user=request.user,
    )
    return xlsx_response([sheet], export_filename(_("Party-building coverage")), note)


def _nodes(user, region):
    """The nodes offered in the form: the user's subtree (down to streets, and the communities of the
    node shown), the node shown always among them."""
    root = user.region
    queryset = Region.objects.all() if root is None else Region.objects.filter(path__startswith=root.path)
    return (
        queryset.exclude(level=RegionLevel.COMMUNITY)
        .union(Region.objects.filter(pk=region.pk), Region.objects.filter(parent=region))
        .order_by("path")
    )


@require_GET
@login_required
def statistics_page(request):
    region, day = stats.requested(request)
    result = stats.statistics(region, day)
    if request.GET.get("export") == "xlsx":
        return export(request, result)
    user = request.user
    parent = region.parent
    if parent is not None and user.region is not None and not user.region.contains(parent):
        parent = None
    rows = [{"row": row, "links": figure_links(row, result), "cells": []} for row in result.rows]
    for item in rows:
        row, links = item["row"], item["links"]
        item["cells"] = [
            {"figure": figure, "text": _percent(row[figure.key]) if figure.is_rate else row[figure.key],
             "url": links.get(figure.key)}
            for figure in FIGURES
        ]  # fmt: skip
    query = {"region": region.pk, "date": day.isoformat()}
    return TemplateResponse(
        request,
        "party/statistics.html",
        {
            "result": result,
            "title": _title(result),
            "rows": rows,
            "plain_figures": [f for f in FIGURES if not f.group],
            "groups": _groups(),
            "charts": _charts(result),
            "parent": parent,
            "nodes": _nodes(user, region),
            "export_url": f"{reverse('party:statistics')}?{urlencode({**query, 'export': 'xlsx'})}",
        },
    )


def _groups() -> list[dict]:
    """The header's first row: a figure alone spans two rows; a group spans its figures."""
    headers: list[dict] = []
    for figure in FIGURES:
        if not figure.group:
            headers.append({"label": figure.label, "span": 1, "figures": None})
        elif headers and headers[-1]["figures"] is not None and headers[-1]["label"] == figure.group:
            headers[-1]["span"] += 1
            headers[-1]["figures"].append(figure)
        else:
            headers.append({"label": figure.group, "span": 1, "figures": [figure]})
    return headers
