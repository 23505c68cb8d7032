"""States and transitions of projects, ledger entries, quarterly submissions, budget adjustments and
major-activity reports, declared on the one engine (core.workflows). The services move every object
with `<WORKFLOW>.apply`; the pages and the API offer its transitions (`offers`, OffersField)."""

from __future__ import annotations

from django.utils.translation import gettext, gettext_lazy, pgettext_lazy

from core.workflows import Transition, Workflow

from . import permissions
from .choices import (
    ENTRY_CORRECTABLE,
    ENTRY_EDITABLE,
    ENTRY_UNDER_REVIEW,
    PROJECT_ACTIVE,
    SUBMISSION_UNDER_REVIEW,
    AdjustmentStatus,
    EntryStatus,
    MajorActivityStatus,
    MilestoneStatus,
    ProjectStatus,
    SubmissionStatus,
)
from .models import BudgetAdjustment, LedgerEntry, MajorActivityReport, Milestone, Project, QuarterlySubmission

__all__ = [
    "BUDGET_ADJUSTMENT",
    "ENTRY_CORRECTABLE",
    "ENTRY_EDITABLE",
    "ENTRY_UNDER_REVIEW",
    "LEDGER_ENTRY",
    "MAJOR_ACTIVITY",
    "MILESTONE",
    "PROJECT",
    "PROJECT_ACTIVE",
    "QUARTERLY_SUBMISSION",
]


def _project_organization(item) -> list:
    return item.project.organization.accounts()


def _organization(item) -> list:
    return item.organization.accounts()


S = ProjectStatus
PROJECT = Workflow(
    Project,
    (
        Transition(
            "approve",
            {S.APPLIED},
            S.APPROVED,
            gettext_lazy("Approve the project"),
            decides=True,
            permission=permissions.may_manage,
        ),
        Transition("start", {S.APPROVED}, S.IN_PROGRESS, gettext_lazy("Start"), permission=permissions.may_manage),
        Transition(
            "mid_term_review",
            {S.IN_PROGRESS},
            S.MID_TERM_REVIEW,
            gettext_lazy("Begin mid-term review"),
            permission=permissions.may_manage,
        ),
        Transition(
            "final_review",
            {S.MID_TERM_REVIEW},
            S.FINAL_REVIEW,
            gettext_lazy("Begin final review"),
            permission=permissions.may_manage,
        ),
        Transition(
            "close", {S.FINAL_REVIEW}, S.CLOSED, pgettext_lazy("project", "Close"), permission=permissions.may_close
        ),
        Transition(
            "terminate",
            {S.APPLIED, *PROJECT_ACTIVE},
            S.TERMINATED,
            gettext_lazy("Terminate"),
            button="outline-danger",
            needs_reason=True,
            notify=True,
            permission=permissions.may_manage,
        ),
    ),
    kind="projects.project",
    audience=_organization,
    url_name="projects:project_transition",
    lock_related=("organization__region", "funder"),
)

E = EntryStatus
LEDGER_ENTRY = Workflow(
    LedgerEntry,
    (
        # A correction (a later version) is “resubmitted”: it replaces the version under review.
        Transition(
            "submit",
            ENTRY_EDITABLE,
            lambda entry: E.RESUBMITTED if entry.previous_version_id else E.SUBMITTED,
            gettext_lazy("Submit"),
            permission=permissions.may_record_item,
        ),
        Transition(
            "accept",
            ENTRY_UNDER_REVIEW,
            E.ACCEPTED,
            gettext_lazy("Accept"),
            button="success",
            decides=True,
            permission=permissions.may_decide,
        ),
        Transition(
            "return",
            ENTRY_UNDER_REVIEW,
            E.RETURNED,
            gettext_lazy("Return"),
            button="outline-danger",
            needs_reason=True,
            decides=True,
            permission=permissions.may_decide,
        ),
    ),
    kind="projects.ledger_entry",
    audience=_project_organization,
    url_name="projects:ledgerentry_action",
    lock_related=("project__organization", "project__funder"),
)

