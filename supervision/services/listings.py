"""Every write to the abnormal-activity and serious-violation lists, and the daily listing job.

Listings are overlays: they begin and end, never disappear. A manual listing or removal needs a
reason. The lists apply to registered organizations. The nightly job is services.nightly.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from core import audit, bounds
from core.choices import AuditAction
from registry.models import Organization

from .. import permissions as rules
from ..choices import (
    ListingEndReason,
    ListingReason,
    RemovalProposal,
    SeriousListingEndReason,
    SeriousListingReason,
)
from ..models import AbnormalListing, AnnualReport, SeriousViolationListing
from ..selectors import FILED_STATUSES
from .clock import NOTHING_TO_RECTIFY_MONTHS, abnormal_clock_start, months_after, serious_removable_from


def _require(result: tuple[bool, str]) -> None:
    allowed, reason = result
    if not allowed:
        raise PermissionDenied(reason)


def _date(day: dt.date) -> str:
    """A date as the interface writes it (2026年11月21日 in Chinese)."""
    return formats.date_format(day, "DATE_FORMAT")


def _user_or_none(by):
    return by if by is not None and getattr(by, "pk", None) else None


def _locked_organization(organization: Organization) -> Organization:
    return Organization.objects.select_for_update(of=("self",)).select_related("region").get(pk=organization.pk)


@transaction.atomic
def abnormal_listing_create(
    *,
    organization: Organization,
    reason: str,
    note: str,
    by,
    report_year: int | None = None,
    listed_on: dt.date | None = None,
) -> AbnormalListing:
    """Enter an organization in the abnormal-activity list for `reason`, with the grounds."""
    organization = _locked_organization(organization)
    _require(rules.can_list(by, organization))
    if reason not in ListingReason.values:
        raise ValidationError({"reason": _("Choose the reason for listing.")})
    note = (note or "").strip()
    if by is not None and not note:
        raise ValidationError({"listing_note": _("Give the grounds for listing.")})
    bounds.validate(AbnormalListing, {"listing_note": note, "report_year": report_year})
    if AbnormalListing.objects.filter(organization=organization, reason=reason, ended_on__isnull=True).exists():
        raise ValidationError(
            {
                "reason": _("%(organization)s is already in the abnormal-activity list for this reason.")
                % {"organization": organization.name}
            }
        )
    today = timezone.localdate()
    listed_on = listed_on or today
    if listed_on > today:
        raise ValidationError({"listed_on": _("The listing date cannot be in the future.")})
    if reason == ListingReason.NO_ANNUAL_REPORT and report_year is None:
        report_year = today.year - 1
    listing = AbnormalListing(
        organization=organization, reason=reason, report_year=report_year, listed_on=listed_on,
        listed_by=_user_or_none(by), created_by=_user_or_none(by), listing_note=note,
    )  # fmt: skip
    try:
        with transaction.atomic():
            listing.save()
    except IntegrityError:
        raise ValidationError(
            {
                "reason": _("%(organization)s is already in the abnormal-activity list for this reason.")
                % {"organization": organization.name}
            }
        ) from None
    audit.record(actor=by, action=AuditAction.CREATE, obj=listing, message=note)
    return listing


def _lock_listing_to_end(model, listing, by):
    """The listing, locked, still in force, and `by` allowed to end it."""
    listing = model.objects.select_for_update(of=("self",)).select_related("organization__region").get(pk=listing.pk)
    if not listing.is_active:
        raise ValidationError({"end_reason": _("This listing already ended on %(date)s.") % {"date": listing.ended_on}})
    _require(rules.can_remove_listing(by, listing))
    return listing


def _removal_grounds(listing, note: str, on: dt.date | None) -> tuple[str, dt.date]:
    """The grounds and the day of a listing's removal, as both lists ask them."""
    note = (note or "").strip()
    if not note:
        raise ValidationError({"end_note": _("Give the grounds for removal.")})
    bounds.validate(type(listing), {"end_note": note})
    on = on or timezone.localdate()
    if on < listing.listed_on or on > timezone.localdate():
        raise ValidationError({"ended_on": _("The removal date must lie between the listing date and today.")})
    return note, on


