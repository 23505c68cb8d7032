"""Contact periods (定期联系制度) and when an organization is overdue.

Each active organization is contacted at least once per period of `contact_interval_months()` months
(default 3: calendar quarters). An organization is **overdue** on a day when neither the current
period nor the whole previous one holds a contact with it — that is, when its last contact on or
before that day (or, if it has none, the day it became active) falls before the start of the previous
period. So a quarter that passed without a contact makes the organization overdue from the first day
of the next quarter until someone contacts it; a contact recorded today ends it. An organization that
became active during the previous period is not overdue before the current period ends without one.

E.g. quarters: last contact 31 March 2026 — on 30 June it is not overdue (the previous period, Q1,
holds the contact); on 1 July it is (Q2 passed without one).
"""

from __future__ import annotations

import datetime as dt

from .conf import contact_interval_months


def period_start(day: dt.date) -> dt.date:
    """The first day of the contact period holding `day`."""
    months = contact_interval_months()
    return dt.date(day.year, (day.month - 1) // months * months + 1, 1)


def previous_period_start(day: dt.date) -> dt.date:
    start = period_start(day)
    return period_start(start - dt.timedelta(days=1))


def period_end(day: dt.date) -> dt.date:
    """The last day of the contact period holding `day`."""
    months = contact_interval_months()
    start = period_start(day)
    month = start.month + months
    year = start.year + (month - 1) // 12
    month = (month - 1) % 12 + 1
    return dt.date(year, month, 1) - dt.timedelta(days=1)


def overdue_before(day: dt.date) -> dt.date:
    """An organization whose last contact (or start) is before this date is overdue on `day`."""
    return previous_period_start(day)
