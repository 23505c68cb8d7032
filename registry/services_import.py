"""Roster import: upload → dry run (every row's errors, nothing written) → confirm → import.

The dry run and the import both read the file afresh and check it against the register as it is
then, so an organization registered in between is reported, not duplicated. The import writes all
valid rows in one transaction (bulk inserts, so 20,000 rows take seconds), or nothing when the
user chose "all or nothing" and any row has an error. Large files run in Celery; progress goes to
the cache, where the page polls it.
"""

from __future__ import annotations

import io
import logging
import re
import unicodedata

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.choices import RegionLevel
from accounts.models import Region
from core import audit, jobs
from core.choices import AuditAction
from core.uploads import CheckedUpload

from . import permissions as rules
from . import uscc
from .choices import Category, LegalForm, OrganizationStatus, RegistrationLevel, RosterImportStatus, level_for
from .models import Organization, RosterImport
from .roster_import import RegionIndex, Roster, RosterRow, check_file, parse_roster
from .services import next_filing_number
from .uploads import ROSTER_UPLOADS

logger = logging.getLogger(__name__)

_BATCH = 2000
# Organization fields a roster row fills (besides region, district and the derived ones).
_ROW_FIELDS = (
    "name", "uscc", "legal_form", "category", "legal_representative", "phone", "address", "established_on",
    "supervising_unit", "filing_number", "funds", "business_scope", "activity_area",
)  # fmt: skip
_COUNT_FIELDS = ("member_count", "staff_count", "volunteer_count")
# Rows whose parsed values the dry run keeps for its page (the errors are kept for every row).
PREVIEW_ROWS = 500


def sync_max_bytes() -> int:
    """Files up to this size are checked and imported in the request; larger ones in Celery."""
    return getattr(settings, "REGISTRY_ROSTER_IMPORT_SYNC_MAX_BYTES", 200 * 1024)


# ---- progress, kept in the cache so the page sees it while the import's transaction is open ----


def _progress_key(pk: int) -> str:
    return f"registry:roster-import:{pk}:progress"


def set_progress(pk: int, percent: int) -> None:
    cache.set(_progress_key(pk), max(0, min(100, int(percent))), timeout=6 * 60 * 60)


def progress_of(roster_import: RosterImport) -> int:
    if roster_import.is_running:
        value = cache.get(_progress_key(roster_import.pk))
        if value is not None:
            return int(value)
    return roster_import.progress


# ---- checks ----


def region_index(district: Region) -> RegionIndex:
    streets = Region.objects.filter(district=district, level=RegionLevel.STREET).values_list("pk", "code", "name")
    communities = Region.objects.filter(district=district, level=RegionLevel.COMMUNITY).values_list(
        "pk", "code", "name", "parent_id"
    )
    return RegionIndex.from_regions(streets, communities)


def _checked_file(upload) -> CheckedUpload:
    """The roster upload judged by its policy and by the guarded reader's checks, so a file that
    could not be read (or would take minutes) is refused here, not later in a worker."""
    checked = ROSTER_UPLOADS.check(upload, field="file")
    check_file(io.BytesIO(checked.content))
    return checked


def name_key(name: str) -> str:
    """A name as compared for duplicates: full-width folded, blanks removed, case ignored."""
    return "".join(unicodedata.normalize("NFKC", name).split()).casefold()


def _duplicate_checks(roster: Roster, district: Region) -> None:
    """Mark rows that repeat another row of the file or an organization already registered."""
    uscc_header, name_header = roster.header_of("uscc"), roster.header_of("name")
    filing_header = roster.header_of("filing_number")
    first_uscc, first_name, first_filing = {}, {}, {}
    for row in roster.rows:
        code, name, filing = row.values.get("uscc"), row.values.get("name"), row.values.get("filing_number")
        if code:
            if code in first_uscc:
                row.error(
                    uscc_header,
                    _("%(column)s %(code)s repeats row %(row)d.")
                    % {"column": uscc_header, "code": code, "row": first_uscc[code]},
                )
            else:
                first_uscc[code] = row.row
        if name:
            key = name_key(name)
            if key in first_name:
                row.error(
                    name_header,
                    _("%(column)s “%(name)s” repeats row %(row)d.")
                    % {"column": name_header, "name": name, "row": first_name[key]},
                )
            else:
                first_name[key] = row.row
        if filing:
            if filing in first_filing:
                row.error(
                    filing_header,
                    _("%(column)s %(number)s repeats row %(row)d.")
                    % {"column": filing_header, "number": filing, "row": first_filing[filing]},
                )
            else:
                first_filing[filing] = row.row

    existing_codes = dict(
        Organization.objects.filter(uscc__in=list(first_uscc)).values_list("uscc", "district_id")
    ) if first_uscc else {}  # fmt: skip
    # Names compare folded (full-width brackets, spaces), so 阳光（公益）中心 matches 阳光(公益)中心.
    existing_names = {
        name_key(existing): (existing, status)
        for existing, status in Organization.objects.filter(district=district).values_list("name", "status")
    } if first_name else {}  # fmt: skip
    existing_filings = set(
        Organization.objects.filter(district=district, filing_number__in=list(first_filing)).values_list(
            "filing_number", flat=True
        )
    ) if first_filing else set()  # fmt: skip
    statuses = dict(OrganizationStatus.choices)
    for row in roster.rows:
        code, name, filing = row.values.get("uscc"), row.values.get("name"), row.values.get("filing_number")
        if code and code in existing_codes:
            row.error(
                uscc_header,
                _(
                    "Duplicate: an organization with the credit code %(code)s is already registered; "
                    "the row is not imported or merged."
                )
                % {"code": code},
            )
        if name and name_key(name) in existing_names:
            existing, status = existing_names[name_key(name)]
            row.error(
                name_header,
                _(
                    "Duplicate: an organization named “%(name)s” (%(status)s) is already in this "
                    "district's register; the row is not imported or merged."
                )
                % {"name": existing, "status": statuses.get(status, "")},
            )
        if filing and filing in existing_filings:
            row.error(
                filing_header,
                _("Duplicate: the filing number %(number)s is already in use in this district.") % {"number": filing},
            )


