"""The nightly job (supervision.tasks.listings_daily): who reports to whom, and what follows a missed
report — set-based, so a district of any size is a handful of statements, and idempotent, so a
second run on a day changes nothing.

- A registered organization owes its annual work report to the bureau; once the deadline has passed
  without it, it is entered in the abnormal-activity list (reason: no annual report).
- A filed community organization owes its annual status report to its street; missing it is never
  a listing: its accounts are reminded (core.notifications.remind, once a day) and the street
  officer finds it among the to-dos (supervision.navigation).
- Listings two years old move to the serious-violation list.
- Listings that may end are proposed for removal to the bureau — the missing report filed, or six
  months with nothing to rectify and no new listing — as a to-do that a person decides.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db import transaction
from django.db.models import Exists, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from core import audit, notifications
from core.choices import AuditAction
from registry.choices import OrganizationStatus, RegistrationLevel
from registry.models import Organization, OrganizationMember

from ..choices import (
    NOTHING_TO_RECTIFY_REASONS,
    ListingEndReason,
    ListingReason,
    RemovalProposal,
    SeriousListingReason,
)
from ..models import AbnormalListing, SeriousViolationListing
from ..selectors import organizations_owing_report, registered_owing_work_report, report_filed
from .annual_reports import annual_report_due_on, overdue_year
from .clock import NOTHING_TO_RECTIFY_MONTHS, SERIOUS_AFTER_YEARS, latest_start, years_before


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
    organizations past the status-report deadline, move two-year listings to the serious list,
    propose removals. Running it twice on a day changes nothing."""
    today = today or timezone.localdate()
    return {
        "listed": list_missing_reports(today=today),
        "reminded": remind_status_reports(today=today),
        "moved": move_long_listings(today=today),
        "proposed": propose_removals(today=today),
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


# The kind of notice of the status-report reminders: supervision.reminders sends them before the due
# date, this job every day after it.
STATUS_REPORT_KIND = "annual-status-report"


def remind_status_reports(*, today: dt.date) -> int:
    """Remind the accounts of filed organizations whose status report on last year is overdue, at
    most once a day each (core.notifications.remind). Reads only the organizations that have
    accounts, in one query; never lists anyone."""
    year = overdue_year(today)
    if year is None:
        return 0
    # filed_owing_status_report's selection, annotated with the draft (owing() applied once, not twice).
    owing = organizations_owing_report(year, Organization.objects.filter(registration_level=RegistrationLevel.FILED))
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
            kind=STATUS_REPORT_KIND,
        )  # fmt: skip
    return sent


@transaction.atomic
def move_long_listings(*, today: dt.date) -> int:
    """Move registered organizations listed for two years to the serious-violation list: one serious
    listing per organization (none when it is on that list already), the abnormal listings ending
    (reason: moved) and pointing at it. Three statements whatever the number of organizations."""
    due = AbnormalListing.objects.filter(
        ended_on__isnull=True,
        listed_on__lte=years_before(today, SERIOUS_AFTER_YEARS),
        organization__status=OrganizationStatus.ACTIVE,
        organization__registration_level=RegistrationLevel.REGISTERED,
    )
    # Lock the due listings first: a second run waiting here finds them ended and moves nothing.
    ids = list(due.select_for_update(of=("self",)).order_by("pk").values_list("pk", flat=True))
    if not ids:
        return 0
    first = AbnormalListing.objects.filter(pk__in=ids, organization=OuterRef("pk")).order_by("listed_on", "pk")
    in_serious_list = SeriousViolationListing.objects.filter(organization=OuterRef("pk"), ended_on__isnull=True)
    organizations = (
        Organization.objects.filter(Exists(first))
        .filter(~Exists(in_serious_list))
        .select_related("region")
        .annotate(since=Subquery(first.values("listed_on")[:1]), first_reason=Subquery(first.values("reason")[:1]))
    )
    reasons = dict(ListingReason.choices)
    serious = SeriousViolationListing.objects.bulk_create(
        [
            SeriousViolationListing(
                organization=org, reason=SeriousListingReason.ABNORMAL_TWO_YEARS, listed_on=today,
                listing_note=_("In the abnormal-activity list since %(date)s (%(reason)s).") % {
                    "date": org.since.isoformat(), "reason": reasons.get(org.first_reason, org.first_reason)},
            )
            for org in organizations
        ],
        batch_size=2000,
    )  # fmt: skip
    note = _("Two years in the abnormal-activity list.")
    audit.record_many(actor=None, action=AuditAction.CREATE, objs=serious, message=note)
    AbnormalListing.objects.filter(pk__in=ids).update(
        ended_on=today,
        end_reason=ListingEndReason.MOVED_TO_SERIOUS,
        end_note=note,
        serious_listing=Subquery(
            SeriousViolationListing.objects.filter(organization=OuterRef("organization"), ended_on__isnull=True).values(
                "pk"
            )[:1]
        ),
        updated_at=timezone.now(),
    )
    moved = list(AbnormalListing.objects.filter(pk__in=ids).select_related("organization__region"))
    audit.record_many(actor=None, action=AuditAction.TRANSITION, objs=moved, message=note)
    return len(moved)


@transaction.atomic
def propose_removals(*, today: dt.date) -> int:
    """Propose to the bureau the removal of listings that may end (a to-do; a person decides):
    those whose missing annual report has been filed since, and those of a reason that leaves
    nothing to rectify once six months have passed with no new listing of the organization. A
    proposal is made once: one the bureau declined is not made again."""
    fresh = AbnormalListing.objects.filter(
        ended_on__isnull=True,
        removal_proposal="",
        organization__registration_level=RegistrationLevel.REGISTERED,
    )
    report_filed_since = fresh.filter(reason=ListingReason.NO_ANNUAL_REPORT).filter(
        report_filed(OuterRef("report_year"), OuterRef("organization"))
    )
    start = latest_start(today, NOTHING_TO_RECTIFY_MONTHS)
    newer = AbnormalListing.objects.filter(organization=OuterRef("organization"), listed_on__gt=start)
    quiet = fresh.filter(reason__in=NOTHING_TO_RECTIFY_REASONS, listed_on__lte=start).filter(~Exists(newer))
    proposed = 0
    for proposal, listings in ((RemovalProposal.REPORT_FILED, report_filed_since),
                               (RemovalProposal.NOTHING_TO_RECTIFY, quiet)):  # fmt: skip
        ids = list(listings.select_for_update(of=("self",)).order_by("pk").values_list("pk", flat=True))
        if not ids:
            continue
        AbnormalListing.objects.filter(pk__in=ids).update(
            removal_proposal=proposal, removal_proposed_on=today, updated_at=timezone.now()
        )
        message = _("Removal proposed: %(proposal)s") % {"proposal": RemovalProposal(proposal).label}
        audit.record_many(
            actor=None,
            action=AuditAction.TRANSITION,
            objs=list(AbnormalListing.objects.filter(pk__in=ids).select_related("organization__region")),
            message=message,
        )
        proposed += len(ids)
    return proposed
