"""Every write to the abnormal-activity and serious-violation lists, and the daily listing job.

Listings are overlays: they begin and end, never disappear. A manual listing or removal needs a
reason. The lists apply to registered organizations. The nightly job is services.nightly.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import audit, bounds
from core.choices import AuditAction
from registry.models import Organization

from .. import permissions as rules
from ..choices import (
    ListingEndReason,
    ListingReason,
    SeriousListingEndReason,
    SeriousListingReason,
)
from ..models import AbnormalListing, SeriousViolationListing

# DESIGN §5: removal without rectification after six months.
NOTHING_TO_RECTIFY_MONTHS = 6


def _require(result: tuple[bool, str]) -> None:
    allowed, reason = result
    if not allowed:
        raise PermissionDenied(reason)


def _months_after(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, candidate)
        except ValueError:
            continue
    raise AssertionError("unreachable")


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


@transaction.atomic
def abnormal_listing_remove(
    *, listing: AbnormalListing, by, end_reason: str, note: str, on: dt.date | None = None
) -> AbnormalListing:
    """End a listing: rectification verified, six months with nothing to rectify, or listed in error."""
    listing = _lock_listing_to_end(AbnormalListing, listing, by)
    if end_reason not in ListingEndReason.values or end_reason == ListingEndReason.MOVED_TO_SERIOUS:
        raise ValidationError({"end_reason": _("Choose the reason for removal.")})
    note = (note or "").strip()
    if not note:
        raise ValidationError({"end_note": _("Give the grounds for removal.")})
    bounds.validate(type(listing), {"end_note": note})
    on = on or timezone.localdate()
    if on < listing.listed_on or on > timezone.localdate():
        raise ValidationError({"ended_on": _("The removal date must lie between the listing date and today.")})
    if end_reason == ListingEndReason.NOTHING_TO_RECTIFY:
        earliest = _months_after(listing.listed_on, NOTHING_TO_RECTIFY_MONTHS)
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


@transaction.atomic
def serious_listing_create(
    *, organization: Organization, note: str, by, reason: str = SeriousListingReason.SERIOUS_VIOLATION
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
        listing_note=note,
        listed_by=_user_or_none(by),
        created_by=_user_or_none(by),
    )
    listing.save()
    audit.record(actor=by, action=AuditAction.CREATE, obj=listing, message=note)
    return listing


@transaction.atomic
def serious_listing_remove(
    *, listing: SeriousViolationListing, by, end_reason: str, note: str
) -> SeriousViolationListing:
    listing = _lock_listing_to_end(SeriousViolationListing, listing, by)
    if end_reason not in SeriousListingEndReason.values:
        raise ValidationError({"end_reason": _("Choose the reason for removal.")})
    note = (note or "").strip()
    if not note:
        raise ValidationError({"end_note": _("Give the grounds for removal.")})
    bounds.validate(type(listing), {"end_note": note})
    before = audit.snapshot(listing)
    listing.ended_on, listing.ended_by = timezone.localdate(), _user_or_none(by)
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
