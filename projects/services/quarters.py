"""Quarterly submissions: a quarter's entries submitted together and reviewed together."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from core import audit, bounds
from core.choices import AuditAction

from .. import periods, permissions
from ..choices import ENTRY_UNDER_REVIEW, EntryStatus, SubmissionStatus
from ..models import LedgerEntry, Project, QuarterlySubmission
from ..rules import check_project_running, require, user_or_none
from ..workflows import QUARTERLY_SUBMISSION
from .ledger import submit_locked_entry


def quarter_entries(project_id: int, year: int, quarter: int):
    return LedgerEntry.objects.filter(
        project_id=project_id,
        is_current=True,
        date__gte=periods.quarter_start(year, quarter),
        date__lte=periods.quarter_end(year, quarter),
    )


@transaction.atomic
def quarterly_submission_submit(
    *, project: Project, by, year: int, quarter: int, narrative: str
) -> QuarterlySubmission:
    """Submit a quarter: its draft entries are submitted with it. Submitting twice (double click,
    two tabs) makes one submission; the second is refused."""
    # The project's row serialises submissions of the same project.
    project = (
        Project.objects.select_for_update(of=("self",)).select_related("organization", "funder").get(pk=project.pk)
    )
    require(permissions.may_record(by, project))
    check_project_running(project)
    try:
        year, quarter = int(year), int(quarter)
    except (TypeError, ValueError) as error:
        raise ValidationError({"quarter": _("Quarter: choose a quarter of the project period.")}) from error
    if (year, quarter) not in project.quarters:
        raise ValidationError(
            {
                "quarter": _("Quarter: %(quarter)s is outside the project period.")
                % {"quarter": periods.quarter_label(year, quarter)}
            }
        )
    opens = periods.submittable_from(year, quarter)
    if opens > timezone.localdate():
        # Submitted early, an accepted quarter would lock the rest of it against new entries.
        raise ValidationError(
            {
                "quarter": _("Quarter: %(quarter)s can be submitted from %(date)s on, when it is nearly over.")
                % {"quarter": periods.quarter_label(year, quarter), "date": date_format(opens, "DATE_FORMAT")}
            }
        )
    if not (narrative or "").strip():
        raise ValidationError({"narrative": _("Narrative: please describe the quarter's work.")})
    bounds.validate(QuarterlySubmission, {"narrative": narrative.strip()})
    submission = (
        QuarterlySubmission.objects.select_for_update().filter(project=project, year=year, quarter=quarter).first()
    )
    now = timezone.now()
    if submission is None:
        submission = QuarterlySubmission.objects.create(
            project=project,
            year=year,
            quarter=quarter,
            narrative=narrative.strip(),
            status=SubmissionStatus.SUBMITTED,
            first_submitted_at=now,
            submitted_at=now,
            submitted_by=user_or_none(by),
            created_by=user_or_none(by),
        )
        audit.record(actor=by, action=AuditAction.CREATE, obj=submission, message=str(SubmissionStatus.SUBMITTED.label))
    else:
        if submission.status != SubmissionStatus.RETURNED:
            raise ValidationError(
                {
                    "quarter": _(
                        "Quarter: %(quarter)s has already been submitted (%(status)s); it cannot be submitted twice."
                    )
                    % {"quarter": submission.quarter_label, "status": submission.get_status_display()}
                }
            )
        narrative = narrative.strip()

        def resubmit(submission, transition):
            submission.narrative = narrative
            submission.submitted_at, submission.submitted_by = now, user_or_none(by)

        submission = QUARTERLY_SUBMISSION.apply(submission, "resubmit", by=by, effect=resubmit, locked=True)
    for entry in (
        quarter_entries(project.pk, year, quarter)
        .filter(status=EntryStatus.DRAFT)
        .select_for_update(of=("self",))
        .select_related("project")
        .order_by("pk")
    ):
        submit_locked_entry(entry, by)
    return submission


def _accept_entries(submission: QuarterlySubmission, by) -> None:
    """Acceptance's consequence: the quarter's entries under review are accepted with it."""
    entries = (
        quarter_entries(submission.project_id, submission.year, submission.quarter)
        .filter(status__in=ENTRY_UNDER_REVIEW)
        .select_for_update(of=("self",))
        .order_by("pk")
    )
    now, reviewer = timezone.now(), user_or_none(by)
    for entry in entries:
        entry_before = audit.snapshot(entry)
        entry.status, entry.reviewed_at, entry.reviewed_by = EntryStatus.ACCEPTED, now, reviewer
        entry.save(update_fields=["status", "reviewed_at", "reviewed_by", "updated_at"])
        audit.record(
            actor=by,
            action=AuditAction.TRANSITION,
            obj=entry,
            before=entry_before,
            message=_("Accepted with quarter %(quarter)s") % {"quarter": submission.quarter_label},
        )


@transaction.atomic
def quarterly_submission_accept(*, submission: QuarterlySubmission, by) -> QuarterlySubmission:
    """Accept a quarter: its entries under review are accepted, and the quarter locks."""
    return QUARTERLY_SUBMISSION.apply(
        submission, "accept", by=by, effect=lambda submission, transition: _accept_entries(submission, by)
    )


@transaction.atomic
def quarterly_submission_return(*, submission: QuarterlySubmission, by, reason: str) -> QuarterlySubmission:
    return QUARTERLY_SUBMISSION.apply(submission, "return", by=by, reason=reason)
