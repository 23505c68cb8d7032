"""Rollups: each district's and city's figures for a quarter, kept in reports.Rollup so that a city's
dashboard reads one row per district instead of counting every organization (reports.figures).

A row is written only when its figures differ from the stored ones: a second refresh the same day
changes nothing (not even refreshed_at) and writes no audit record. A district's row holds its live
figures (reports.figures.node_figures); a city's row the sum of its active districts' — the
figures of every district of a city come from one grouped pass over the city
(reports.figures.live.grouped_figures: about twenty queries whatever the number of districts), so
refreshing a city of 100 districts does not cost 100 passes. Every batch is one transaction with one
audit record per row written (core.audit.record_many)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from accounts.choices import RegionLevel
from accounts.models import Region
from core import audit
from core.choices import AuditAction

from . import quarters
from .figures.live import grouped_figures
from .figures.schema import empty, total
from .models import Rollup

MESSAGE = "reports.rollups.refresh"


def _figures_of(region: Region, year: int, quarter: int, today: dt.date | None) -> dict[int, dict]:
    """{region id: figures} for `region` and, for a city, each of its active districts."""
    children, by_path = grouped_figures(region, year, quarter, today)
    if region.level != RegionLevel.CITY:
        return {region.pk: total(by_path.values())}
    districts = [child for child in children if child.level == RegionLevel.DISTRICT and child.is_active]
    result = {district.pk: total([by_path.get(district.path, empty())]) for district in districts}
    result[region.pk] = total(result.values())
    return result


def _write(figures: dict[tuple[int, int, int], dict], now) -> list[Rollup]:
    """Create or update the rows (region id, year, quarter) whose figures differ; the rows written."""
    if not figures:
        return []
    region_ids = {key[0] for key in figures}
    periods = {key[1:] for key in figures}
    existing = {
        (row.region_id, row.year, row.quarter): row
        for row in Rollup.objects.select_for_update().filter(region_id__in=region_ids)
        if (row.year, row.quarter) in periods
    }
    created, updated = [], []
    for key, value in figures.items():
        row = existing.get(key)
        if row is None:
            created.append(Rollup(region_id=key[0], year=key[1], quarter=key[2], figures=value, refreshed_at=now))
        elif row.figures != value:
            row.figures, row.refreshed_at = value, now
            updated.append(row)
    Rollup.objects.bulk_create(created)
    Rollup.objects.bulk_update(updated, ["figures", "refreshed_at"])
    written = [*created, *updated]
    if created:
        audit.record_many(actor=None, action=AuditAction.CREATE, objs=created, message=MESSAGE)
    if updated:
        audit.record_many(actor=None, action=AuditAction.UPDATE, objs=updated, message=MESSAGE)
    return written


def refresh(region: Region, year: int, quarter: int, today: dt.date | None = None) -> bool:
    """Refresh the node's row for the quarter (and, for a city, its districts' rows); True when a
    row was written. A district's refresh leaves its city's row to the nightly refresh_all."""
    figures = {(pk, year, quarter): value for pk, value in _figures_of(region, year, quarter, today).items()}
    with transaction.atomic():
        return bool(_write(figures, timezone.now()))


def refresh_all(today: dt.date | None = None) -> dict:
    """Nightly: every active city and every active district, for the current and the previous
    quarter. One grouped pass per city (its districts included) and per district without a city."""
    today = today or timezone.localdate()
    current = quarters.current_quarter(today)
    wanted = [quarters.previous_quarter(*current), current]
    roots = list(
        Region.objects.filter(is_active=True)
        .filter(level__in=(RegionLevel.CITY, RegionLevel.DISTRICT), parent__isnull=True)
        .order_by("code")
    )
    figures: dict[tuple[int, int, int], dict] = {}
    for root in roots:
        for year, quarter in wanted:
            for pk, value in _figures_of(root, year, quarter, today).items():
                figures[(pk, year, quarter)] = value
    with transaction.atomic():
        written = _write(figures, timezone.now())
    return {
        "quarters": [quarters.quarter_key(*q) for q in wanted],
        "nodes": len({key[0] for key in figures}),
        "rows": len(figures),
        "written": len(written),
    }
