"""Revocations (撤销登记) and licence revocations (吊销登记证书): drafted and proposed by a clerk of the
bureau, decided by another person (supervision.workflows.REVOCATION). The decision changes the
organization's status with the decision's number, which the public register shows, lists it on the
serious-violation list, and tells its accounts. Atomic and audited."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from core import audit, bounds
from core.choices import AuditAction
from registry.choices import OrganizationStatus
from registry.models import Organization
from registry.services import organization_set_status

from .. import permissions as rules
from ..choices import OPEN_REVOCATION_STATES, RevocationKind, RevocationStatus
from ..models import Revocation
from ..workflows import REVOCATION
from .listings import serious_listing_for_revocation

# What a clerk fills in.
REVOCATION_FIELDS = ("kind", "legal_basis", "facts", "decision_number", "decision_date")
REQUIRED = ("kind", "legal_basis", "facts", "decision_number", "decision_date")


def _require(result: tuple[bool, str]) -> None:
    allowed, reason = result
    if not allowed:
        raise PermissionDenied(reason)


def _label(name: str) -> str:
    return str(Revocation._meta.get_field(name).verbose_name)


def _apply(revocation: Revocation, fields: dict) -> None:
    unknown = set(fields) - set(REVOCATION_FIELDS)
    if unknown:
        raise TypeError(f"Revocation fields not settable: {sorted(unknown)}")
    errors = {}
    for name, value in fields.items():
        if isinstance(value, str):
            value = value.strip()
        if name == "kind" and value and value not in RevocationKind.values:
            errors[name] = _("Kind of decision: choose revocation of registration or of the certificate.")
            continue
        if name == "decision_date" and value not in (None, "") and not isinstance(value, dt.date):
            try:
                value = dt.date.fromisoformat(str(value))
            except ValueError:
                errors[name] = _("Decision date: enter a date such as 2026-03-01.")
                continue
        if name == "decision_date":
            value = value or None
        elif value is None:
            value = ""
        setattr(revocation, name, value)
    given = {name: getattr(revocation, name) for name in fields if name not in errors}
    errors.update(bounds.field_errors(Revocation, given))
    if errors:
        raise ValidationError(errors)


def _check(revocation: Revocation) -> None:
    """What a revocation must hold before it is saved: each particular, a date not in the future, a
    number no other decision bears."""
    errors = {
        name: _("%(field)s: please fill this in.") % {"field": _label(name)}
        for name in REQUIRED
        if getattr(revocation, name) in (None, "")
    }
    if isinstance(revocation.decision_date, dt.date) and revocation.decision_date > timezone.localdate():
        errors["decision_date"] = _("Decision date: the decision cannot be dated in the future.")
    number = revocation.decision_number
    if number and (
        Revocation.objects.exclude(pk=revocation.pk)
        .exclude(status=RevocationStatus.REJECTED)
        .filter(decision_number=number)
        .exists()
    ):
        errors["decision_number"] = _("Decision number: %(number)s is already another decision's.") % {"number": number}
    if errors:
        raise ValidationError(errors)


def _open_refusal(organization: Organization) -> ValidationError:
    return ValidationError(
        {
            "organization": _("%(organization)s already has a revocation in progress.")
            % {"organization": organization.name}
        }
    )


def _save(revocation: Revocation) -> None:
    try:
        with transaction.atomic():
            revocation.save()
    except IntegrityError:
        # A concurrent clerk took the organization or the number between the check and the write.
        if (
            Revocation.objects.filter(organization_id=revocation.organization_id, status__in=OPEN_REVOCATION_STATES)
            .exclude(pk=revocation.pk)
            .exists()
        ):
            raise _open_refusal(revocation.organization) from None
        _check(revocation)
        raise


@transaction.atomic
def revocation_create(*, organization: Organization, by, **fields) -> Revocation:
    """Draft the revocation (or licence revocation) of a registered organization."""
    organization = Organization.objects.select_for_update(of=("self",)).select_related("region").get(pk=organization.pk)
    _require(rules.can_propose_revocation(by, organization))
    if Revocation.objects.filter(organization=organization, status__in=OPEN_REVOCATION_STATES).exists():
        raise _open_refusal(organization)
    revocation = Revocation(organization=organization, created_by=by if by is not None and by.pk else None)
    _apply(revocation, fields)
    _check(revocation)
    _save(revocation)
    audit.record(actor=by, action=AuditAction.CREATE, obj=revocation)
    return revocation


def _locked(revocation: Revocation) -> Revocation:
    return REVOCATION.lock(revocation)


@transaction.atomic
def revocation_update(*, revocation: Revocation, by, **fields) -> Revocation:
    revocation = _locked(revocation)
    _require(rules.can_edit_revocation(by, revocation))
    before = audit.snapshot(revocation)
    _apply(revocation, fields)
    _check(revocation)
    _save(revocation)
    audit.record(actor=by, action=AuditAction.UPDATE, obj=revocation, before=before)
    return revocation


@transaction.atomic
def revocation_submit(*, revocation: Revocation, by) -> Revocation:
    """Draft or returned → proposed for a decision (by someone else)."""

    def propose(revocation, transition):
        _check(revocation)
        revocation.submitted_at = timezone.now()
        revocation.submitted_by = by if by is not None and by.pk else None
        revocation.reviewed_at = revocation.reviewed_by = None
        revocation.review_reason = ""

    return REVOCATION.apply(revocation, "submit", by=by, effect=propose, message=_("Proposed for decision"))


def _notice(revocation: Revocation, transition, reason: str) -> str:
    """What the organization's accounts are told of the decision, or the clerks of a refusal."""
    if revocation.status == RevocationStatus.APPROVED:
        return _("%(kind)s: %(organization)s, decision %(number)s of %(date)s.") % {
            "kind": revocation.get_kind_display(),
            "organization": revocation.organization.name,
            "number": revocation.decision_number,
            "date": formats.date_format(revocation.decision_date, "DATE_FORMAT"),
        }
    text = f"{revocation}：{transition.label}"
    return f"{text}：{reason}" if reason else text


