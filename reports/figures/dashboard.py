"""What the dashboard shows of a node and a quarter: the node's figures and rates, its children's,
and the eight-quarter trend. A district, street or community reads live (reports.figures.live and
.trend); a city reads the Rollup rows of its districts (reports.rollups keeps them), two queries
whatever the number of districts or organizations."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q
from django.utils import timezone

from accounts.choices import RegionLevel
from accounts.models import Region

from .. import quarters as quarter_rules
from ..models import Rollup
from .live import entries, grouped_figures
from .schema import add, empty, rates, total, trend_point
from .trend import live_trend, point_head

TREND_LENGTH = 8


def reads_rollups(region: Region) -> bool:
    """A node above the district (a city) reads rollups; the others count live."""
    return region.level == RegionLevel.CITY


def _node(region: Region, figures: dict) -> dict:
    return {
        "code": region.code,
        "name": region.name,
        "level": region.level,
        "path": region.path,
        "figures": figures,
        "rates": rates(figures),
    }


def _head(year: int, quarter: int) -> dict:
    return {
        "year": year,
        "quarter": quarter,
        "label": quarter_rules.label(year, quarter),
        "key": quarter_rules.quarter_key(year, quarter),
    }


def _live(region: Region, year: int, quarter: int, today: dt.date | None) -> dict:
    children, figures_by_path = grouped_figures(region, year, quarter, today)
    children_entries = entries(region, children, figures_by_path)
    for entry in children_entries:
        entry["rates"] = rates(entry["figures"])
    return {
        **_head(year, quarter),
        "node": _node(region, total(figures_by_path.values())),
        "children": children_entries,
        "trend": live_trend(region, year, quarter, TREND_LENGTH, today),
        "source": "live",
        "as_of": timezone.now(),
        "missing": [],
    }


def district_rollups(city: Region, quarters: list[tuple[int, int]]):
    """(districts, {(region_id, year, quarter): Rollup row values}) — two queries."""
    districts = list(Region.objects.filter(parent=city, level=RegionLevel.DISTRICT, is_active=True).order_by("code"))
    which = Q(pk__isnull=True)
    for year, quarter in quarters:
        which |= Q(year=year, quarter=quarter)
    rows = Rollup.objects.filter(which, region__parent=city, region__level=RegionLevel.DISTRICT, region__is_active=True)
    found = {
        (row["region_id"], row["year"], row["quarter"]): row
        for row in rows.values("region_id", "year", "quarter", "figures", "refreshed_at")
    }
    return districts, found


def _from_rollups(city: Region, year: int, quarter: int) -> dict:
    quarters = quarter_rules.last_quarters(year, quarter, TREND_LENGTH)
    districts, found = district_rollups(city, quarters)
    children, missing, refreshed = [], [], []
    node = empty()
    for district in districts:
        row = found.get((district.pk, year, quarter))
        if row is None:
            missing.append(district.code)
            figures = add(empty(), {})
        else:
            figures = add(empty(), row["figures"])
            refreshed.append(row["refreshed_at"])
        node = add(node, figures)
        children.append(
            {
                "code": district.code,
                "name": district.name,
                "level": district.level,
                "path": district.path,
                "direct": False,
                "figures": figures,
                "rates": rates(figures),
            }
        )
    trend = []
    for y, q in quarters:
        summed = total(row["figures"] for (_pk, ry, rq), row in found.items() if (ry, rq) == (y, q))
        trend.append({**point_head(y, q), **trend_point(summed)})
    return {
        **_head(year, quarter),
        "node": _node(city, node),
        "children": children,
        "trend": trend,
        "source": "rollup",
        "as_of": min(refreshed) if refreshed else None,
        "missing": missing,
    }


def dashboard(region: Region, year: int, quarter: int, today: dt.date | None = None) -> dict:
    """The dashboard of `region` for the quarter (the package docstring has the keys)."""
    if reads_rollups(region):
        return _from_rollups(region, year, quarter)
    return _live(region, year, quarter, today)
