"""The party app's configurable numbers, read from settings with the issue's defaults."""

from django.conf import settings


def contact_interval_months() -> int:
    """Each active organization is contacted at least once per period of this many months (3: a
    quarter). Periods are calendar periods starting in January, so the value divides 12."""
    months = getattr(settings, "PARTY_CONTACT_INTERVAL_MONTHS", 3)
    if months not in (1, 2, 3, 4, 6, 12):
        raise ValueError("PARTY_CONTACT_INTERVAL_MONTHS must divide 12")
    return months


def term_warning_days() -> int:
    """A party organization's term (换届) is flagged and reminded this many days before it ends."""
    return getattr(settings, "PARTY_TERM_WARNING_DAYS", 90)


def standalone_minimum_members() -> int:
    """Full party members an organization needs to form its own party organization (应建), and a
    standalone party organization at least has."""
    return getattr(settings, "PARTY_STANDALONE_MINIMUM_MEMBERS", 3)
