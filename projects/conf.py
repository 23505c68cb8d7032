"""The projects app's configurable numbers, read from settings with the issue's defaults."""

from django.conf import settings


def quarter_due_days() -> int:
    """Days after a quarter's end by which its submission is due."""
    return getattr(settings, "PROJECTS_QUARTER_DUE_DAYS", 10)


def major_activity_participants() -> int:
    """Activities with more participants than this, or with foreign involvement
    (LedgerEntry/MajorActivityReport.foreign_involvement), must be reported in advance."""
    return getattr(settings, "PROJECTS_MAJOR_ACTIVITY_PARTICIPANTS", 200)


def major_activity_window_days() -> int:
    """A ledger entry above the thresholds counts as reported when its organization reported a major
    activity planned within this many days of the entry's date (either side)."""
    return getattr(settings, "PROJECTS_MAJOR_ACTIVITY_WINDOW_DAYS", 3)


def major_activity_notice_days() -> int:
    """Days in advance a major activity must be reported."""
    return getattr(settings, "PROJECTS_MAJOR_ACTIVITY_NOTICE_DAYS", 10)


def reminder_days_ahead() -> int:
    """Submissions due within this many days are reminded of."""
    return getattr(settings, "PROJECTS_REMINDER_DAYS_AHEAD", 5)


def quarter_submit_lead_days() -> int:
    """A quarter may be submitted from this many days before its last day (0: from the last day),
    so that nothing of the quarter is still to be recorded when it is locked."""
    return getattr(settings, "PROJECTS_QUARTER_SUBMIT_LEAD_DAYS", 0)
