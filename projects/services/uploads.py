"""Workbook uploads applied in one transaction: every row valid, or nothing written."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.choices import AuditAction

from .. import permissions
from ..expenditure_xlsx import plan_expenditure_upload
from ..ledger_xlsx import plan_ledger_upload
from ..models import Project
from ..rules import check_project_running, require
from .expenditures import expenditure_create
from .ledger import ledger_entry_correct, ledger_entry_create, ledger_entry_update


@transaction.atomic
def ledger_upload_apply(*, project: Project, by, rows: list[tuple[int, dict]]) -> dict:
    """Apply an uploaded ledger workbook in one transaction: every row valid, or nothing written.
    New rows become drafts, changed drafts are updated, changed submitted entries are corrected."""
    project = (
        Project.objects.select_for_update(of=("self",)).select_related("organization", "funder").get(pk=project.pk)
    )
    require(permissions.may_record(by, project))
    check_project_running(project)
    plan = plan_ledger_upload(project, rows)
    failed = [row for row in plan if row.action == "error"]
    if failed:
        raise ValidationError(
            {"file": [_("Row %(row)d: %(errors)s") % {"row": row.number, "errors": row.error_text} for row in failed]}
        )
    counts = {"create": 0, "update": 0, "correct": 0, "unchanged": 0}
    for row in plan:
        if row.action == "create":
            ledger_entry_create(project=project, by=by, audit_action=AuditAction.IMPORT, **row.data)
        elif row.action == "update":
            ledger_entry_update(entry=row.entry, by=by, **row.data)
        elif row.action == "correct":
            ledger_entry_correct(entry=row.entry, by=by, **row.data)
        counts[row.action] += 1
    return counts


@transaction.atomic
def expenditure_upload_apply(*, project: Project, by, rows: list[tuple[int, dict]]) -> int:
    """Record an uploaded expenditure workbook in one transaction: every row valid, or nothing
    written. Each row goes through expenditure_create (budget line locked, balance checked), so
    spending recorded by someone else since the dry run is refused here as it would be by hand."""
    project = (
        Project.objects.select_for_update(of=("self",)).select_related("organization", "funder").get(pk=project.pk)
    )
    require(permissions.may_record(by, project))
    check_project_running(project)
    plan = plan_expenditure_upload(project, rows)
    failed = [row for row in plan if row.errors]
    if not plan:
        raise ValidationError({"file": _("File: the workbook has no expenditures.")})
    if failed:
        raise ValidationError(
            {"file": [_("Row %(row)d: %(errors)s") % {"row": row.number, "errors": row.error_text} for row in failed]}
        )
    for row in plan:
        try:
            expenditure_create(project=project, by=by, audit_action=AuditAction.IMPORT, **row.data)
        except ValidationError as error:
            messages = "；".join(m for ms in error.message_dict.values() for m in ms)
            raise ValidationError(
                {"file": [_("Row %(row)d: %(errors)s") % {"row": row.number, "errors": messages}]}
            ) from error
    return len(plan)
