"""Reminders of the projects app's deadlines, sent daily by projects.tasks.send_due_reminders (job
`projects-due-reminders`) through core.notifications, at most once per item per person per day, each
with its own kind (projects.reminders, the catalogue):

- **Ledger quarters**: a quarter of an active project due within `conf.reminder_days_ahead()` days or
  overdue, not submitted — the organization's accounts, daily.
- **Contract milestones** (tranches) of the current contract of an active project, not yet delivered
  (pending or returned): 7 and 1 days before the due date, the day after it and then every 7 days —
  the organization's accounts. **Contract end**: 30 and 7 days before the current contract's end date
  — the organization's and the funder's accounts.
- **Major-activity reports** still awaiting the bureau (submitted, neither acknowledged nor objected
  to) from 3 days before the activity to its day — the bureau administrators and clerks of the
  organization's district, daily. (The platform learns of an activity from its report; an activity
  never reported is not known to it.)

Set-based: a query for the items of each reminder and one for the people told.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.selectors import bureau_by_district
from core import notifications
from registry.models import OrganizationMember

from .. import periods
from ..choices import PROJECT_ACTIVE, MajorActivityStatus, MilestoneStatus, SubmissionStatus
from ..conf import reminder_days_ahead
from ..models import Contract, FunderMember, MajorActivityReport, Milestone, Project, QuarterlySubmission
from ..reminders import (
    CONTRACT_END_DAYS_BEFORE,
    LEDGER_KIND,
    MAJOR_ACTIVITY_DAYS_BEFORE,
    MAJOR_ACTIVITY_KIND,
    MILESTONE_DAYS_BEFORE,
    MILESTONE_EVERY_AFTER,
    MILESTONE_KIND,
)
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
    notification and one e-mail per person, quarter and day at most. Returns notifications made.

    Set-based: only the active projects whose organization has an active account are read (a
    semi-join: a project nobody can be told of costs nothing), their submissions in one query and
    the accounts in one query, instead of every active project with all its submissions and a query
    per project for its accounts."""
    today = today or timezone.localdate()
    horizon = today + dt.timedelta(days=reminder_days_ahead())
    told = OrganizationMember.objects.filter(organization=OuterRef("organization_id"), user__is_active=True)
    # A project that starts after the horizon has no quarter due by then (a deadline follows its quarter).
    candidates = Project.objects.filter(status__in=PROJECT_ACTIVE, start_date__lte=horizon).filter(Exists(told))
    projects = list(candidates.only("pk", "code", "title", "organization_id", "start_date", "end_date").order_by("pk"))
    if not projects:
        return 0
    submitted: dict[int, set[tuple[int, int]]] = defaultdict(set)
    rows = QuarterlySubmission.objects.filter(project__in=candidates.values("pk")).exclude(
        status=SubmissionStatus.RETURNED
    )
    for project_id, year, quarter in rows.values_list("project_id", "year", "quarter").order_by():
        submitted[project_id].add((year, quarter))
    members = _accounts(p.organization_id for p in projects)
    sent = 0
    for project in projects:
        due = due_quarters(project, today, submitted[project.pk])
        if not due:
            continue
        accounts = members.get(project.organization_id, [])
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
                kind=LEDGER_KIND,
            )
    return sent


def _accounts(organization_ids) -> dict[int, list]:
    """The accounts of each organization: one query (core.notifications leaves out inactive ones)."""
    accounts: dict[int, list] = defaultdict(list)
    members = OrganizationMember.objects.filter(organization_id__in=set(organization_ids)).select_related("user")
    for member in members.order_by("organization_id", "pk"):
        accounts[member.organization_id].append(member.user)
    return accounts


def milestone_reminder_day(due: dt.date, today: dt.date) -> bool:
    """Whether `today` is a reminder day of a milestone due on `due`: MILESTONE_DAYS_BEFORE before
    it, the day after it, then every MILESTONE_EVERY_AFTER days."""
    days = (due - today).days
    return days in MILESTONE_DAYS_BEFORE or (days < 0 and (-days - 1) % MILESTONE_EVERY_AFTER == 0)


