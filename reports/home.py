"""The home page's head for bureau roles, street officers and community party secretaries: the
dashboard's headline figures of the current quarter (each linking to its list) and a link to the
dashboard (core.home panel, registered in ReportsConfig.ready)."""

from __future__ import annotations

from core import home

from . import figures, quarters, sections
from .figures.dashboard import reads_rollups
from .links import FigureLinks


def headline_panel(request) -> dict | None:
    from .views.dashboard import dashboard_url, may_view

    user = request.user
    if not may_view(user) or user.region_id is None:
        return None
    region = user.region
    year, quarter = quarters.current_quarter()
    if reads_rollups(region):
        node = figures.dashboard(region, year, quarter)["node"]
        node_figures, rates = node["figures"], node["rates"]
    else:
        node_figures = figures.node_figures(region, year, quarter)
        rates = figures.rates(node_figures)
    links = FigureLinks(user, region, year, quarter)
    return {
        "label": quarters.label(year, quarter),
        "region": region,
        "cards": sections.headline(node_figures, rates, links),
        "dashboard_url": dashboard_url(),
    }


PANEL = home.HomePanel("reports/home_panel.html", headline_panel, order=10)


def register() -> None:
    home.register(PANEL)
