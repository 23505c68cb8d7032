"""Reminders of supervision, sent by the daily beat job `supervision-reminders` (supervision.tasks.
send_reminders, 08:20) through core.notifications — in the site and by e-mail, at most once per item
per person per day, so a second run the same day sends nothing:

- **Annual work report** (registered organizations, to the bureau) and **annual status report**
  (filed community organizations, to their street) on last year: to the organization's accounts 30,
  7 and 1 days before the due date (supervision.services.annual_reports.annual_report_due_on, moved
  to a working day). After it, a registered organization (by then in the abnormal-activity list) is
  reminded the day after the due date and then every 7 days (8, 15, … days after) until it submits;
  a filed organization is reminded every day after it by the nightly list job
  (supervision.services.nightly.remind_status_reports, the same kind).
- **Removal due** (six months in the abnormal-activity list with nothing to rectify, or the missing
  report filed since): the nightly job proposes the removal; the bureau administrators and clerks of
  the organization's district are reminded of each proposal awaiting their decision on the day it
  was made and then every 7 days until they remove the listing or keep it.
- **Serious list approaching**: an abnormal-activity listing of a registered organization moves to
  the serious-violation list two years after it began (nightly.move_long_listings); 30 and 7 days
  before, the bureau administrators and clerks of its district and the organization's accounts are
  reminded. An organization already on the serious list is not.

Set-based: one query for the items of each reminder and one for the people told, whatever the
number of organizations.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.selectors import bureau_by_district
from core import notifications
from core.choices import Role
from registry.choices import OrganizationStatus, RegistrationLevel
from registry.models import OrganizationMember

from .models import AbnormalListing, SeriousViolationListing
from .selectors import filed_owing_status_report, organizations_owing_report, registered_owing_work_report
from .services.annual_reports import annual_report_due_on
from .services.clock import SERIOUS_AFTER_YEARS, years_after, years_before
from .services.nightly import STATUS_REPORT_KIND

JOB = "supervision-reminders"
WORK_REPORT_KIND = "annual-work-report"
REMOVAL_KIND = "abnormal-removal-due"
SERIOUS_KIND = "abnormal-serious-approaching"

# Days before an annual report's due date on which it is reminded.
REPORT_DAYS_BEFORE = (30, 7, 1)
# After the due date: the day after, then every this many days.
REPORT_EVERY_AFTER = 7
# A removal proposal awaiting the bureau: the day it was made, then every this many days.
REMOVAL_EVERY = 7
# Days before a listing moves to the serious-violation list on which it is reminded.
SERIOUS_DAYS_BEFORE = (30, 7)

BUREAU = (Role.BUREAU_ADMIN, Role.BUREAU_STAFF)

notifications.register_reminder(
    WORK_REPORT_KIND,
    gettext_lazy("Annual work report due"),
    audience=gettext_lazy("The accounts of each registered organization that has not submitted it"),
    when=gettext_lazy(
        "30, 7 and 1 days before the due date (31 May, or the next working day); after it, the day after "
        "and then every 7 days until submitted"
    ),
    job_key=JOB,
    roles={Role.ORG_USER, *BUREAU, Role.BUREAU_VIEWER},
)
notifications.register_reminder(
    STATUS_REPORT_KIND,
    gettext_lazy("Annual status report due (filed organizations)"),
    audience=gettext_lazy("The accounts of each filed community organization that has not submitted it"),
    when=gettext_lazy(
        "30, 7 and 1 days before the due date; after it, every day until submitted (sent by the nightly list job)"
    ),
    job_key=JOB,
    roles={Role.ORG_USER, Role.STREET_OFFICER, *BUREAU, Role.BUREAU_VIEWER},
)
notifications.register_reminder(
    REMOVAL_KIND,
    gettext_lazy("Abnormal listing eligible for removal"),
    audience=gettext_lazy("Bureau administrators and clerks of the organization's district"),
    when=gettext_lazy(
        "The day the removal is proposed (six months listed with nothing to rectify, or the missing report "
        "filed), then every 7 days until decided"
    ),
    job_key=JOB,
    roles={*BUREAU, Role.BUREAU_VIEWER},
)
notifications.register_reminder(
    SERIOUS_KIND,
    gettext_lazy("Abnormal listing approaching two years"),
    audience=gettext_lazy(
        "Bureau administrators and clerks of the organization's district, and the organization's accounts"
    ),
    when=gettext_lazy("30 and 7 days before the listing moves to the serious-violation list"),
    job_key=JOB,
    roles={Role.ORG_USER, *BUREAU, Role.BUREAU_VIEWER},
)


def _date(day: dt.date) -> str:
    return formats.date_format(day, "DATE_FORMAT")


def _accounts(organization_ids) -> dict[int, list]:
    """The active accounts of each organization: one query."""
    accounts: dict[int, list] = defaultdict(list)
    members = OrganizationMember.objects.filter(organization_id__in=organization_ids, user__is_active=True)
    for member in members.select_related("user").order_by("organization_id", "pk"):
        accounts[member.organization_id].append(member.user)
    return accounts


def report_reminder_day(today: dt.date) -> tuple[int, dt.date, bool] | None:
    """(year, due date, overdue) when `today` is a reminder day of the annual reports on last year:
    one of REPORT_DAYS_BEFORE before the due date, or the day after it and every REPORT_EVERY_AFTER
    days after that; None on any other day."""
    year = today.year - 1
    due = annual_report_due_on(year)
    days = (due - today).days
    if days in REPORT_DAYS_BEFORE:
        return year, due, False
    if days < 0 and (-days - 1) % REPORT_EVERY_AFTER == 0:
        return year, due, True
    return None


def annual_report_reminders_send(*, today: dt.date | None = None) -> int:
    """Remind the accounts of the organizations owing last year's annual report on its reminder days
    (the registered their work report before and after the due date, the filed their status report
    before it). Returns the reminders made."""
    today = today or timezone.localdate()
    day = report_reminder_day(today)
    if day is None:
        return 0
    year, due, overdue = day
    kinds = [(WORK_REPORT_KIND, registered_owing_work_report(year))]
    if not overdue:  # the nightly job reminds the filed every day after the due date
        kinds.append((STATUS_REPORT_KIND, filed_owing_status_report(year)))
    create = reverse("supervision:annualreport_create")
    sent = 0
    for kind, owing in kinds:
        accounts = _accounts(owing.values("pk"))
        if not accounts:
            continue
        rows = organizations_owing_report(year, owing.filter(pk__in=list(accounts))).only("pk", "name")
        for org in rows.order_by("pk"):
            values = {"year": year, "organization": org.name, "due": _date(due), "days": (due - today).days}
            if kind == WORK_REPORT_KIND:
                title = (
                    _("Overdue: the %(year)d annual work report of %(organization)s was due on %(due)s")
                    if overdue
                    else _("Due in %(days)d days: the %(year)d annual work report of %(organization)s (%(due)s)")
                )
                body = _("Please complete the annual work report and submit it to the civil affairs bureau.")
                if overdue:
                    body += _(" Once it is submitted, the bureau may remove the organization from the abnormal list.")
            else:
                title = _("Due in %(days)d days: the %(year)d annual status report of %(organization)s (%(due)s)")
                body = _("Please complete the annual status report and submit it to your street office.")
            url = org.report_id and reverse("supervision:annualreport_detail", args=[org.report_id])
            prefix = "work-report" if kind == WORK_REPORT_KIND else "status-report"
            sent += notifications.remind(
                accounts[org.pk],
                item_key=f"{prefix}:{org.pk}:{year}",
                title=title % values,
                body=body,
                url=url or f"{create}?organization={org.pk}&year={year}",
                today=today,
                kind=kind,
            )
    return sent


def removal_reminders_send(*, today: dt.date | None = None) -> int:
    """Remind the bureau of each abnormal listing proposed for removal and awaiting its decision, on
    the day of the proposal and every REMOVAL_EVERY days after. Returns the reminders made."""
    today = today or timezone.localdate()
    pending = [
        listing
        for listing in AbnormalListing.objects.filter(
            ended_on__isnull=True,
            removal_proposal__gt="",
            removal_declined_on__isnull=True,
            removal_proposed_on__lte=today,
        )
        .select_related("organization")
        .order_by("pk")
        if (today - listing.removal_proposed_on).days % REMOVAL_EVERY == 0
    ]
    if not pending:
        return 0
    bureau = bureau_by_district(listing.organization.district_id for listing in pending)
    sent = 0
    for listing in pending:
        organization = listing.organization
        values = {
            "organization": organization.name,
            "date": _date(listing.listed_on),
            "proposal": listing.get_removal_proposal_display(),
        }
        sent += notifications.remind(
            bureau.get(organization.district_id, []),
            item_key=f"abnormal-removal:{listing.pk}",
            title=_("%(organization)s may be removed from the abnormal list (listed on %(date)s)") % values,
            body=_("Removal proposed: %(proposal)s. Remove the listing, or keep it with a reason.") % values,
            url=listing.get_absolute_url(),
            today=today,
            kind=REMOVAL_KIND,
        )
    return sent


def serious_reminders_send(*, today: dt.date | None = None) -> int:
    """Remind the bureau and the organization of each abnormal listing moving to the serious-violation
    list in SERIOUS_DAYS_BEFORE days. Returns the reminders made."""
    today = today or timezone.localdate()
    # The listings begun about two years before the reminder days (a day either side for 29 February),
    # then exactly those whose two years end on a reminder day.
    earliest = years_before(today + dt.timedelta(days=min(SERIOUS_DAYS_BEFORE)), SERIOUS_AFTER_YEARS)
    latest = years_before(today + dt.timedelta(days=max(SERIOUS_DAYS_BEFORE)), SERIOUS_AFTER_YEARS)
    in_serious_list = SeriousViolationListing.objects.filter(
        organization=OuterRef("organization"), ended_on__isnull=True
    )
    due = [
        listing
        for listing in AbnormalListing.objects.filter(
            ended_on__isnull=True,
            listed_on__gte=earliest - dt.timedelta(days=1),
            listed_on__lte=latest + dt.timedelta(days=1),
            organization__status=OrganizationStatus.ACTIVE,
            organization__registration_level=RegistrationLevel.REGISTERED,
        )
        .filter(~Exists(in_serious_list))
        .select_related("organization")
        .order_by("pk")
        if (years_after(listing.listed_on, SERIOUS_AFTER_YEARS) - today).days in SERIOUS_DAYS_BEFORE
    ]
    if not due:
        return 0
    bureau = bureau_by_district(listing.organization.district_id for listing in due)
    accounts = _accounts({listing.organization_id for listing in due})
    sent = 0
    for listing in due:
        organization = listing.organization
        moves_on = years_after(listing.listed_on, SERIOUS_AFTER_YEARS)
        values = {
            "organization": organization.name,
            "date": _date(moves_on),
            "days": (moves_on - today).days,
            "listed": _date(listing.listed_on),
            "reason": listing.get_reason_display(),
        }
        sent += notifications.remind(
            [*bureau.get(organization.district_id, []), *accounts.get(organization.pk, [])],
            item_key=f"abnormal-serious:{listing.pk}",
            title=_("%(organization)s moves to the serious-violation list on %(date)s (in %(days)d days)") % values,
            body=_(
                "In the abnormal-activity list since %(listed)s (%(reason)s). Unless the listing is removed "
                "before then, the organization moves to the serious-violation list on %(date)s."
            )
            % values,
            url=listing.get_absolute_url(),
            today=today,
            kind=SERIOUS_KIND,
        )
    return sent


def reminders_send(*, today: dt.date | None = None) -> dict:
    """The daily run: annual reports, removals due, listings approaching two years. Returns the
    reminders made of each."""
    today = today or timezone.localdate()
    return {
        "annual_reports": annual_report_reminders_send(today=today),
        "removals": removal_reminders_send(today=today),
        "serious": serious_reminders_send(today=today),
    }
