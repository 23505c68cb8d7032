"""The ledger workbook: the template an organization fills, the quarter export that round-trips
through it, and the reading and dry-run planning of an uploaded workbook.

Workbooks are written only through core.xlsx and read through the tolerant reader
(core.sheet_reader): the columns are declared below with the headers treasurers write for them, the
header may sit on any sheet and row, merged cells read as their top-left value, totals and
signature rows are skipped, and every column not read is named on the dry run (money columns with
a pointer to the expenditure upload).

Rows with an entry number refer to existing entries: an unchanged row is skipped, a changed draft
is updated, a changed submitted or returned entry becomes a correction (a new version); rows
without a number become new drafts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import params, sheet_reader
from core.sheet_reader import Column, Elsewhere, Table, TableRead, read_table
from core.xlsx import Sheet

from . import periods
from .choices import EntryKind, EntryStatus
from .models import LedgerEntry, Project
from .rules import ENTRY_FIELDS, clean_entry_data

COLUMNS = [
    ("id", gettext_lazy("Entry number (leave empty for a new entry)")),
    ("date", gettext_lazy("Date")),
    ("kind", gettext_lazy("Kind")),
    ("title", gettext_lazy("Title")),
    ("place", gettext_lazy("Place")),
    ("participants", gettext_lazy("Participants")),
    ("beneficiaries", gettext_lazy("Beneficiaries")),
    ("volunteers", gettext_lazy("Volunteers")),
    ("volunteer_hours", gettext_lazy("Volunteer hours")),
    ("summary", gettext_lazy("Summary")),
    ("foreign_involvement", gettext_lazy("Foreign involvement (是/否)")),
    ("status", gettext_lazy("Status (not read on upload)")),
]
# Other headers written for each column, best first (the label itself, in either language, ranks first).
SYNONYMS = {
    "id": ("台账编号",),  # never 编号 or 序号: those count rows, they name no entry
    "date": ("活动日期", "日期", "活动时间", "时间", "开展日期", "开展时间"),
    "kind": ("活动类型", "类型", "活动形式", "形式", "类别"),
    "title": ("活动名称", "活动主题", "主题", "名称", "标题", "活动标题"),
    "place": ("活动地点", "地点", "活动地址", "地址", "场所", "活动场所"),
    "participants": ("参与人数", "参加人数", "参与人次", "参加人次", "人数"),
    "beneficiaries": ("受益人数", "受益人次", "服务人次", "服务对象人数"),
    "volunteers": ("志愿者人数", "志愿者数", "志愿者"),
    "volunteer_hours": ("志愿服务时长", "志愿时长", "志愿者时长", "服务时长", "时长", "志愿服务时数"),
    "summary": ("活动摘要", "摘要", "内容摘要", "活动简介", "简介", "活动内容", "内容", "活动情况"),
    "foreign_involvement": ("境外人员参与", "外籍人员参与", "境外参与", "涉外", "涉外活动"),
    "status": ("状态",),
}
REQUIRED = ("date", "kind", "title")
# Money columns treasurers keep beside their activities: they belong to the expenditure upload.
MONEY_HEADERS = (
    "金额", "金额元", "支出金额", "支出", "预算科目", "科目", "收款方", "收款人", "收款单位", "凭证号", "凭证编号",
    "备注",
)  # fmt: skip
LEDGER_TABLE = Table(
    columns=tuple(
        Column(name, label, synonyms=SYNONYMS.get(name, ()), required=name in REQUIRED) for name, label in COLUMNS
    ),
    elsewhere=(
        Elsewhere(
            MONEY_HEADERS,
            gettext_lazy(
                "Column “%(column)s” is not read by the ledger upload: amounts, budget lines and remarks of "
                "spending belong to the expenditure upload (on the project's page, “Upload expenditures”)."
            ),
        ),
    ),
)
# Kinds as treasurers write them, beside the labels.
KIND_SYNONYMS = {"活动": "service_activity", "志愿服务": "service_activity", "讲座": "training", "探访": "visit"}
MAX_ROWS = 2000
# What the guarded reader looks at: physical rows (formatted empty ones count) and columns (the
# template's and a few a user may have added).
SHEET_ROWS = 10_000
SHEET_COLUMNS = 30


def _row(entry: LedgerEntry) -> list:
    return [
        entry.pk,
        entry.date,
        entry.get_kind_display(),
        entry.title,
        entry.place,
        entry.participants,
        entry.beneficiaries,
        entry.volunteers,
        entry.volunteer_hours,
        entry.summary,
        _("Yes") if entry.foreign_involvement else _("No"),
        entry.get_status_display(),
    ]


def ledger_sheets(project: Project, entries=()) -> list[Sheet]:
    """The ledger sheet (empty for the template, a quarter's entries for an export) and a sheet
    that explains the columns."""
    rows = (_row(entry) for entry in entries)
    help_rows = [
        [_("Kind"), "、".join(str(choice.label) for choice in EntryKind)],
        [
            _("Date"),
            _("Within the project period %(start)s – %(end)s, e.g. 2026-03-15.")
            % {"start": project.start_date.isoformat(), "end": project.end_date.isoformat()},
        ],
        [_("Counts"), _("Whole numbers, not negative; volunteer hours may have one decimal.")],
        [_("Entry number"), _("Keep the number of exported rows; leave it empty for new entries.")],
        [
            _("Foreign involvement"),
            _(
                "是 or 否; empty keeps an exported entry's answer (否 for a new entry). Activities with foreign "
                "involvement are reported in advance as major activities."
            ),
        ],
    ]
    return [
        Sheet(_("Ledger"), [label for _name, label in COLUMNS], rows),
        Sheet(_("Instructions"), [_("Column"), _("How to fill it")], help_rows),
    ]


def quarter_entries_for_export(project: Project, year: int, quarter: int):
    return LedgerEntry.objects.filter(
        project=project,
        is_current=True,
        date__gte=periods.quarter_start(year, quarter),
        date__lte=periods.quarter_end(year, quarter),
    ).order_by("date", "pk")


def _normalise(text) -> str:
    return re.sub(r"\s+", "", str(text or "")).lower()


def _kind_lookup() -> dict[str, str]:
    lookup = {}
    for language in ("zh-hans", "en"):
        with translation.override(language):
            for choice in EntryKind:
                lookup[_normalise(choice.label)] = choice.value
    for value in EntryKind.values:
        lookup[value] = value
    return lookup | KIND_SYNONYMS


@dataclass
class PlannedRow:
    number: int
    action: str  # create · update · correct · unchanged · error
    data: dict = field(default_factory=dict)
    errors: dict = field(default_factory=dict)
    entry: LedgerEntry | None = None

    @property
    def action_label(self) -> str:
        return {
            "create": _("New draft"),
            "update": _("Update draft"),
            "correct": _("Correction (new version)"),
            "unchanged": _("Unchanged"),
            "error": _("Error"),
        }[self.action]

    @property
    def kind_label(self) -> str:
        kind = self.data.get("kind")
        return str(EntryKind(kind).label) if kind in EntryKind.values else ""

    @property
    def error_text(self) -> str:
        return "；".join(message for messages in self.errors.values() for message in messages)


def read_ledger_table(upload) -> TableRead:
    """The ledger table of an uploaded workbook, from whichever sheet holds it: (row number, raw
    values by field) for each row with data, the columns not read and the rows skipped, through
    the guarded reader (never past SHEET_ROWS physical rows, SHEET_COLUMNS columns)."""
    return read_template_table(upload, LEDGER_TABLE, what=_("ledger"))


def read_template_table(upload, declared: Table, *, what) -> TableRead:
    """The table of a workbook filled from one of this app's templates (ledger, expenditures):
    refused whole when a column the template requires is missing or it holds more than MAX_ROWS
    rows, so the dry run never plans half a file."""
    table = read_table(upload, declared, max_rows=SHEET_ROWS, max_columns=SHEET_COLUMNS, what=what)
    if table.missing:
        raise ValidationError(
            {
                "file": [table.missing_message(column) for column in table.missing]
                + [_("Download the template to see the columns the upload reads.")]
            }
        )
    if len(table.rows) > MAX_ROWS:
        raise ValidationError({"file": _("File: at most %(n)d rows at a time.") % {"n": MAX_ROWS}})
    return table


def read_ledger_workbook(upload) -> list[tuple[int, dict]]:
    """(row number, raw values by field) of each ledger row (see read_ledger_table)."""
    return read_ledger_table(upload).rows


def _count(value):
    """A head count as typed (30, "30人", "1,200"); left as written when it is none, for the
    entry rules to refuse in their words."""
    try:
        return sheet_reader.parse_int(value)
    except ValueError:
        return value


_YES = {"是", "有", "y", "yes", "true", "1", "√", "✓", "✔"}
_NO = {"否", "无", "没有", "n", "no", "false", "0", "×", "✗", "x"}


def _yes_no(value):
    """是/否 as typed (有/无, yes/no, √/×); None when empty; left as written otherwise, for the entry
    rules to refuse in their words."""
    if value is None or isinstance(value, bool):
        return value
    text = _normalise(value)
    if not text:
        return None
    if text in _YES:
        return True
    return False if text in _NO else str(value)


def _hours(value):
    try:
        return sheet_reader.parse_decimal(value, suffixes=("小时", "h", "H"))
    except ValueError:
        return value


def plan_ledger_upload(project: Project, rows: list[tuple[int, dict]]) -> list[PlannedRow]:
    """The dry run: what each row would do, or its errors. Nothing is written."""
    kinds = _kind_lookup()
    # An entry number beyond any id (or "²") names no entry; the row then says so.
    ids = {params.parse_id(raw.get("id")) for _number, raw in rows} - {None}
    existing = {e.pk: e for e in LedgerEntry.objects.filter(project=project, pk__in=ids)}
    seen_ids = set()
    plan = []
    for number, raw in rows:
        errors = {}
        try:
            day = sheet_reader.parse_date(raw.get("date"))
        except ValueError as problem:
            day = None
            errors["date"] = [_("Date: %(problem)s.") % {"problem": problem}]
        data = {
            "date": day,
            "kind": kinds.get(_normalise(raw.get("kind")), raw.get("kind")),
            "title": raw.get("title"),
            "place": raw.get("place"),
            "participants": _count(raw.get("participants")),
            "beneficiaries": _count(raw.get("beneficiaries")),
            "volunteers": _count(raw.get("volunteers")),
            "volunteer_hours": _hours(raw.get("volunteer_hours")),
            "summary": raw.get("summary"),
        }
        entry = None
        raw_id = raw.get("id")
        if raw_id not in (None, ""):
            entry = existing.get(params.parse_id(raw_id))
            if entry is None:
                errors["id"] = [_("Entry number: %(id)s is not an entry of this project.") % {"id": raw_id}]
            elif entry.pk in seen_ids:
                errors["id"] = [_("Entry number: %(id)s appears twice.") % {"id": raw_id}]
            else:
                seen_ids.add(entry.pk)
        involvement = _yes_no(raw.get("foreign_involvement"))
        if involvement is None:  # an empty cell keeps an exported entry's answer
            involvement = entry.foreign_involvement if entry is not None else False
        data["foreign_involvement"] = involvement
        cleaned, field_errors = clean_entry_data(project, data)
        for name, message in field_errors.items():
            if name not in errors:  # a date that could not be read is not also "missing"
                errors[name] = [message]
        if errors:
            plan.append(PlannedRow(number, "error", data, errors, entry))
            continue
        if entry is None:
            plan.append(PlannedRow(number, "create", cleaned))
            continue
        changed = any(getattr(entry, name) != cleaned[name] for name in ENTRY_FIELDS)
        if not changed:
            action = "unchanged"
        elif not entry.is_current:
            action, errors = (
                "error",
                {"id": [_("Entry number: %(id)s has been replaced by a newer version.") % {"id": entry.pk}]},
            )
        elif entry.status == EntryStatus.DRAFT:
            action = "update"
        elif entry.status == EntryStatus.ACCEPTED:
            action, errors = (
                "error",
                {"id": [_("Entry number: %(id)s has been accepted and cannot change.") % {"id": entry.pk}]},
            )
        elif LedgerEntry.objects.filter(previous_version=entry).exists():
            action, errors = "error", {"id": [_("Entry number: %(id)s already has a correction.") % {"id": entry.pk}]}
        else:
            action = "correct"
        plan.append(PlannedRow(number, action, cleaned, errors, entry))
    return plan
