"""The ledger workbook: the template an organization fills, the quarter export that round-trips
through it, and the reading and dry-run planning of an uploaded workbook.

Workbooks are written only through core.xlsx; openpyxl is used here to read (read-only mode).
Rows with an entry number refer to existing entries: an unchanged row is skipped, a changed draft
is updated, a changed submitted or returned entry becomes a correction (a new version); rows
without a number become new drafts.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import params
from core.spreadsheets import read_rows
from core.xlsx import Sheet

from . import periods
from .choices import EntryKind, EntryStatus
from .models import LedgerEntry, Project
from .services import ENTRY_FIELDS, clean_entry_data

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
    ("status", gettext_lazy("Status (not read on upload)")),
]
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


def _header_map() -> dict[str, str]:
    mapping = {}
    for language in ("zh-hans", "en"):
        with translation.override(language):
            for name, label in COLUMNS:
                mapping[_normalise(str(label))] = name
                mapping[_normalise(str(label).split("（")[0].split("(")[0])] = name
    return mapping


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
    return lookup


_DATE_PATTERNS = [
    r"^(\d{4})-(\d{1,2})-(\d{1,2})$",
    r"^(\d{4})/(\d{1,2})/(\d{1,2})$",
    r"^(\d{4})\.(\d{1,2})\.(\d{1,2})$",
    r"^(\d{4})年(\d{1,2})月(\d{1,2})日$",
]


def _parse_date(value):
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value or "").strip()
    for pattern in _DATE_PATTERNS:
        match = re.match(pattern, text)
        if match:
            try:
                return dt.date(*(int(part) for part in match.groups()))
            except ValueError:
                return None
    return None


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
    def error_text(self) -> str:
        return "；".join(message for messages in self.errors.values() for message in messages)


def read_ledger_workbook(upload) -> list[tuple[int, dict]]:
    """(row number, raw values by field) for each non-empty row of the first sheet, read through
    the guarded reader (only the template's columns and a few more, never past SHEET_ROWS)."""
    rows = read_rows(upload, max_rows=SHEET_ROWS, max_columns=SHEET_COLUMNS)
    with contextlib.closing(rows):
        _number, header = next(rows, (1, ()))
        mapping = _header_map()
        columns = {index: mapping.get(_normalise(label)) for index, label in enumerate(header)}
        missing = {"date", "kind", "title"} - set(columns.values())
        if missing:
            raise ValidationError(
                {"file": _("File: the first row must hold the template's column headings; download the template.")}
            )
        result = []
        for number, values in rows:
            raw = {columns[i]: value for i, value in enumerate(values) if columns.get(i)}
            if all(value in (None, "") for value in raw.values()):
                continue
            result.append((number, raw))
            if len(result) > MAX_ROWS:
                raise ValidationError({"file": _("File: at most %(n)d rows at a time.") % {"n": MAX_ROWS}})
        return result


def plan_ledger_upload(project: Project, rows: list[tuple[int, dict]]) -> list[PlannedRow]:
    """The dry run: what each row would do, or its errors. Nothing is written."""
    kinds = _kind_lookup()
    # An entry number beyond any id (or "²") names no entry; the row then says so.
    ids = {params.parse_id(raw.get("id")) for _number, raw in rows} - {None}
    existing = {e.pk: e for e in LedgerEntry.objects.filter(project=project, pk__in=ids)}
    seen_ids = set()
    plan = []
    for number, raw in rows:
        data = {
            "date": _parse_date(raw.get("date")),
            "kind": kinds.get(_normalise(raw.get("kind")), raw.get("kind")),
            "title": raw.get("title"),
            "place": raw.get("place"),
            "participants": raw.get("participants"),
            "beneficiaries": raw.get("beneficiaries"),
            "volunteers": raw.get("volunteers"),
            "volunteer_hours": raw.get("volunteer_hours"),
            "summary": raw.get("summary"),
        }
        for name in ("participants", "beneficiaries", "volunteers"):
            value = data[name]
            if isinstance(value, float) and value.is_integer():
                data[name] = int(value)
        if isinstance(data["volunteer_hours"], float):
            data["volunteer_hours"] = Decimal(str(data["volunteer_hours"]))
        entry, errors = None, {}
        raw_id = raw.get("id")
        if raw_id not in (None, ""):
            entry = existing.get(params.parse_id(raw_id))
            if entry is None:
                errors["id"] = [_("Entry number: %(id)s is not an entry of this project.") % {"id": raw_id}]
            elif entry.pk in seen_ids:
                errors["id"] = [_("Entry number: %(id)s appears twice.") % {"id": raw_id}]
            else:
                seen_ids.add(entry.pk)
        cleaned, field_errors = clean_entry_data(project, data)
        for name, message in field_errors.items():
            errors.setdefault(name, []).append(message)
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
