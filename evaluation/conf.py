"""The evaluation app's configurable numbers, read from settings with the issue's defaults."""

from django.conf import settings


def min_responses() -> int:
    """Counted beneficiary answers below which a feedback indicator carries a warning (still computed)."""
    return getattr(settings, "EVALUATION_MIN_RESPONSES", 10)


def flood_limit() -> int:
    """Answers from one client (without respondent codes) to one survey within the window, beyond
    which further answers are set aside for review."""
    return getattr(settings, "EVALUATION_FLOOD_LIMIT", 5)


def flood_window_minutes() -> int:
    return getattr(settings, "EVALUATION_FLOOD_WINDOW_MINUTES", 10)


def grade_warning_days() -> int:
    """An organization's grade is flagged and reminded from this many days before it lapses."""
    return getattr(settings, "EVALUATION_GRADE_WARNING_DAYS", 180)


def publicity_days() -> int:
    """Default length of a round's publicity (公示) in days."""
    return getattr(settings, "EVALUATION_PUBLICITY_DAYS", 7)


def scoring_reminder_days() -> int:
    """Experts with unsubmitted assignments are reminded from this many days before scoring is due."""
    return getattr(settings, "EVALUATION_SCORING_REMINDER_DAYS", 3)


def objection_repeat_minutes() -> int:
    """The same objection from the same contact within this many minutes is a double submission."""
    return getattr(settings, "EVALUATION_OBJECTION_REPEAT_MINUTES", 10)


# Module-level names as the contract spells them (read at import; the functions read settings anew).
EVALUATION_MIN_RESPONSES = min_responses()
EVALUATION_FLOOD_LIMIT = flood_limit()
EVALUATION_FLOOD_WINDOW_MINUTES = flood_window_minutes()
EVALUATION_GRADE_WARNING_DAYS = grade_warning_days()