def _organization_for(row: RosterRow, district: Region, by) -> Organization:
    values = row.values
    org = Organization(
        **{name: values.get(name) for name in _ROW_FIELDS},
        **{name: values.get(name) or 0 for name in _COUNT_FIELDS},
        region_id=values["region_id"], district=district, registration_level=level_for(values["legal_form"]),
        status=OrganizationStatus.ACTIVE, created_by=by if by is not None and by.pk else None,
        registration_authority=_("%(district)s Civil Affairs Bureau") % {"district": district.name},
    )  # fmt: skip
    org.uscc = org.uscc or None
    org.filing_number = org.filing_number or None
    return org


def _build(roster: Roster, district: Region, by) -> list[tuple[RosterRow, Organization]]:
    """Organizations for the valid rows, each checked field by field (lengths, choices)."""
    built = []
    for row in roster.rows:
        if not row.is_valid:
            continue
        org = _organization_for(row, district, by)
        try:
            org.full_clean(
                exclude=["region", "district", "created_by"], validate_unique=False, validate_constraints=False
            )
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                header = roster.header_of(field) if field in dict.fromkeys(_ROW_FIELDS + _COUNT_FIELDS) else ""
                for message in messages:
                    row.error(header, _("%(column)s: %(problem)s") % {"column": header or field, "problem": message})
            continue
        built.append((row, org))
    return built


def check_roster(roster_import: RosterImport, *, progress_from: int = 0, progress_to: int = 90):
    """Parse and check the file against the register; returns (roster, [(row, unsaved organization)])."""
    span = progress_to - progress_from

    def progress(done, total):
        set_progress(roster_import.pk, progress_from + span * 0.8 * done / max(total, 1))

    regions = region_index(roster_import.district)
    with roster_import.file.open("rb") as handle:
        roster = parse_roster(
            handle, regions=regions, check_uscc=uscc.validate, check_form=uscc.check_positions, progress=progress
        )
    if roster.problems:
        return roster, []
    _duplicate_checks(roster, roster_import.district)
    built = _build(roster, roster_import.district, roster_import.confirmed_by or roster_import.created_by)
    roster.preview = _preview(roster, regions)
    set_progress(roster_import.pk, progress_to)
    return roster, built


def _preview(roster: Roster, regions: RegionIndex) -> list[dict]:
    """The values the import would write for the first rows, as words (matched street and
    community, the date read), so a misread shows before anyone confirms."""
    forms, categories = dict(LegalForm.choices), dict(Category.choices)
    preview = []
    for row in roster.rows[:PREVIEW_ROWS]:
        values = row.values
        street_id, region_id = values.get("street_id"), values.get("region_id")
        founded = values.get("established_on")
        preview.append(
            {
                "row": row.row,
                "name": values.get("name") or "",
                "legal_form": str(forms.get(values.get("legal_form"), "")),
                "category": str(categories.get(values.get("category"), "")),
                "street": regions.names.get(street_id, ""),
                "community": regions.names.get(region_id, "") if region_id != street_id else "",
                "legal_representative": values.get("legal_representative") or "",
                "phone": values.get("phone") or "",
                "established_on": date_format(founded, "DATE_FORMAT") if founded else "",
                "valid": row.is_valid,
                "notes": row.notes,
            }
        )
    return preview


