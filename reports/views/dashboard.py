"""The dashboard (数据看板): a node's figures for a quarter — headline cards, charts each with its
table, every figure linking to the list behind it — for bureau roles, street officers and
community party secretaries. `?region=<code>` drills into a node of the user's subtree, `?quarter=`
chooses the quarter (reports.quarters)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_GET

from accounts.models import Region

from .. import figures, quarters, sections
from ..links import FigureLinks
from ..navigation import DASHBOARD_ROLES

QUARTER_CHOICES = 8


def may_view(user) -> bool:
    if not user.is_authenticated:
        return False
    return user.is_superuser or (user.role in DASHBOARD_ROLES and user.region_id is not None)


def dashboard_url(region: Region | None = None, quarter_key: str | None = None) -> str:
    query = {
        key: value for key, value in (("region", region.code if region else None), ("quarter", quarter_key)) if value
    }
    return f"{reverse('reports:dashboard')}?{urlencode(query)}" if query else reverse("reports:dashboard")


def _quarter_options(year: int, quarter: int) -> list[dict]:
    """The recent quarters offered in the form (the current one last chosen first), and the one shown."""
    options = quarters.last_quarters(*quarters.current_quarter(), n=QUARTER_CHOICES)[::-1]
    if (year, quarter) not in options:
        options.insert(0, (year, quarter))
    return [
        {"key": quarters.quarter_key(y, q), "label": quarters.label(y, q), "selected": (y, q) == (year, quarter)}
        for y, q in options
    ]


def _children(result: dict, links: FigureLinks, key: str) -> list[dict]:
    """The child rows with their Region (one query), their links and the drill-down URL."""
    children = result["children"]
    regions = {r.code: r for r in Region.objects.filter(code__in=[c["code"] for c in children if not c["direct"]])}
    for child in children:
        region = None if child["direct"] else regions.get(child["code"])
        child["links"] = links.for_region(region) if region is not None else None
        child["drill"] = dashboard_url(region, key) if region is not None else None
        if child["direct"]:
            child["name"] = _("Attached to %(region)s itself") % {"region": result["node"]["name"]}
    return children


def _children_table(children: list[dict]) -> dict:
    headers = [pgettext("party statistics", "Area"), _("Organizations"), _("Public-benefit share"),
               _("On the abnormal list"), _("Annual reports owed"), _("Party organization coverage"), _("Projects"),
               _("Ledgers on time")]  # fmt: skip
    rows = []
    for child in children:
        figures_, rates, links = child["figures"], child["rates"], child["links"]
        cells = [
            sections.cell(figures_["organizations"]["total"], links and links.organizations(), "organizations"),
            sections.cell(sections.percent(rates["public_benefit_share"])),
            sections.cell(figures_["listings"]["abnormal_open"], links and links.listing("abnormal_open"), "abnormal"),
            sections.cell(figures_["annual_reports"]["owed"], links and links.owing(), "owed"),
            sections.cell(sections.percent(rates["party_organization_rate"])),
            sections.cell(figures_["projects"]["count"], links and links.projects(), "projects"),
            sections.cell(sections.percent(rates["ledger_on_time_rate"])),
        ]
        rows.append({"label": child["name"], "kind": "direct" if child["direct"] else "child",
                     "url": child["drill"], "cells": cells})  # fmt: skip
    return {"id": "table-children", "title": _("Figures by area"), "headers": headers, "rows": rows}


@require_GET
@login_required
def dashboard(request):
    user = request.user
    if not may_view(user):
        raise PermissionDenied(_("Your role may not view the dashboard."))
    year, quarter = quarters.requested_quarter(request)
    region = quarters.requested_node(request)
    result = figures.dashboard(region, year, quarter)
    node = result["node"]
    key = quarters.quarter_key(year, quarter)
    links = FigureLinks(user, region, year, quarter)
    children = _children(result, links, key)
    node_figures, rates = node["figures"], node["rates"]
    parent = region.parent
    if parent is not None and not (user.is_superuser or (user.region is not None and user.region.contains(parent))):
        parent = None
    funds, funder_table = sections.project_charts(node_figures, links)
    section_list = [
        {"id": "organizations", "title": _("Organizations"),
         "charts": sections.organization_charts(node_figures, links, children),
         "tables": [_children_table(children)] if children else []},
        {"id": "changes", "title": _("The quarter's changes, public benefit, urban and rural"),
         "charts": sections.change_charts(node_figures, rates, links), "tables": []},
        {"id": "oversight", "title": _("Lists and annual reports"),
         "charts": sections.oversight_charts(node_figures, links), "tables": []},
        {"id": "party", "title": _("Party-building coverage"), "charts": [],
         "tables": [sections.party_table(node, children, links)]},
        {"id": "projects", "title": _("Projects and funds"), "charts": funds, "tables": [funder_table]},
        {"id": "ledger", "title": _("Ledgers and major activities"),
         "charts": sections.ledger_and_activity_charts(node_figures, rates, links), "tables": []},
        {"id": "evaluation", "title": _("Stars and grades"),
         "charts": sections.evaluation_charts(node_figures, links), "tables": []},
        {"id": "trend", "title": _("Trend"),
         "charts": [sections.trend_chart(result["trend"], lambda k: dashboard_url(region, k))], "tables": []},
    ]  # fmt: skip
    title = _("Dashboard of %(region)s, %(quarter)s") % {"region": region.full_name, "quarter": result["label"]}
    return TemplateResponse(
        request,
        "reports/dashboard.html",
        {
            "title": title,
            "result": result,
            "region": region,
            "quarter_key": key,
            "quarter_options": _quarter_options(year, quarter),
            "cards": sections.headline(node_figures, rates, links),
            "sections": section_list,
            "parent_url": dashboard_url(parent, key) if parent is not None else None,
            "parent": parent,
            "links_current": links.stock,
            "missing": Region.objects.filter(code__in=result["missing"]).order_by("code") if result["missing"] else [],
        },
    )


urlpatterns = [path("dashboard/", dashboard, name="dashboard")]
