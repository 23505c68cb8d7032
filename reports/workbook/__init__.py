"""The quarterly review workbook (季度评审工作簿) of a district or a city: one xlsx whose sheets are, in
this order, 概览, 社会组织名录, 登记变动, 年度报告, 活动异常名录, 党建覆盖, 定期联系, 项目与资金, 台账报送情况,
重大活动, 星级评定 and 专项行动, then the 说明 sheet core.xlsx adds (what the file holds).

Each sheet opens with a title line and the as-of time, then one table: Chinese headers, the header row
frozen and filtered, widths from the content, typed cells (numbers, 元 amounts #,##0.00, rates 0.0%,
dates, Beijing-time date-times). Written with core.xlsx (openpyxl write-only) from queries streamed
in chunks, so memory stays flat whatever the district's size. The figure sheets are defined in
`overview` (with the plans' figures), the lists in `registers`, `party` and `projects`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from core.xlsx import Note, Sheet, write_workbook

from . import overview, party, projects, registers
from .scope import Scope

# The sheets in order: (title function, builder of the sheet from the scope and the figures).
SHEETS: list[tuple[Callable[[], str], Callable]] = [
    (overview.overview_title, lambda scope, total, children: overview.overview_sheet(scope, total, children)),
    (registers.organizations_title, lambda scope, *_: registers.organizations_sheet(scope)),
    (registers.changes_title, lambda scope, *_: registers.changes_sheet(scope)),
    (registers.annual_reports_title, lambda scope, *_: registers.annual_reports_sheet(scope)),
    (registers.listings_title, lambda scope, *_: registers.listings_sheet(scope)),
    (party.coverage_title, lambda scope, *_: party.coverage_sheet(scope)),
    (party.contacts_title, lambda scope, *_: party.contacts_sheet(scope)),
    (projects.funds_title, lambda scope, *_: projects.funds_sheet(scope)),
    (projects.ledger_title, lambda scope, *_: projects.ledger_sheet(scope)),
    (projects.activities_title, lambda scope, *_: projects.activities_sheet(scope)),
    (projects.ratings_title, lambda scope, *_: projects.ratings_sheet(scope)),
    (overview.plans_title, lambda scope, total, children: overview.plans_sheet(scope, total)),
]


def sheet_titles() -> list[str]:
    return [title() for title, _build in SHEETS]


def workbook_title(scope: Scope) -> str:
    """某区2026年第3季度评审工作簿."""
    return _("%(region)s%(quarter)s review workbook") % {"region": scope.region.name, "quarter": scope.label}


def sheets(scope: Scope) -> Iterator[Sheet]:
    """The sheets in order, each built only when its turn comes (its rows are read as it is written)."""
    total, children = overview.node_and_children(scope)
    for _title, build in SHEETS:
        yield build(scope, total, children)


def note(scope: Scope, version: int | None = None) -> Note:
    title = workbook_title(scope)
    items = [
        (pgettext("workbook note", "Title"), title),
        (pgettext("workbook note", "Region"), scope.region.name),
        (pgettext("workbook note", "Quarter"), f"{scope.label}（{scope.start.isoformat()} – {scope.end.isoformat()}）"),
        (pgettext("workbook note", "Figures as of"), f"{timezone.localtime(scope.as_of):%Y-%m-%d %H:%M}"),
    ]
    if version is not None:
        items.append((pgettext("workbook note", "Version"), str(version)))
    items.append(
        (pgettext("workbook note", "Definitions"), _("The figures and their rules are those of the reports dashboard."))
    )
    return Note(title=title, items=items, subject=scope.label, creator=_("Quarterly review"), created=scope.as_of)


def write(
    scope: Scope,
    target,
    *,
    version: int | None = None,
    on_sheet: Callable[[int, str], None] | None = None,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Write the workbook of `scope` to `target` (a path or binary file); returns its data rows.
    `on_sheet(index, title)` is called before each of the len(SHEETS) sheets."""
    return write_workbook(target, sheets(scope), note(scope, version), progress=progress, on_sheet=on_sheet)