Q = SubmissionStatus
QUARTERLY_SUBMISSION = Workflow(
    QuarterlySubmission,
    (
        Transition(
            "resubmit", {Q.RETURNED}, Q.RESUBMITTED, gettext_lazy("Resubmit"), permission=permissions.may_record_item
        ),
        Transition(
            "accept",
            SUBMISSION_UNDER_REVIEW,
            Q.ACCEPTED,
            gettext_lazy("Accept the quarter"),
            button="success",
            decides=True,
            permission=permissions.may_decide,
        ),
        Transition(
            "return",
            SUBMISSION_UNDER_REVIEW,
            Q.RETURNED,
            gettext_lazy("Return"),
            button="outline-danger",
            needs_reason=True,
            decides=True,
            permission=permissions.may_decide,
        ),
    ),
    kind="projects.quarterly_submission",
    audience=_project_organization,
    url_name="projects:quarterlysubmission_action",
    lock_related=("project__organization", "project__funder"),
)

A = AdjustmentStatus
BUDGET_ADJUSTMENT = Workflow(
    BudgetAdjustment,
    (
        Transition(
            "approve",
            {A.PROPOSED},
            A.APPROVED,
            pgettext_lazy("budget adjustment", "Approve"),
            button="outline-success",
            decides=True,
            permission=permissions.may_decide,
        ),
        Transition(
            "reject",
            {A.PROPOSED},
            A.REJECTED,
            pgettext_lazy("budget adjustment", "Reject"),
            button="outline-danger",
            needs_reason=True,
            decides=True,
            permission=permissions.may_decide,
        ),
    ),
    kind="projects.budget_adjustment",
    audience=_project_organization,
    url_name="projects:budgetadjustment_decide",
    lock_related=("project__organization", "project__funder", "from_line", "to_line"),
)

M = MajorActivityStatus
MAJOR_ACTIVITY = Workflow(
    MajorActivityReport,
    (
        Transition(
            "acknowledge",
            {M.SUBMITTED},
            M.ACKNOWLEDGED,
            gettext_lazy("Acknowledge"),
            button="success",
            decides=True,
            permission=permissions.may_review_major_activity,
        ),
        Transition(
            "object",
            {M.SUBMITTED},
            M.OBJECTED,
            gettext_lazy("Object"),
            button="outline-danger",
            needs_reason=True,
            decides=True,
            permission=permissions.may_review_major_activity,
        ),
    ),
    kind="projects.major_activity",
    audience=_organization,
    url_name="projects:majoractivity_action",
    lock_related=("organization__region",),
)


def _milestone_audience(milestone) -> list:
    """A delivery is told to the funder's people, a decision to the organization's accounts."""
    if milestone.status == MilestoneStatus.SUBMITTED:
        return permissions.funder_people(milestone.project.funder)
    return milestone.project.organization.accounts()


def _milestone_notice(milestone, transition, reason) -> str:
    text = f"{transition.label}：{reason}" if reason else str(transition.label)
    return gettext("%(project)s, milestone %(milestone)s: %(action)s") % {
        "project": milestone.project.code,
        "milestone": milestone,
        "action": text,
    }


MS = MilestoneStatus
# A milestone of a contract version (projects.services.contracts): the organization reports it
# delivered (the note is the step's reason), the funder accepts it or returns it with a reason.
MILESTONE = Workflow(
    Milestone,
    (
        Transition(
            "submit",
            {MS.PENDING, MS.RETURNED},
            MS.SUBMITTED,
            gettext_lazy("Report delivered"),
            notify=True,
            permission=permissions.may_deliver_milestone,
        ),
        Transition(
            "accept",
            {MS.SUBMITTED},
            MS.ACCEPTED,
            gettext_lazy("Accept the milestone"),
            button="success",
            decides=True,
            permission=permissions.may_decide_milestone,
        ),
        Transition(
            "return",
            {MS.SUBMITTED},
            MS.RETURNED,
            gettext_lazy("Return"),
            button="outline-danger",
            needs_reason=True,
            decides=True,
            permission=permissions.may_decide_milestone,
        ),
    ),
    kind="projects.milestone",
    audience=_milestone_audience,
    url_name="projects:milestone_action",
    lock_related=("project__organization", "project__funder", "contract"),
)
