"""The reminders of the projects app in the reminder catalogue (core.notifications.register_reminder):
each its own kind of notice, so a person may turn the e-mail of one off. The reminders themselves
are sent by projects.services.reminders (ledger quarters, contract milestones and end dates, major
activities awaiting the bureau — the daily job `projects-due-reminders`, task
projects.tasks.send_due_reminders) and projects.services.oversight (rectifications — the daily job
`projects-rectification-reminders`, task projects.tasks.send_rectification_reminders)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from core import notifications
from core.choices import BUREAU_ROLES, Role

DUE_JOB = "projects-due-reminders"
RECTIFICATION_JOB = "projects-rectification-reminders"

LEDGER_KIND = "ledger-quarter-due"
MILESTONE_KIND = "contract-milestone-due"
MAJOR_ACTIVITY_KIND = "major-activity-review"
RECTIFICATION_KIND = "rectification-due"

# Days before a milestone's due date on which its delivery is reminded; after it, the day after and
# then every MILESTONE_EVERY_AFTER days until delivered.
MILESTONE_DAYS_BEFORE = (7, 1)
MILESTONE_EVERY_AFTER = 7
# Days before the current contract's end date on which the organization and the funder are reminded.
CONTRACT_END_DAYS_BEFORE = (30, 7)
# A major-activity report still awaiting the bureau is reminded daily from this many days before the
# activity until the day itself.
MAJOR_ACTIVITY_DAYS_BEFORE = 3
# A rectification is reminded this many days before it is due, then daily once overdue.
RECTIFICATION_DAYS_BEFORE = 3

notifications.register_reminder(
    LEDGER_KIND,
    _("Quarterly ledger due"),
    audience=_("The accounts of the organization running the project"),
    when=_("Daily from a few days before the quarter's submission deadline (5 by default) until submitted"),
    job_key=DUE_JOB,
    roles={Role.ORG_USER, *BUREAU_ROLES, Role.STREET_OFFICER},
)
notifications.register_reminder(
    MILESTONE_KIND,
    _("Contract milestones and end dates"),
    audience=_(
        "The organization's accounts for a milestone to deliver; the organization's and the funder's accounts "
        "for the contract's end"
    ),
    when=_(
        "7 and 1 days before a milestone is due, the day after it and then every 7 days until delivered; "
        "30 and 7 days before the contract ends"
    ),
    job_key=DUE_JOB,
    roles={Role.ORG_USER, Role.FUNDER_USER, *BUREAU_ROLES},
)
notifications.register_reminder(
    MAJOR_ACTIVITY_KIND,
    _("Major-activity report awaiting the bureau"),
    audience=_("Bureau administrators and clerks of the organization's district"),
    when=_("Daily from 3 days before the activity until it is acknowledged or objected to, or takes place"),
    job_key=DUE_JOB,
    roles={*BUREAU_ROLES},
)
notifications.register_reminder(
    RECTIFICATION_KIND,
    _("Rectification due"),
    audience=_("The organization's accounts and whoever recorded the supervision visit"),
    when=_("3 days before the rectification is due, then daily once overdue until reported done"),
    job_key=RECTIFICATION_JOB,
    roles={Role.ORG_USER, Role.FUNDER_USER, Role.STREET_OFFICER, *BUREAU_ROLES},
)
