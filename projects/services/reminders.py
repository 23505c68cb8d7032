"""Reminders of quarterly submissions due soon or overdue."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _

from core import notifications

from .. import periods
from ..choices import PROJECT_ACTIVE, SubmissionStatus
from ..conf import reminder_days_ahead
from ..models import Project
from ..rules import fmt_date


def due_quarters(project: Project, today: dt.date, submitted: set[tuple[int, int]]) -> list[tuple[int, int, dt.date]]:
    """Quarters of the project due within the reminder window, or overdue, and not submitted.
    (A quarter due within the window has ended: the deadline is days after the quarter's end.)"""
    horizon = today + dt.timedelta(days=reminder_days_ahead())
    result = []
    for year, quarter in project.quarters:
        due = periods.due_date(year, quarter)
        if due <= horizon and (year, quarter) not in submitted:
            result.append((year, quarter, due))
    return result


def reminders_send(*, today: dt.date | None = None) -> int:
    """Remind organizations of quarterly submissions due within a few days or overdue: one in-app
    notification and one e-mail per person, quarter and day at most. Returns notifications made."""
    today = today or timezone.localdate()
    projects = (
        Project.objects.filter(status__in=PROJECT_ACTIVE)
        .select_related("organization")
        .prefetch_related("quarterly_submissions")
    )
    sent = 0
    for project in projects:
        submitted = {
            (s.year, s.quarter) for s in project.quarterly_submissions.all() if s.status != SubmissionStatus.RETURNED
        }
        due = due_quarters(project, today, submitted)
        if not due:
            continue
        accounts = project.organization.accounts()
        for year, quarter, due_on in due:
            label = periods.quarter_label(year, quarter)
            overdue = due_on < today
            if overdue:
                title = _("Overdue: the %(quarter)s ledger of %(project)s was due on %(due)s") % {
                    "quarter": label,
                    "project": project.title,
                    "due": fmt_date(due_on),
                }
            else:
                title = _("Due soon: the %(quarter)s ledger of %(project)s is due on %(due)s") % {
                    "quarter": label,
                    "project": project.title,
                    "due": fmt_date(due_on),
                }
            body = _("Project %(code)s: please submit the ledger entries and narrative of %(quarter)s.") % {
                "code": project.code,
                "quarter": label,
            }
            sent += notifications.remind(
                accounts,
                item_key=f"quarter:{project.pk}:{periods.quarter_key(year, quarter)}",
                title=title,
                body=body,
                url=project.get_absolute_url(),
                today=today,
            )
    return sent
