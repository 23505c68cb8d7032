"""What every sheet of a quarterly review workbook shares: the node and quarter it covers, the moment
its figures are read (as of), the caption each sheet opens with, and columns read straight from a
query (values_list, streamed in chunks, so a sheet of 30,000 rows keeps memory flat)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cached_property

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.encoding import force_str
from django.utils.translation import gettext as _

from accounts.choices import RegionLevel
from accounts.models import Region
from core.xlsx import Sheet
from projects import periods

from ..quarters import label as quarter_label

CHUNK_SIZE = 2000


@dataclass
class Scope:
    """One workbook's node (a district or a city), quarter and as-of moment."""

    region: Region
    year: int
    quarter: int
    as_of: dt.datetime = field(default_factory=timezone.now)

    @property
    def start(self) -> dt.date:
        return periods.quarter_start(self.year, self.quarter)

    @property
    def end(self) -> dt.date:
        return periods.quarter_end(self.year, self.quarter)

    @property
    def today(self) -> dt.date:
        return timezone.localdate(self.as_of)

    @property
    def day(self) -> dt.date:
        """The day the quarter's stock figures are read on: its last day, or today while it runs."""
        return min(self.end, self.today)

    @property
    def label(self) -> str:
        return quarter_label(self.year, self.quarter)

    @property
    def is_city(self) -> bool:
        return self.region.level == RegionLevel.CITY

    @property
    def path(self) -> str:
        return self.region.path

    @cached_property
    def children(self) -> list[Region]:
        """The nodes one level down (a city's districts, a district's streets), in code order."""
        return list(Region.objects.filter(parent=self.region).order_by("path"))

    def caption(self, title: str) -> list[str]:
        """The two lines above a sheet's header: what it holds, and as of when."""
        heading = _("%(region)s %(quarter)s quarterly review: %(sheet)s") % {
            "region": self.region.name,
            "quarter": self.label,
            "sheet": title,
        }
        as_of = _("Figures as of %(time)s (Beijing time); quarter %(start)s to %(end)s") % {
            "time": f"{timezone.localtime(self.as_of):%Y-%m-%d %H:%M}",
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
        }
        return [heading, as_of]


@dataclass(frozen=True)
class Column:
    """One column of a list sheet: its header, the query paths it reads and a function of their
    values (none: the single path's value as it is), and its number format."""

    header: str
    paths: tuple[str, ...]
    function: Callable | None = None
    number_format: str | None = None


def labels(choices) -> Callable:
    """A choice's value → its label (read once per sheet, not per row)."""
    names = {value: force_str(label) for value, label in choices.choices}
    return lambda value: names.get(value, value)


def street_name(level, name, parent_name):
    return parent_name if level == RegionLevel.COMMUNITY else name if level == RegionLevel.STREET else None


def community_name(level, name):
    return name if level == RegionLevel.COMMUNITY else None


def place_columns(scope: Scope, region: str, district: str) -> list[Column]:
    """区 (in a city's workbook), 街道 and 社区 of the rows' region (`region`: the lookup to it)."""
    columns = []
    if scope.is_city:
        columns.append(Column(_("district"), (f"{district}__name",)))
    columns += [
        Column(_("street"), (f"{region}__level", f"{region}__name", f"{region}__parent__name"), street_name),
        Column(_("community"), (f"{region}__level", f"{region}__name"), community_name),
    ]
    return columns


def _reader(column: Column, index: dict[str, int]) -> Callable[[Sequence], object]:
    positions = [index[path] for path in column.paths]
    function = column.function
    if len(positions) == 1:
        position = positions[0]
        if function is None:
            return lambda row: row[position]
        return lambda row: function(row[position])
    return lambda row: function(*(row[p] for p in positions))


def query_rows(queryset: QuerySet, columns: Sequence[Column]) -> Iterator[list]:
    """The rows of `queryset` (already ordered) as the columns' values, read in chunks."""
    paths = list(dict.fromkeys(path for column in columns for path in column.paths))
    index = {path: position for position, path in enumerate(paths)}
    readers = [_reader(column, index) for column in columns]
    for row in queryset.values_list(*paths).iterator(chunk_size=CHUNK_SIZE):
        yield [read(row) for read in readers]


def list_sheet(scope: Scope, title: str, queryset: QuerySet, columns: Sequence[Column]) -> Sheet:
    return Sheet(
        title,
        [column.header for column in columns],
        query_rows(queryset, columns),
        formats=[column.number_format for column in columns],
        caption=scope.caption(title),
    )
