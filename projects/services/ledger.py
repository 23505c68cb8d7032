"""Ledger entries: drafts, submission, review, corrections and attachments."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import audit
from core.choices import AuditAction
from core.uploads import CheckedUpload

from .. import permissions
from ..choices import ENTRY_CORRECTABLE, ENTRY_EDITABLE, ENTRY_UNDER_REVIEW, EntryStatus
from ..models import LedgerAttachment, LedgerEntry, Project
from ..rules import ENTRY_FIELDS, check_project_running, clean_entry_data, require, user_or_none
from ..uploads import LEDGER_ATTACHMENT_UPLOADS
from ..workflows import LEDGER_ENTRY


def _lock_entry(entry: LedgerEntry) -> LedgerEntry:
    return LEDGER_ENTRY.lock(entry)


@transaction.atomic
def ledger_entry_create(
    *, project: Project, by, attachments=(), audit_action=AuditAction.CREATE, **data
) -> LedgerEntry:
    require(permissions.may_record(by, project))
    check_project_running(project)
    cleaned, errors = clean_entry_data(project, data)
    if errors:
        raise ValidationError(errors)
    # Every file is judged before anything is written, so a refused one leaves nothing behind.
    checked = [(kind, _check_attachment(kind, upload)) for kind, upload in attachments]
    entry = LedgerEntry.objects.create(project=project, created_by=user_or_none(by), **cleaned)
    for kind, upload in checked:
        _attach(entry, kind, upload, by)
    audit.record(actor=by, action=audit_action, obj=entry)
    return entry


@transaction.atomic
def ledger_entry_update(*, entry: LedgerEntry, by, **data) -> LedgerEntry:
    entry = _lock_entry(entry)
    require(permissions.may_record(by, entry.project))
    if entry.status not in ENTRY_EDITABLE:
        raise ValidationError(
            {
                "status": _(
                    "Status: a submitted ledger entry is never edited in place; make a correction (a new version)."
                )
            }
        )
    merged = {name: getattr(entry, name) for name in ENTRY_FIELDS} | data
    cleaned, errors = clean_entry_data(entry.project, merged)
    if errors:
        raise ValidationError(errors)
    before = audit.snapshot(entry)
    for name, value in cleaned.items():
        setattr(entry, name, value)
    entry.save()
    audit.record(actor=by, action=AuditAction.UPDATE, obj=entry, before=before)
    return entry


@transaction.atomic
def ledger_entry_delete(*, entry: LedgerEntry, by) -> None:
    """Only a draft may be deleted; nothing submitted is ever deleted."""
    entry = _lock_entry(entry)
    require(permissions.may_record(by, entry.project))
    if entry.status != EntryStatus.DRAFT:
        raise ValidationError({"status": _("Status: a submitted ledger entry cannot be deleted.")})
    audit.record(actor=by, action=AuditAction.DELETE, obj=entry, before=audit.snapshot(entry), after=None)
    entry.attachments.all().delete()
    entry.delete()


def submit_locked_entry(entry: LedgerEntry, by) -> LedgerEntry:
    """Submit a draft whose row the caller holds locked (alone, or with its quarter). A correction
    is “resubmitted”: it replaces the version it corrects, which stays readable as it was."""
    require(permissions.may_record(by, entry.project))
    if entry.status in ENTRY_UNDER_REVIEW or entry.status == EntryStatus.ACCEPTED:
        raise ValidationError({"status": _("Status: this ledger entry has already been submitted.")})

    def effect(entry, transition):
        _cleaned, errors = clean_entry_data(entry.project, {n: getattr(entry, n) for n in ENTRY_FIELDS})
        if errors:
            raise ValidationError(errors)
        if entry.previous_version_id:
            # Locked so that the funder cannot accept the old version while it is being replaced.
            previous = LedgerEntry.objects.select_for_update().get(pk=entry.previous_version_id)
            if previous.status == EntryStatus.ACCEPTED:
                raise ValidationError(
                    {"status": _("Status: the version this corrects has been accepted in the meantime.")}
                )
            previous.is_current = False
            previous.save(update_fields=["is_current", "updated_at"])
        entry.submitted_at = timezone.now()

    message = _("Resubmit") if entry.previous_version_id else ""
    return LEDGER_ENTRY.apply(entry, "submit", by=by, effect=effect, message=message, locked=True)


@transaction.atomic
def ledger_entry_submit(*, entry: LedgerEntry, by) -> LedgerEntry:
    entry = _lock_entry(entry)
    require(permissions.may_record(by, entry.project))
    check_project_running(entry.project)
    return submit_locked_entry(entry, by)


def _only_the_current_version(entry: LedgerEntry, transition) -> None:
    if not entry.is_current:
        raise ValidationError({"status": _("Status: this version has been replaced by a correction.")})


@transaction.atomic
def ledger_entry_accept(*, entry: LedgerEntry, by) -> LedgerEntry:
    return LEDGER_ENTRY.apply(entry, "accept", by=by, effect=_only_the_current_version)


@transaction.atomic
def ledger_entry_return(*, entry: LedgerEntry, by, reason: str) -> LedgerEntry:
    """Return an entry to its organization, whose accounts are told why (core.notifications)."""
    return LEDGER_ENTRY.apply(entry, "return", by=by, reason=reason, effect=_only_the_current_version)


@transaction.atomic
def ledger_entry_correct(*, entry: LedgerEntry, by, **data) -> LedgerEntry:
    """A correction of a submitted or returned entry: a new draft version with the changes; the
    old version is unchanged and is replaced when the correction is submitted."""
    entry = _lock_entry(entry)
    require(permissions.may_record(by, entry.project))
    check_project_running(entry.project)
    if entry.status == EntryStatus.DRAFT:
        raise ValidationError({"status": _("Status: a draft is edited directly; no correction is needed.")})
    if entry.status not in ENTRY_CORRECTABLE or not entry.is_current:
        raise ValidationError({"status": _("Status: an accepted or replaced ledger entry cannot be corrected.")})
    if LedgerEntry.objects.filter(previous_version=entry).exists():
        raise ValidationError({"status": _("Status: a correction of this entry already exists.")})
    merged = {name: getattr(entry, name) for name in ENTRY_FIELDS} | data
    cleaned, errors = clean_entry_data(entry.project, merged)
    if errors:
        raise ValidationError(errors)
    correction = LedgerEntry.objects.create(
        project=entry.project,
        previous_version=entry,
        version=entry.version + 1,
        created_by=user_or_none(by),
        **cleaned,
    )
    for attachment in entry.attachments.all():
        LedgerAttachment.objects.create(
            entry=correction,
            kind=attachment.kind,
            file=attachment.file.name,
            original_name=attachment.original_name,
            created_by=correction.created_by,
        )
    audit.record(
        actor=by,
        action=AuditAction.CREATE,
        obj=correction,
        message=_("Correction of version %(version)s") % {"version": entry.version},
    )
    return correction


def _check_attachment(kind: str, upload) -> CheckedUpload:
    """A photo or sign-in sheet judged by its content against its kind's policy."""
    policy = LEDGER_ATTACHMENT_UPLOADS.get(kind)
    if policy is None:
        raise ValidationError({"attachments": _("Attachments: say whether the file is a photo or a sign-in sheet.")})
    return policy.check(upload, field="attachments")


def _attach(entry: LedgerEntry, kind: str, checked: CheckedUpload, by) -> LedgerAttachment:
    return LedgerAttachment.objects.create(
        entry=entry,
        kind=kind,
        file=checked.file,
        original_name=checked.name[-200:],
        created_by=user_or_none(by),
    )


@transaction.atomic
def ledger_attachment_add(*, entry: LedgerEntry, by, kind: str, upload) -> LedgerAttachment:
    entry = _lock_entry(entry)
    require(permissions.may_record(by, entry.project))
    if entry.status != EntryStatus.DRAFT:
        raise ValidationError(
            {
                "attachments": _(
                    "Attachments: a submitted ledger entry is never edited in place; make a correction (a new version)."
                )
            }
        )
    attachment = _attach(entry, kind, _check_attachment(kind, upload), by)
    audit.record(actor=by, action=AuditAction.CREATE, obj=attachment)
    return attachment
