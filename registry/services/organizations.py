"""Organizations in the register: entered, changed, their status, their accounts."""

from __future__ import annotations

import datetime
import re

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.choices import RegionLevel
from accounts.models import Region, User
from core import audit
from core.choices import Action, AuditAction, Role

from .. import uscc as uscc_rules
from ..choices import LegalForm, OrganizationStatus, RegistrationLevel, level_for
from ..models import Organization, OrganizationMember

# Fields of Organization a service may set from outside (the register's particulars).
ORGANIZATION_FIELDS = (
    "name",
    "uscc",
    "legal_form",
    "category",
    "region",
    "registration_authority",
    "supervising_unit",
    "legal_representative",
    "phone",
    "address",
    "established_on",
    "funds",
    "business_scope",
    "activity_area",
    "member_count",
    "staff_count",
    "volunteer_count",
)


def check_may(by: User | None, action: str, region: Region | None, model=Organization) -> None:
    """Refuse unless `by` may take `action` on rows of `model` at `region` (None: system job)."""
    if by is None:
        return
    if not model.access_policy.allows(by, action):
        raise PermissionDenied(_("Your role may not do this."))
    if by.is_superuser:
        return
    if region is None or by.region is None or not by.region.contains(region):
        raise PermissionDenied(_("This is outside your jurisdiction."))


def district_of(region: Region) -> Region:
    return region if region.level == RegionLevel.DISTRICT else region.district


def clean_uscc(
    value, *, override_reason: str = "", by: User | None = None, legal_form: str | None = None
) -> tuple[str | None, str]:
    """The normalised code and the override reason to store, or a ValidationError on `uscc`.

    A well-formed code that fails its check character, or whose first two characters do not say
    "registered by civil affairs as `legal_form`" (uscc.check_positions), is accepted when a bureau
    administrator (or a system job such as an import acting on the bureau's roster) gives a reason.
    """
    code = uscc_rules.normalize(value)
    override_reason = (override_reason or "").strip()
    if not code:
        return None, ""
    try:
        uscc_rules.validate(code)
        if legal_form:
            uscc_rules.check_positions(code, legal_form)
        return code, ""
    except ValidationError as error:
        if error.code not in uscc_rules.OVERRIDABLE or not override_reason:
            raise ValidationError({"uscc": error}) from None
        if by is not None and not by.is_superuser and by.role != Role.BUREAU_ADMIN:
            message = _("Only a bureau administrator may accept a unified social credit code that fails its check.")
            raise ValidationError({"uscc": message}) from None
        return code, override_reason


def _check_unique(org: Organization) -> None:
    others = Organization.objects.exclude(pk=org.pk)
    if org.uscc and others.filter(uscc=org.uscc).exists():
        raise ValidationError(
            {
                "uscc": _("Another organization already has the unified social credit code %(code)s.")
                % {"code": org.uscc}
            }
        )
    if (
        org.status == OrganizationStatus.ACTIVE
        and others.filter(district_id=org.district_id, name=org.name, status=OrganizationStatus.ACTIVE).exists()
    ):
        raise ValidationError(
            {"name": _("An active organization named %(name)s already exists in this district.") % {"name": org.name}}
        )
    if org.filing_number and others.filter(district_id=org.district_id, filing_number=org.filing_number).exists():
        raise ValidationError(
            {
                "filing_number": _("The filing number %(number)s is already in use in this district.")
                % {"number": org.filing_number}
            }
        )


def _check_region(region) -> None:
    if region is None:
        raise ValidationError({"region": _("Choose the street or community the organization belongs to.")})
    if region.level in (RegionLevel.CITY, RegionLevel.DISTRICT):
        raise ValidationError({"region": _("An organization belongs to a street or a community, not a district.")})


def next_filing_number(district: Region, year: int | None = None) -> str:
    """The next filing number of the district, e.g. 330106-2026-0007. Locks the district row so
    that two filings approved at once never get the same number; call inside a transaction."""
    year = year or timezone.localdate().year
    Region.objects.select_for_update().filter(pk=district.pk).first()
    prefix = f"{district.code}-{year}-"
    numbers = Organization.objects.filter(district=district, filing_number__startswith=prefix).values_list(
        "filing_number", flat=True
    )
    last = max((int(m.group(1)) for n in numbers if (m := re.fullmatch(rf"{re.escape(prefix)}(\d+)", n))), default=0)
    return f"{prefix}{last + 1:04d}"


def _apply_fields(org: Organization, fields: dict) -> None:
    unknown = set(fields) - set(ORGANIZATION_FIELDS)
    if unknown:
        raise TypeError(f"Organization fields not settable: {sorted(unknown)}")
    for name, value in fields.items():
        if isinstance(value, str) and name != "uscc":
            value = value.strip()
        setattr(org, name, value)


def _validate(org: Organization) -> None:
    if not org.name:
        raise ValidationError({"name": _("The name is required.")})
    if not org.legal_representative:
        raise ValidationError({"legal_representative": _("The legal representative / person in charge is required.")})
    if org.established_on and org.established_on > timezone.localdate():
        raise ValidationError({"established_on": _("The date of establishment cannot be in the future.")})
    if org.funds is not None and org.funds < 0:
        raise ValidationError({"funds": _("Funds cannot be negative.")})
    _check_unique(org)
    org.full_clean(exclude=["district", "uscc"], validate_unique=False, validate_constraints=False)