def milestone_reminders_send(*, today: dt.date | None = None) -> int:
    """Remind the organization's accounts of each undelivered milestone of a current contract of an
    active project on its reminder days. Returns the reminders made."""
    today = today or timezone.localdate()
    soon = [today + dt.timedelta(days=n) for n in MILESTONE_DAYS_BEFORE]
    milestones = [
        milestone
        for milestone in Milestone.objects.filter(
            contract__is_current=True,
            project__status__in=PROJECT_ACTIVE,
            status__in=(MilestoneStatus.PENDING, MilestoneStatus.RETURNED),
        )
        .filter(Q(due_date__in=soon) | Q(due_date__lt=today))
        .select_related("project")
        .order_by("due_date", "pk")
        if milestone_reminder_day(milestone.due_date, today)
    ]
    if not milestones:
        return 0
    accounts = _accounts(m.project.organization_id for m in milestones)
    sent = 0
    for milestone in milestones:
        project = milestone.project
        values = {
            "sequence": milestone.sequence,
            "deliverable": milestone.deliverable,
            "project": project.title,
            "due": fmt_date(milestone.due_date),
        }
        if milestone.due_date < today:
            title = _("Overdue: milestone %(sequence)d (%(deliverable)s) of %(project)s was due on %(due)s") % values
        else:
            title = _("Due soon: milestone %(sequence)d (%(deliverable)s) of %(project)s is due on %(due)s") % values
        sent += notifications.remind(
            accounts.get(project.organization_id, []),
            item_key=f"milestone:{milestone.pk}",
            title=title,
            body=_("Deliver the milestone and report its delivery, so that the funder can accept it and pay the "
                   "tranche."),
            url=milestone.get_absolute_url(),
            today=today,
            kind=MILESTONE_KIND,
        )  # fmt: skip
    return sent


def contract_end_reminders_send(*, today: dt.date | None = None) -> int:
    """Remind the organization's and the funder's accounts of each current contract of an active
    project ending in CONTRACT_END_DAYS_BEFORE days. Returns the reminders made."""
    today = today or timezone.localdate()
    contracts = list(
        Contract.objects.filter(
            is_current=True,
            project__status__in=PROJECT_ACTIVE,
            end_date__in=[today + dt.timedelta(days=n) for n in CONTRACT_END_DAYS_BEFORE],
        )
        .select_related("project")
        .order_by("end_date", "pk")
    )
    if not contracts:
        return 0
    accounts = _accounts(c.project.organization_id for c in contracts)
    funders: dict[int, list] = defaultdict(list)
    for member in FunderMember.objects.filter(funder_id__in={c.project.funder_id for c in contracts}).select_related(
        "user"
    ):
        funders[member.funder_id].append(member.user)
    sent = 0
    for contract in contracts:
        project = contract.project
        values = {
            "number": contract.number,
            "project": project.title,
            "date": fmt_date(contract.end_date),
            "days": (contract.end_date - today).days,
        }
        sent += notifications.remind(
            [*accounts.get(project.organization_id, []), *funders.get(project.funder_id, [])],
            item_key=f"contract-end:{contract.pk}",
            title=_("Contract %(number)s of %(project)s ends on %(date)s (in %(days)d days)") % values,
            body=_("Deliver the remaining milestones and prepare the final review before the contract ends."),
            url=contract.get_absolute_url(),
            today=today,
            kind=MILESTONE_KIND,
        )
    return sent


def major_activity_reminders_send(*, today: dt.date | None = None) -> int:
    """Remind the bureau of each major-activity report still awaiting its decision when the activity
    is MAJOR_ACTIVITY_DAYS_BEFORE days away or nearer (to its day). Returns the reminders made."""
    today = today or timezone.localdate()
    reports = list(
        MajorActivityReport.objects.filter(
            status=MajorActivityStatus.SUBMITTED,
            planned_date__gte=today,
            planned_date__lte=today + dt.timedelta(days=MAJOR_ACTIVITY_DAYS_BEFORE),
        )
        .select_related("organization")
        .order_by("planned_date", "pk")
    )
    if not reports:
        return 0
    bureau = bureau_by_district(r.organization.district_id for r in reports)
    sent = 0
    for report in reports:
        values = {
            "organization": report.organization.name,
            "title": report.title,
            "date": fmt_date(report.planned_date),
            "days": (report.planned_date - today).days,
        }
        sent += notifications.remind(
            bureau.get(report.organization.district_id, []),
            item_key=f"major-activity:{report.pk}",
            title=_("Awaiting your decision: %(organization)s's major activity %(title)s on %(date)s") % values,
            body=_("The activity takes place in %(days)d days: acknowledge the report or object to it.") % values,
            url=report.get_absolute_url(),
            today=today,
            kind=MAJOR_ACTIVITY_KIND,
        )
    return sent


def due_reminders_send(*, today: dt.date | None = None) -> dict:
    """The daily run of projects-due-reminders: ledger quarters, milestones, contract ends, major
    activities. Returns the reminders made of each."""
    today = today or timezone.localdate()
    return {
        "ledger": reminders_send(today=today),
        "milestones": milestone_reminders_send(today=today),
        "contracts": contract_end_reminders_send(today=today),
        "major_activities": major_activity_reminders_send(today=today),
    }
