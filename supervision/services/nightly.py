"""The nightly job (supervision.tasks.listings_daily): who reports to whom, and what follows a missed
report — set-based, so a district of any size is a handful of statements, and idempotent, so a
second run on a day changes nothing.

- A registered organization owes its annual work report to the bureau; once the deadline has passed
  without it, it is entered in the abnormal-activity list (reason: no annual report).
- A filed community organization owes its annual status report to its street; missing it is never
  a listing: its accounts are reminded (core.notifications.remind, once a day) and the street
  officer finds it among the to-dos (supervision.navigation).
- Listings two years old move to the serious-violation list.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from core import audit, notifications
from core.choices import AuditAction
from registry.choices import OrganizationStatus
from registry.models import OrganizationMember

from ..choices import ListingEndReason, ListingReason, SeriousListingReason
from ..models import AbnormalListing, SeriousViolationListing
from ..selectors import filed_owing_status_report, organizations_owing_report, registered_owing_work_report
from .annual_reports import annual_report_due_on, overdue_year

# DESIGN §5: two years listed → serious list.
SERIOUS_AFTER_YEARS = 2


def years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def organizations_missing_report(year: int):
    """Registered organizations owing the work report on `year` and never listed for it (so a
    removed listing is not renewed by the next run), nor listed now for an earlier year's report."""
    listed = AbnormalListing.objects.filter(organization=OuterRef("pk"), reason=ListingReason.NO_ANNUAL_REPORT).filter(
        Q(report_year=year) | Q(ended_on__isnull=True)
    )
    return registered_owing_work_report(year).filter(~Exists(listed))


@transaction.atomic
def listings_daily_run(*, today: dt.date | None = None) -> dict[str, int]:
    """The nightly job: list registered organizations past the work-report deadline, remind filed
    organizations past the status-report deadline, move two-year listings to the serious list.
    Running it twice on a day changes nothing."""
    today = today or timezone.localdate()
    return {
        "listed": list_missing_reports(today=today),
        "reminded": remind_status_reports(today=today),
        "moved": move_long_listings(today=today),
    }


@transaction.atomic
def list_missing_reports(*, today: dt.date) -> int:
    """List (reason: no annual report) the registered organizations whose work report on last year is
    overdue. One INSERT … SELECT's worth: the organizations come from one anti-joined query."""
    year = overdue_year(today)
    if year is None:
        return 0
    due = annual_report_due_on(year)
    note = _("The annual report for %(year)d was not submitted by %(due)s.") % {"year": year, "due": due.isoformat()}
    organizations = list(organizations_missing_report(year).select_related("region").select_for_update(of=("self",)))
    listed = AbnormalListing.objects.bulk_create(
        [
            AbnormalListing(organization=org, reason=ListingReason.NO_ANNUAL_REPORT, report_year=year,
                            listed_on=today, listing_note=note)
            for org in organizations
        ],
        batch_size=2000,
    )  # fmt: skip
    audit.record_many(actor=None, action=AuditAction.CREATE, objs=listed, message=note)
    return len(listed)


def remind_status_reports(*, today: dt.date) -> int:
    """Remind the accounts of filed organizations whose status report on last year is overdue, at
    most once a day each (core.notifications.remind). Reads only the organizations that have
    accounts, in one query; never lists anyone."""
    year = overdue_year(today)
    if year is None:
        return 0
    owing = organizations_owing_report(year, filed_owing_status_report(year))
    members = (
        OrganizationMember.objects.filter(organization__in=owing.values("pk"), user__is_active=True)
        .select_related("user")
        .order_by("organization_id", "pk")
    )
    accounts: dict[int, list] = defaultdict(list)
    for member in members:
        accounts[member.organization_id].append(member.user)
    if not accounts:
        return 0
    due = formats.date_format(annual_report_due_on(year), "DATE_FORMAT")
    create = reverse("supervision:annualreport_create")
    sent = 0
    for org in owing.filter(pk__in=list(accounts)).only("pk", "name"):
        url = org.report_id and reverse("supervision:annualreport_detail", args=[org.report_id])
        sent += notifications.remind(
            accounts[org.pk],
            item_key=f"status-report:{org.pk}:{year}",
            title=_("Overdue: the %(year)d annual status report of %(organization)s was due on %(due)s") % {
                "year": year, "organization": org.name, "due": due},
            body=_("Please complete the annual status report and submit it to your street office."),
            url=url or f"{create}?organization={org.pk}&year={year}",
            today=today,
        )  # fmt: skip
    return sent


@transaction.atomic
def move_long_listings(*, today: dt.date) -> int:
    """Move registered organizations listed for two years to the serious-violation list; the
    abnormal listings end (reason: moved), pointing at the serious listing."""
    moved = 0
    cutoff = years_before(today, SERIOUS_AFTER_YEARS)
    due = (
        AbnormalListing.objects.select_for_update(of=("self",))
        .filter(
            ended_on__isnull=True,
            listed_on__lte=cutoff,
            organization__status=OrganizationStatus.ACTIVE,
            organization__registration_level="registered",
        )
        .select_related("organization__region")
        .order_by("organization_id", "listed_on")
    )
    for listing in due:
        serious = SeriousViolationListing.objects.filter(
            organization=listing.organization, ended_on__isnull=True
        ).first()
        if serious is None:
            serious = SeriousViolationListing.objects.create(
                organization=listing.organization, reason=SeriousListingReason.ABNORMAL_TWO_YEARS, listed_on=today,
                listing_note=_("In the abnormal-activity list since %(date)s (%(reason)s).") % {
                    "date": listing.listed_on.isoformat(), "reason": listing.get_reason_display()},
            )  # fmt: skip
            audit.record(actor=None, action=AuditAction.CREATE, obj=serious, message=serious.listing_note)
        before = audit.snapshot(listing)
        listing.ended_on, listing.end_reason, listing.serious_listing = (
            today,
            ListingEndReason.MOVED_TO_SERIOUS,
            serious,
        )
        listing.end_note = _("Two years in the abnormal-activity list.")
        listing.save()
        audit.record(actor=None, action=AuditAction.TRANSITION, obj=listing, before=before, message=listing.end_note)
        moved += 1
    return moved