@transaction.atomic
def organization_create(
    *,
    by: User | None = None,
    uscc_override_reason: str = "",
    filing_number: str | None = None,
    status: str = OrganizationStatus.ACTIVE,
    **fields,
) -> Organization:
    """Enter an organization in the register (approved establishment or filing, roster import, tests).

    A filed organization without a filing number gets the district's next one.
    """
    region = fields.get("region")
    _check_region(region)
    check_may(by, Action.ADD, region)
    legal_form = fields.get("legal_form")
    if legal_form not in LegalForm.values:
        raise ValidationError({"legal_form": _("Choose a legal form.")})
    org = Organization(created_by=by if by and by.pk else None, status=status)
    _apply_fields(org, {k: v for k, v in fields.items() if k != "uscc"})
    org.registration_level = level_for(legal_form)
    org.district = district_of(region)
    org.uscc, org.uscc_override_reason = clean_uscc(
        fields.get("uscc"), override_reason=uscc_override_reason, by=by, legal_form=legal_form
    )
    if not org.registration_authority:
        org.registration_authority = _("%(district)s Civil Affairs Bureau") % {"district": org.district.name}
    if org.registration_level == RegistrationLevel.FILED:
        year = org.established_on.year if org.established_on else None
        org.filing_number = (filing_number or "").strip() or next_filing_number(org.district, year)
    elif filing_number:
        org.filing_number = filing_number.strip()
    if status != OrganizationStatus.ACTIVE:
        org.status_changed_on = timezone.localdate()
    _validate(org)
    try:
        with transaction.atomic():
            org.save()
    except IntegrityError:
        # A concurrent writer took the name, code or number between the check and the insert.
        _check_unique(org)
        raise
    audit.record(actor=by, action=AuditAction.CREATE, obj=org)
    return org


def organization_apply_changes(
    *, org: Organization, by: User | None, changes: dict, uscc_override_reason: str = "", message: str = ""
) -> Organization:
    """Apply approved changes to a locked organization row (inside the caller's transaction)."""
    before = audit.snapshot(org)
    if "region" in changes:
        _check_region(changes["region"])
    _apply_fields(org, {k: v for k, v in changes.items() if k != "uscc"})
    if "legal_form" in changes and level_for(org.legal_form) != org.registration_level:
        raise ValidationError(
            {"legal_form": _("A change cannot move an organization between registration and filing.")}
        )
    if "region" in changes and district_of(org.region).pk != org.district_id:
        raise ValidationError({"region": _("An organization cannot move to another district.")})
    if "uscc" in changes:
        org.uscc, org.uscc_override_reason = clean_uscc(
            changes["uscc"], override_reason=uscc_override_reason, by=by, legal_form=org.legal_form
        )
    _validate(org)
    org.save()
    audit.record(actor=by, action=AuditAction.UPDATE, obj=org, before=before, message=message)
    return org


@transaction.atomic
def organization_set_status(
    *,
    org: Organization,
    by: User | None,
    status: str,
    on: datetime.date | None = None,
    message: str = "",
    decision_number: str = "",
) -> Organization:
    """Set the organization's status as of `on`, with the number of the decision behind it (a
    revocation's, say), which the public register shows."""
    check_may(by, Action.CHANGE, org.region)
    org = Organization.objects.select_for_update().get(pk=org.pk)
    if status not in OrganizationStatus.values:
        raise ValidationError({"status": _("Choose a status.")})
    before = audit.snapshot(org)
    org.status = status
    org.status_changed_on = on or timezone.localdate()
    org.status_document = (decision_number or "").strip()[:64]
    if status == OrganizationStatus.ACTIVE:
        _check_unique(org)
    org.save(update_fields=["status", "status_changed_on", "status_document", "updated_at"])
    audit.record(actor=by, action=AuditAction.UPDATE, obj=org, before=before, message=message)
    return org


@transaction.atomic
def organization_member_link(*, user: User, organization: Organization, by: User | None = None) -> OrganizationMember:
    """Let an organization account act for `organization` (one organization per account)."""
    check_may(by, Action.CHANGE, organization.region)
    if user.role != Role.ORG_USER:
        raise ValidationError({"user": _("Only an organization account can act for an organization.")})
    existing = OrganizationMember.objects.select_for_update().filter(user=user).first()
    if existing is not None:
        if existing.organization_id == organization.pk:
            return existing
        raise ValidationError(
            {"user": _("This account already acts for %(name)s.") % {"name": existing.organization.name}}
        )
    member = OrganizationMember.objects.create(user=user, organization=organization)
    user.__dict__.pop("organization_id", None)  # the cached property must see the new link
    audit.record(actor=by, action=AuditAction.CREATE, obj=member)
    return member


@transaction.atomic
def organization_member_unlink(*, member: OrganizationMember, by: User | None = None) -> None:
    check_may(by, Action.CHANGE, member.organization.region)
    audit.record(actor=by, action=AuditAction.DELETE, obj=member, before=audit.snapshot(member), after=None)
    member.delete()