def _summary(roster: Roster) -> dict:
    errors = [error.as_list() for error in roster.errors]
    return {
        "total_rows": len(roster.rows),
        "valid_rows": len(roster.valid_rows),
        "error_count": len(errors),
        "errors": errors,
        "header_rows": list(roster.header_rows),
        "ignored_headers": roster.ignored_headers,
        "dry_run": {
            "sheet": roster.sheet,
            "notes": roster.notes,
            "preview": roster.preview,
            "names": {str(row.row): row.values.get("name") or "" for row in roster.rows if not row.is_valid},
        },
    }


def _fail(pk: int, message: str) -> None:
    with transaction.atomic():
        roster_import = RosterImport.objects.select_for_update().get(pk=pk)
        before = audit.snapshot(roster_import)
        roster_import.status, roster_import.message = RosterImportStatus.FAILED, message
        roster_import.finished_at = timezone.now()
        roster_import.save()
        audit.record(actor=None, action=AuditAction.TRANSITION, obj=roster_import, before=before, message=message)
    set_progress(pk, 100)


def _require(result: tuple[bool, str]) -> None:
    allowed, reason = result
    if not allowed:
        raise PermissionDenied(reason)


# ---- the steps ----


@transaction.atomic
def roster_import_create(*, file, by, all_or_nothing: bool = False) -> RosterImport:
    """Keep the uploaded roster; checking it is the next step (`roster_import_start` does both)."""
    _require(rules.can_import(by))
    checked = _checked_file(file)
    roster_import = RosterImport(
        district=by.region, file=checked.file, original_name=checked.name,
        all_or_nothing=bool(all_or_nothing), created_by=by,
    )  # fmt: skip
    roster_import.save()
    audit.record(actor=by, action=AuditAction.CREATE, obj=roster_import)
    return roster_import


def _dispatch(task_name: str, roster_import: RosterImport) -> None:
    """Small files now, in this request; large ones in Celery once the transaction commits."""
    if roster_import.file.size <= sync_max_bytes():
        {"validate": roster_import_validate, "run": roster_import_run}[task_name](roster_import.pk)
        return
    # By the task's name (registry.tasks imports this module, never the reverse), after the commit.
    jobs.enqueue(f"registry.tasks.roster_import_{task_name}", roster_import.pk)


def roster_import_start(*, file, by, all_or_nothing: bool = False) -> RosterImport:
    """Upload and dry-run: the roster is kept and checked; no organization is written."""
    roster_import = roster_import_create(file=file, by=by, all_or_nothing=all_or_nothing)
    set_progress(roster_import.pk, 0)
    _dispatch("validate", roster_import)
    roster_import.refresh_from_db()
    return roster_import


def roster_import_validate(pk: int) -> RosterImport | None:
    """The dry run: every row's errors and the count that would import. Writes no organization."""
    # A task redelivered after a lost worker finds the import VALIDATING and checks it again:
    # harmless, since the dry run writes no organization.
    claimed = RosterImport.objects.filter(
        pk=pk, status__in=(RosterImportStatus.UPLOADED, RosterImportStatus.VALIDATING)
    ).update(status=RosterImportStatus.VALIDATING)
    if not claimed:  # already checked
        return RosterImport.objects.filter(pk=pk).first()
    roster_import = RosterImport.objects.select_related("district", "created_by").get(pk=pk)
    try:
        roster, _built = check_roster(roster_import)
    except Exception as error:  # a corrupt file must end as a visible failure, not a stuck job
        logger.exception("Roster import %s could not be checked", pk)
        _fail(pk, _("The file could not be read: %(error)s") % {"error": error})
        return RosterImport.objects.get(pk=pk)
    with transaction.atomic():
        roster_import = RosterImport.objects.select_for_update().get(pk=pk)
        before = audit.snapshot(roster_import)
        for name, value in _summary(roster).items():
            setattr(roster_import, name, value)
        roster_import.status, roster_import.progress = RosterImportStatus.VALIDATED, 100
        roster_import.validated_at = timezone.now()
        roster_import.save()
        audit.record(actor=None, action=AuditAction.TRANSITION, obj=roster_import, before=before,
                     message=_("Checked: %(valid)d of %(total)d rows can be imported, %(errors)d errors.") % {
                         "valid": roster_import.valid_rows, "total": roster_import.total_rows,
                         "errors": roster_import.error_count})  # fmt: skip
    set_progress(pk, 100)
    return roster_import