@transaction.atomic
def revocation_approve(*, revocation: Revocation, by, reason: str = "") -> Revocation:
    """Proposed → decided: the organization's status becomes revoked (or licence revoked) as of the
    decision's date with its number, and the organization is listed on the serious-violation list."""

    def put_into_effect(revocation, transition):
        _check(revocation)
        organization = (
            Organization.objects.select_for_update(of=("self",))
            .select_related("region")
            .get(pk=revocation.organization_id)
        )
        if organization.is_filed:
            raise ValidationError({"organization": rules.can_propose_revocation(None, organization)[1] or ""})
        if organization.status != OrganizationStatus.ACTIVE:
            raise ValidationError(
                {
                    "organization": _("%(organization)s is no longer active (%(status)s).")
                    % {"organization": organization.name, "status": organization.get_status_display()}
                }
            )
        message = _("%(kind)s by decision %(number)s") % {
            "kind": revocation.get_kind_display(),
            "number": revocation.decision_number,
        }
        organization = organization_set_status(
            org=organization,
            by=by,
            status=revocation.revoked_status,
            on=revocation.decision_date,
            message=message,
            decision_number=revocation.decision_number,
        )
        revocation.organization = organization
        revocation.serious_listing = serious_listing_for_revocation(
            organization=organization, by=by, listed_on=revocation.decision_date, note=message
        )

    return REVOCATION.apply(revocation, "approve", by=by, reason=reason, effect=put_into_effect, notice=_notice)


@transaction.atomic
def revocation_return(*, revocation: Revocation, by, reason: str) -> Revocation:
    return REVOCATION.apply(revocation, "return", by=by, reason=reason, notice=_notice)


@transaction.atomic
def revocation_reject(*, revocation: Revocation, by, reason: str) -> Revocation:
    return REVOCATION.apply(revocation, "reject", by=by, reason=reason, notice=_notice)


def revocation_transition(*, revocation: Revocation, by, name: str, reason: str = "") -> Revocation:
    """One step by its name (the pages' and the API's route)."""
    if name == "submit":
        return revocation_submit(revocation=revocation, by=by)
    if name == "approve":
        return revocation_approve(revocation=revocation, by=by, reason=reason)
    if name == "return":
        return revocation_return(revocation=revocation, by=by, reason=reason)
    if name == "reject":
        return revocation_reject(revocation=revocation, by=by, reason=reason)
    REVOCATION.check(revocation, name, by=by, reason=reason)  # an unknown name: the engine's message
    raise AssertionError("unreachable")
