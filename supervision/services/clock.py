"""The clocks of the lists (社会组织信用信息管理办法): six months on the abnormal-activity list with
nothing to rectify, two years on it before the serious-violation list, two years on that list
before removal — each restarted by a new listing. Calendar months and years, as people count them:
31 August + 6 months is 28 (29) February."""

from __future__ import annotations

import datetime as dt

from django.db.models import Max, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce, Greatest

from ..models import AbnormalListing, SeriousViolationListing

NOTHING_TO_RECTIFY_MONTHS = 6
SERIOUS_AFTER_YEARS = 2
SERIOUS_REMOVAL_YEARS = 2

_DAY = dt.timedelta(days=1)


def months_after(day: dt.date, months: int) -> dt.date:
    """The same day `months` calendar months later, or the month's last day when it has none."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, candidate)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def years_after(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def years_before(day: dt.date, years: int) -> dt.date:
    return years_after(day, -years)


def latest_start(today: dt.date, months: int) -> dt.date:
    """The latest day a period of `months` may have begun on to be complete by `today` (so that
    `listed_on <= latest_start(...)` selects exactly the listings `months_after` says are due)."""
    day = months_after(today, -months)
    while months_after(day + _DAY, months) <= today:
        day += _DAY
    while months_after(day, months) > today:
        day -= _DAY
    return day


def abnormal_clock_start(listing: AbnormalListing) -> dt.date:
    """When the six months of a listing began: its own listing, or the organization's latest
    abnormal-activity listing since (a new listing restarts the clock)."""
    latest = AbnormalListing.objects.filter(organization_id=listing.organization_id).aggregate(latest=Max("listed_on"))[
        "latest"
    ]
    return max(listing.listed_on, latest or listing.listed_on)


def with_clock_start(queryset: QuerySet) -> QuerySet:
    """Serious-violation listings annotated with `clock_start` (serious_clock_start in the query, so
    a list shows every row's date without a query per row)."""
    later = (
        AbnormalListing.objects.filter(organization=OuterRef("organization"), listed_on__gt=OuterRef("listed_on"))
        .order_by()
        .values("organization")
        .annotate(latest=Max("listed_on"))
        .values("latest")
    )
    moved = (
        AbnormalListing.objects.filter(serious_listing=OuterRef("pk"))
        .order_by()
        .values("serious_listing")
        .annotate(latest=Max("ended_on"))
        .values("latest")
    )
    return queryset.annotate(
        clock_start=Greatest(
            "listed_on", Coalesce(Subquery(later), "listed_on"), Coalesce(Subquery(moved), "listed_on")
        )
    )


def serious_clock_start(listing: SeriousViolationListing) -> dt.date:
    """When the two years of a serious-violation listing began: its listing, or the latest new
    listing of the organization since — an abnormal-activity listing, or one moved into it."""
    if getattr(listing, "clock_start", None) is not None:
        return listing.clock_start
    later = AbnormalListing.objects.filter(
        organization_id=listing.organization_id, listed_on__gt=listing.listed_on
    ).aggregate(latest=Max("listed_on"))["latest"]
    moved = listing.abnormal_listings.aggregate(latest=Max("ended_on"))["latest"] if listing.pk else None
    return max(day for day in (listing.listed_on, later, moved) if day is not None)


def serious_removable_from(listing: SeriousViolationListing) -> dt.date:
    """The first day the listing may be removed (other than as listed in error)."""
    return years_after(serious_clock_start(listing), SERIOUS_REMOVAL_YEARS)