@transaction.atomic
def _confirm(roster_import: RosterImport, by) -> RosterImport:
    roster_import = RosterImport.objects.select_for_update().get(pk=roster_import.pk)
    _require(rules.can_import(by))
    if by.region_id != roster_import.district_id and not by.is_superuser:
        raise PermissionDenied(_("This is outside your jurisdiction."))
    if roster_import.status != RosterImportStatus.VALIDATED:
        if roster_import.status in (RosterImportStatus.IMPORTING, RosterImportStatus.IMPORTED):
            raise ValidationError({"status": _("This roster has already been confirmed for import.")})
        raise ValidationError({"status": _("The roster can be imported only after it has been checked.")})
    if roster_import.all_or_nothing and roster_import.error_count:
        raise ValidationError(
            {
                "all_or_nothing": _(
                    "The roster has %(n)d errors and “all or nothing” was chosen: nothing will be imported. "
                    "Correct the "
                    "file and upload it again."
                )
                % {"n": roster_import.error_count}
            }
        )
    if not roster_import.valid_rows:
        raise ValidationError({"status": _("No row of the roster can be imported.")})
    before = audit.snapshot(roster_import)
    roster_import.status, roster_import.progress = RosterImportStatus.IMPORTING, 0
    roster_import.confirmed_by, roster_import.confirmed_at = by, timezone.now()
    roster_import.save()
    audit.record(actor=by, action=AuditAction.TRANSITION, obj=roster_import, before=before, message=_("Confirmed"))
    return roster_import


def roster_import_confirm(*, roster_import: RosterImport, by) -> RosterImport:
    """Confirm the checked roster; the import then runs (in Celery for large files)."""
    roster_import = _confirm(roster_import, by)
    set_progress(roster_import.pk, 0)
    _dispatch("run", roster_import)
    roster_import.refresh_from_db()
    return roster_import


def _assign_filing_numbers(organizations: list[Organization], district: Region) -> None:
    pending = [
        org for org in organizations if org.registration_level == RegistrationLevel.FILED and not org.filing_number
    ]
    if not pending:
        return
    first = next_filing_number(district)  # locks the district: numbers stay unique
    prefix, number = re.fullmatch(r"(.*-)(\d+)", first).groups()
    taken = {org.filing_number for org in organizations if org.filing_number}
    sequence = int(number)
    for org in pending:
        while f"{prefix}{sequence:04d}" in taken:
            sequence += 1
        org.filing_number = f"{prefix}{sequence:04d}"
        sequence += 1


def roster_import_run(pk: int) -> RosterImport | None:
    """Import every valid row in one transaction — or nothing (all or nothing with errors, or a
    failure part-way). Re-checks the file against the register first."""
    roster_import = RosterImport.objects.select_related("district", "confirmed_by", "created_by").get(pk=pk)
    if roster_import.status != RosterImportStatus.IMPORTING:
        return roster_import
    try:
        roster, built = check_roster(roster_import, progress_from=0, progress_to=40)
    except Exception as error:
        logger.exception("Roster import %s could not be read", pk)
        _fail(pk, _("The file could not be read: %(error)s") % {"error": error})
        return RosterImport.objects.get(pk=pk)
    summary = _summary(roster)
    if roster_import.all_or_nothing and summary["error_count"]:
        _fail(
            pk,
            _("The roster now has %(n)d errors and “all or nothing” was chosen: nothing was imported.")
            % {"n": summary["error_count"]},
        )
        return RosterImport.objects.get(pk=pk)
    by = roster_import.confirmed_by
    try:
        with transaction.atomic():
            locked = RosterImport.objects.select_for_update().get(pk=pk)
            if locked.status != RosterImportStatus.IMPORTING:  # another worker got here first
                return locked
            organizations = [org for _row, org in built]
            _assign_filing_numbers(organizations, roster_import.district)
            for start in range(0, len(organizations), _BATCH):
                Organization.objects.bulk_create(organizations[start : start + _BATCH])
                set_progress(pk, 40 + 45 * (start + _BATCH) / max(len(organizations), 1))
            regions = Region.objects.in_bulk({org.region_id for org in organizations})
            for org in organizations:
                org.region = regions[org.region_id]
            message = _("Imported from roster %(name)s (import %(id)d).") % {"name": locked.original_name, "id": pk}
            audit.record_many(actor=by, action=AuditAction.IMPORT, objs=organizations, message=message)
            before = audit.snapshot(locked)
            for name, value in summary.items():
                setattr(locked, name, value)
            locked.status, locked.progress = RosterImportStatus.IMPORTED, 100
            locked.imported_count, locked.finished_at = len(organizations), timezone.now()
            locked.save()
            audit.record(
                actor=by,
                action=AuditAction.IMPORT,
                obj=locked,
                before=before,
                message=_("%(n)d organizations imported.") % {"n": len(organizations)},
            )
    except (DatabaseError, ValidationError) as error:
        logger.exception("Roster import %s failed", pk)
        _fail(pk, _("The import failed and nothing was written: %(error)s") % {"error": error})
        return RosterImport.objects.get(pk=pk)
    set_progress(pk, 100)
    return locked