@transaction.atomic
def abnormal_listing_remove(
    *, listing: AbnormalListing, by, end_reason: str, note: str, on: dt.date | None = None
) -> AbnormalListing:
    """End a listing: rectification verified, six months with nothing to rectify, or listed in error."""
    listing = _lock_listing_to_end(AbnormalListing, listing, by)
    if end_reason not in ListingEndReason.values or end_reason == ListingEndReason.MOVED_TO_SERIOUS:
        raise ValidationError({"end_reason": _("Choose the reason for removal.")})
    note, on = _removal_grounds(listing, note, on)
    if end_reason == ListingEndReason.REPORT_FILED:
        _check_report_filed(listing)
    if end_reason == ListingEndReason.NOTHING_TO_RECTIFY:
        # Six months from the organization's latest listing: a new listing restarts the clock.
        earliest = months_after(abnormal_clock_start(listing), NOTHING_TO_RECTIFY_MONTHS)
        if on < earliest:
            raise ValidationError(
                {
                    "end_reason": _(
                        "Without a verified rectification a listing can be removed only after six months, "
                        "from %(date)s."
                    )
                    % {"date": earliest}
                }
            )
    before = audit.snapshot(listing)
    listing.ended_on, listing.ended_by, listing.end_reason, listing.end_note = on, _user_or_none(by), end_reason, note
    listing.save()
    audit.record(
        actor=by,
        action=AuditAction.TRANSITION,
        obj=listing,
        before=before,
        message=_("Removed: %(reason)s") % {"reason": listing.get_end_reason_display()},
    )
    return listing


def _check_report_filed(listing: AbnormalListing) -> None:
    """A listing for a missing annual report ends with the report filed only once it is."""
    if listing.reason != ListingReason.NO_ANNUAL_REPORT:
        raise ValidationError(
            {"end_reason": _("Only a listing for a missing annual report ends because the report was filed.")}
        )
    filed = AnnualReport.objects.filter(
        organization_id=listing.organization_id, year=listing.report_year, status__in=FILED_STATUSES
    )
    if listing.report_year is None or not filed.exists():
        raise ValidationError(
            {
                "end_reason": _("The %(year)s annual report has not been submitted yet.")
                % {"year": listing.report_year or "—"}
            }
        )


def _propose(listing: AbnormalListing, proposal: str, *, by, today: dt.date) -> None:
    before = audit.snapshot(listing)
    listing.removal_proposal, listing.removal_proposed_on = proposal, today
    listing.removal_declined_on = listing.removal_declined_by = None
    listing.removal_decline_note = ""
    listing.save()
    audit.record(
        actor=by,
        action=AuditAction.TRANSITION,
        obj=listing,
        before=before,
        message=_("Removal proposed: %(proposal)s") % {"proposal": listing.get_removal_proposal_display()},
    )


def propose_removal_for_report(report, *, by, today: dt.date | None = None) -> int:
    """The organization filed the report it was listed for missing: propose the listing's removal
    to the bureau (a to-do; a person decides). Inside the submission's transaction."""
    listings = AbnormalListing.objects.select_for_update(of=("self",)).filter(
        organization_id=report.organization_id,
        reason=ListingReason.NO_ANNUAL_REPORT,
        report_year=report.year,
        ended_on__isnull=True,
    )
    proposed = 0
    for listing in listings.select_related("organization__region"):
        _propose(listing, RemovalProposal.REPORT_FILED, by=by, today=today or timezone.localdate())
        proposed += 1
    return proposed


def withdraw_removal_for_report(report, *, by) -> int:
    """The report was returned for correction: the removal it prompted is no longer proposed."""
    listings = AbnormalListing.objects.select_for_update(of=("self",)).filter(
        organization_id=report.organization_id,
        report_year=report.year,
        ended_on__isnull=True,
        removal_proposal=RemovalProposal.REPORT_FILED,
        removal_declined_on__isnull=True,
    )
    withdrawn = 0
    for listing in listings.select_related("organization__region"):
        before = audit.snapshot(listing)
        listing.removal_proposal, listing.removal_proposed_on = "", None
        listing.save()
        audit.record(
            actor=by,
            action=AuditAction.TRANSITION,
            obj=listing,
            before=before,
            message=_("Removal no longer proposed: the annual report was returned for correction."),
        )
        withdrawn += 1
    return withdrawn


@transaction.atomic
def abnormal_listing_keep(*, listing: AbnormalListing, by, note: str) -> AbnormalListing:
    """The bureau decides against a proposed removal: the organization stays listed, with the
    grounds; the proposal is not made again by the nightly job."""
    listing = _lock_listing_to_end(AbnormalListing, listing, by)
    if not listing.removal_pending:
        raise ValidationError({"removal_proposal": _("No removal is proposed for this listing.")})
    note = (note or "").strip()
    if not note:
        raise ValidationError({"removal_decline_note": _("Give the grounds for keeping the organization listed.")})
    bounds.validate(AbnormalListing, {"removal_decline_note": note})
    before = audit.snapshot(listing)
    listing.removal_declined_on, listing.removal_declined_by = timezone.localdate(), _user_or_none(by)
    listing.removal_decline_note = note
    listing.save()
    audit.record(
        actor=by,
        action=AuditAction.TRANSITION,
        obj=listing,
        before=before,
        message=_("Kept listed: %(note)s") % {"note": note},
    )
    return listing


