"""Quarters and nodes as the reports pages ask for them: the current quarter, a quarter typed in a
link ("2026Q3" or "2026-3"), the last eight quarters of a trend, a quarter's label (2026年第3季度),
and the jurisdiction node a request reads (the user's own, or a node of their subtree chosen by code).

A malformed quarter is a 400 naming the parameter (core.params.InvalidParameter); a node outside the
user's subtree is a 404, as if it did not exist. The quarter arithmetic (start, end, previous,
deadline) is projects.periods'."""

from __future__ import annotations

import datetime as dt
import re

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Region
from core.bounds import YEAR_MAX, YEAR_MIN
from core.params import InvalidParameter
from projects.periods import previous_quarter, quarter_of

QUARTER_PARAM = "quarter"
REGION_PARAM = "region"
QUARTER_LABEL = gettext_lazy("quarter")
_QUARTER = re.compile(r"([0-9]{4})(?:[Qq]|-)([1-4])")
YEARS = (max(YEAR_MIN, 2000), min(YEAR_MAX, 2100))


def current_quarter(today: dt.date | None = None) -> tuple[int, int]:
    return quarter_of(today or timezone.localdate())


def parse_quarter(value, name: str = QUARTER_PARAM) -> tuple[int, int]:
    """(year, quarter) from "2026Q3", "2026q3" or "2026-3"; InvalidParameter (400) when malformed or
    when the year is outside 2000–2100."""
    text = str(value if value is not None else "").strip()
    match = _QUARTER.fullmatch(text)
    if match is None or not YEARS[0] <= int(match.group(1)) <= YEARS[1]:
        raise InvalidParameter(
            name,
            _("%(field)s: enter a quarter such as 2026Q3, of a year from %(min)d to %(max)d.")
            % {"field": str(QUARTER_LABEL).capitalize(), "min": YEARS[0], "max": YEARS[1]},
        )
    return int(match.group(1)), int(match.group(2))


def quarter_key(year: int, quarter: int) -> str:
    """The quarter in links and keys: 2026Q3."""
    return f"{year}Q{quarter}"


def requested_quarter(request, today: dt.date | None = None) -> tuple[int, int]:
    """The quarter of `?quarter=` (default: the current quarter)."""
    raw = request.GET.get(QUARTER_PARAM, "")
    if raw.strip() == "":
        return current_quarter(today)
    return parse_quarter(raw)


def last_quarters(year: int, quarter: int, n: int = 8) -> list[tuple[int, int]]:
    """The `n` quarters ending with (year, quarter), oldest first."""
    result = [(year, quarter)]
    while len(result) < n:
        result.append(previous_quarter(*result[-1]))
    return result[::-1]


def label(year: int, quarter: int) -> str:
    """2026年第3季度."""
    return _("%(year)d Q%(quarter)d") % {"year": year, "quarter": quarter}


def requested_node(request) -> Region:
    """The node a reports page reads: the user's own, or `?region=<code>` when that node lies in the
    user's subtree (else 404; a malformed code is a 404 too, as no node has it). A superuser without
    a node reads the first root node (a city, or a district without one) and may choose any node."""
    user = request.user
    own = getattr(user, "region", None)
    if own is None and user.is_superuser:
        own = Region.objects.filter(parent__isnull=True).order_by("path").first()
        top = True
    else:
        top = False
    code = request.GET.get(REGION_PARAM, "").strip()
    if not code:
        if own is None:
            raise Http404
        return own
    region = Region.objects.filter(code=code).first() if code.isascii() and code.isdigit() else None
    if region is None or own is None or not (top or own.contains(region)):
        raise Http404
    return region