@transaction.atomic
def serious_listing_create(
    *,
    organization: Organization,
    note: str,
    by,
    reason: str = SeriousListingReason.SERIOUS_VIOLATION,
    listed_on: dt.date | None = None,
) -> SeriousViolationListing:
    """Enter an organization in the serious-violation list (by the bureau, for a serious violation)."""
    organization = _locked_organization(organization)
    _require(rules.can_list(by, organization))
    if reason not in SeriousListingReason.values:
        raise ValidationError({"reason": _("Choose the reason for listing.")})
    note = (note or "").strip()
    if not note:
        raise ValidationError({"listing_note": _("Give the grounds for listing.")})
    bounds.validate(SeriousViolationListing, {"listing_note": note})
    listed_on = listed_on or timezone.localdate()
    if listed_on > timezone.localdate():
        raise ValidationError({"listed_on": _("The listing date cannot be in the future.")})
    if SeriousViolationListing.objects.filter(organization=organization, ended_on__isnull=True).exists():
        raise ValidationError(
            {
                "organization": _("%(organization)s is already in the serious-violation list.")
                % {"organization": organization.name}
            }
        )
    listing = SeriousViolationListing(
        organization=organization,
        reason=reason,
        listed_on=listed_on,
        listing_note=note,
        listed_by=_user_or_none(by),
        created_by=_user_or_none(by),
    )
    listing.save()
    audit.record(actor=by, action=AuditAction.CREATE, obj=listing, message=note)
    return listing


@transaction.atomic
def serious_listing_remove(
    *, listing: SeriousViolationListing, by, end_reason: str, note: str, on: dt.date | None = None
) -> SeriousViolationListing:
    """End a serious-violation listing: only two years after it began with no new listing since
    (a new listing restarts the clock); a listing in error is corrected at any time."""
    listing = _lock_listing_to_end(SeriousViolationListing, listing, by)
    if end_reason not in SeriousListingEndReason.values or end_reason == SeriousListingEndReason.SUPERSEDED:
        raise ValidationError({"end_reason": _("Choose the reason for removal.")})
    note, on = _removal_grounds(listing, note, on)
    if end_reason != SeriousListingEndReason.LISTED_IN_ERROR:
        earliest = serious_removable_from(listing)
        if on < earliest:
            raise ValidationError(
                {
                    "end_reason": _(
                        "A serious-violation listing can be removed only two years after it began with no new "
                        "listing since: from %(date)s."
                    )
                    % {"date": _date(earliest)}
                }
            )
    before = audit.snapshot(listing)
    listing.ended_on, listing.ended_by = on, _user_or_none(by)
    listing.end_reason, listing.end_note = end_reason, note
    listing.save()
    audit.record(
        actor=by,
        action=AuditAction.TRANSITION,
        obj=listing,
        before=before,
        message=_("Removed: %(reason)s") % {"reason": listing.get_end_reason_display()},
    )
    return listing


def serious_listing_for_revocation(
    *, organization: Organization, by, listed_on: dt.date, note: str
) -> SeriousViolationListing:
    """List an organization whose registration (or certificate) was revoked on the serious-violation
    list (社会组织信用信息管理办法: 被吊销登记证书、撤销登记的). Inside the decision's transaction, the
    organization locked by it. A listing in force is superseded — the revocation is a new listing,
    restarting the two years."""
    current = (
        SeriousViolationListing.objects.select_for_update(of=("self",))
        .select_related("organization__region")
        .filter(organization=organization, ended_on__isnull=True)
        .first()
    )
    if current is not None:
        before = audit.snapshot(current)
        current.ended_on, current.ended_by = max(timezone.localdate(), current.listed_on), _user_or_none(by)
        current.end_reason = SeriousListingEndReason.SUPERSEDED
        current.end_note = note
        current.save()
        audit.record(
            actor=by,
            action=AuditAction.TRANSITION,
            obj=current,
            before=before,
            message=_("Removed: %(reason)s") % {"reason": current.get_end_reason_display()},
        )
    listing = SeriousViolationListing.objects.create(
        organization=organization,
        reason=SeriousListingReason.REVOKED,
        listed_on=listed_on,
        listing_note=note,
        listed_by=_user_or_none(by),
        created_by=_user_or_none(by),
    )
    audit.record(actor=by, action=AuditAction.CREATE, obj=listing, message=note)
    return listing
