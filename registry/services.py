"""Every write to the registry: atomic, validated, audited."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.choices import RegionLevel
from accounts.models import Region, User
from core import audit, bounds
from core.choices import Action, AuditAction, Role
from core.workflows import StaleTransition

from . import permissions, workflows
from . import uscc as uscc_rules
from .choices import (
    ApplicationAction,
    ApplicationKind,
    ApplicationState,
    AttachmentKind,
    Category,
    LegalForm,
    OrganizationStatus,
    RegistrationLevel,
    level_for,
)
from .models import Application, ApplicationStep, Attachment, Organization, OrganizationMember
from .uploads import ATTACHMENT_UPLOADS

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


def clean_uscc(value, *, override_reason: str = "", by: User | None = None) -> tuple[str | None, str]:
    """The normalised code and the override reason to store, or a ValidationError on `uscc`.

    A code failing only its check character is accepted when a bureau administrator (or a system
    job such as an import acting on the bureau's roster) gives a reason.
    """
    code = uscc_rules.normalize(value)
    override_reason = (override_reason or "").strip()
    if not code:
        return None, ""
    try:
        return uscc_rules.validate(code), ""
    except ValidationError as error:
        if error.code != uscc_rules.CHECK_ERROR or not override_reason:
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
    if region.level == RegionLevel.DISTRICT:
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
    org.uscc, org.uscc_override_reason = clean_uscc(fields.get("uscc"), override_reason=uscc_override_reason, by=by)
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
        org.uscc, org.uscc_override_reason = clean_uscc(changes["uscc"], override_reason=uscc_override_reason, by=by)
    _validate(org)
    org.save()
    audit.record(actor=by, action=AuditAction.UPDATE, obj=org, before=before, message=message)
    return org


@transaction.atomic
def organization_set_status(
    *, org: Organization, by: User | None, status: str, on: datetime.date | None = None, message: str = ""
) -> Organization:
    check_may(by, Action.CHANGE, org.region)
    org = Organization.objects.select_for_update().get(pk=org.pk)
    if status not in OrganizationStatus.values:
        raise ValidationError({"status": _("Choose a status.")})
    before = audit.snapshot(org)
    org.status = status
    org.status_changed_on = on or timezone.localdate()
    if status == OrganizationStatus.ACTIVE:
        _check_unique(org)
    org.save(update_fields=["status", "status_changed_on", "updated_at"])
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


# ---------------------------------------------------------------------------------------------
# Applications: establish, file, change, deregister — and their path through review.

# Values an application may propose, and how each is read from a form or JSON body.
_TEXT = (
    "name",
    "legal_representative",
    "phone",
    "address",
    "supervising_unit",
    "business_scope",
    "activity_area",
    "uscc",
)
_COUNTS = ("member_count", "staff_count", "volunteer_count")
NEW_ORGANIZATION_FIELDS = (
    "name",
    "legal_form",
    "category",
    "region",
    "uscc",
    "supervising_unit",
    "legal_representative",
    "phone",
    "address",
    "established_on",
    "funds",
    "business_scope",
    "activity_area",
    *_COUNTS,
)
CHANGEABLE_FIELDS = (
    "name",
    "category",
    "region",
    "supervising_unit",
    "legal_representative",
    "phone",
    "address",
    "funds",
    "business_scope",
    "activity_area",
    *_COUNTS,
)
REQUIRED_FOR_NEW = ("name", "legal_form", "category", "region", "legal_representative", "phone", "address")


def _label(field: str) -> str:
    return str(Organization._meta.get_field(field).verbose_name)


def _to_python(field: str, value, errors: dict):
    """One proposed value as the model holds it (None for empty), recording a field error."""
    if value in (None, ""):
        return None
    try:
        if field in _TEXT:
            text = str(value).strip()
            limit = Organization._meta.get_field(field).max_length
            if limit and len(text) > limit and field != "uscc":
                errors[field] = _("%(field)s: at most %(n)d characters.") % {"field": _label(field), "n": limit}
                return None
            return text or None
        if field in ("legal_form", "category"):
            choices = LegalForm.values if field == "legal_form" else Category.values
            if value not in choices:
                raise ValueError
            return value
        if field == "region":
            return Region.objects.get(pk=getattr(value, "pk", value))
        if field == "established_on":
            return value if isinstance(value, datetime.date) else datetime.date.fromisoformat(str(value))
        if field == "funds":
            amount = Decimal(str(value)).quantize(Decimal("0.01"))
            if amount < 0 or amount >= Decimal("1e10"):
                raise ValueError
            return amount
        if field in _COUNTS:
            number = int(value)
            if number < 0:
                raise ValueError
            return number
    except (ValueError, TypeError, ArithmeticError, Region.DoesNotExist):
        errors[field] = _("%(field)s: the value “%(value)s” is not valid.") % {"field": _label(field), "value": value}
        return None
    raise TypeError(f"{field} cannot be proposed")


def _to_json(value):
    if isinstance(value, Region):
        return value.pk
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def proposed_values(application) -> dict:
    """The application's proposed values as Python values (regions as Region objects)."""
    errors: dict = {}
    return {field: _to_python(field, value, errors) for field, value in application.data.items()}


def _clean_data(kind: str, data: dict, organization: Organization | None, by: User) -> tuple[dict, dict]:
    """Validate proposed values; returns (proposed JSON, current JSON). For a change only the
    values that differ from the organization are kept, with the organization's current ones."""
    allowed = (
        NEW_ORGANIZATION_FIELDS if kind in (ApplicationKind.ESTABLISH, ApplicationKind.FILE) else CHANGEABLE_FIELDS
    )
    errors: dict = {}
    values = {field: _to_python(field, data.get(field), errors) for field in allowed if field in data}
    # The rules the approval applies to the organization, applied now to what is proposed, so a
    # value the register cannot take is refused when it is typed, not at the bureau's approval.
    bounded = {f: v for f, v in values.items() if f not in errors and f not in ("region", "uscc")}
    for field, message in bounds.field_errors(Organization, bounded).items():
        errors[field] = message
    established_on = values.get("established_on")
    if established_on is not None and "established_on" not in errors and established_on > timezone.localdate():
        errors["established_on"] = _("The date of establishment cannot be in the future.")
    region = values.get("region")
    if region is not None and "region" not in errors:
        if region.level == RegionLevel.DISTRICT:
            errors["region"] = _("Region: an organization belongs to a street or a community, not a district.")
        elif (
            by.region is not None
            and not by.is_superuser
            and district_of(region).pk != (by.region.district_id or by.region.pk)
        ):
            errors["region"] = _("Region: choose a street or community of your own district.")
        elif organization is not None and district_of(region).pk != organization.district_id:
            errors["region"] = _("Region: an organization cannot move to another district.")
    if values.get("uscc") and "uscc" not in errors:
        try:
            values["uscc"] = uscc_rules.validate(values["uscc"])
        except ValidationError as error:
            errors["uscc"] = error.messages[0]
    if errors:
        raise ValidationError(errors)
    if organization is None:
        return {k: _to_json(v) for k, v in values.items() if v is not None}, {}
    proposed, current = {}, {}
    for field, value in values.items():
        now = getattr(organization, field)
        if field in _TEXT and value is None:
            value = ""
        if field in _COUNTS and value is None:
            value = 0
        if value != now:
            proposed[field], current[field] = _to_json(value), _to_json(now)
    return proposed, current


def _next_application_number(district: Region) -> str:
    year = timezone.localdate().year
    Region.objects.select_for_update().filter(pk=district.pk).first()
    prefix = f"SQ{district.code}{year}"
    last = (
        Application.objects.filter(number__startswith=prefix)
        .order_by("-number")
        .values_list("number", flat=True)
        .first()
    )
    return f"{prefix}{int(last[len(prefix) :]) + 1 if last else 1:05d}"


@transaction.atomic
def application_create(
    *,
    by: User,
    kind: str,
    organization: Organization | None = None,
    data: dict | None = None,
    liquidation_conclusion: str = "",
    remarks: str = "",
) -> Application:
    """Start an application as a draft (an organization for itself, or the bureau on its behalf)."""
    if kind not in ApplicationKind.values:
        raise ValidationError({"kind": _("Kind: choose the kind of application.")})
    bounds.validate(Application, {"liquidation_conclusion": liquidation_conclusion, "remarks": remarks})
    if organization is not None:
        organization = Organization.objects.select_for_update().get(pk=organization.pk)
    allowed, reason = permissions.can_apply(by, kind, organization)
    if not allowed:
        raise PermissionDenied(reason)
    data = dict(data or {})
    if organization is None:
        legal_form = data.get("legal_form")
        if legal_form not in permissions.KINDS_FOR_NEW[kind]:
            raise ValidationError(
                {
                    "legal_form": _(
                        "Legal form: an establishment registration is for a social group or a social service "
                        "organization; a filing is for a community organization."
                    )
                }
            )
    proposed, current = _clean_data(kind, data, organization, by) if kind != ApplicationKind.DEREGISTER else ({}, {})
    if organization is None:
        region = Region.objects.get(pk=proposed["region"]) if proposed.get("region") else by.region
        if region is None or region.level == RegionLevel.DISTRICT:
            raise ValidationError({"region": _("Region: choose the street or community the organization belongs to.")})
        legal_form = proposed["legal_form"]
    else:
        region, legal_form = organization.region, organization.legal_form
    if kind == ApplicationKind.CHANGE and not proposed:
        raise ValidationError({"data": _("Nothing would change: propose at least one new value.")})
    if by.role != Role.ORG_USER:
        check_may(by, Action.ADD, region, Application)
    district = district_of(region)
    application = Application.objects.create(
        number=_next_application_number(district),
        kind=kind,
        organization=organization,
        legal_form=legal_form,
        region=region,
        district=district,
        applicant=by,
        data=proposed,
        current=current,
        liquidation_conclusion=(liquidation_conclusion or "").strip(),
        remarks=(remarks or "").strip(),
        created_by=by,
    )
    ApplicationStep.objects.create(
        application=application,
        action=ApplicationAction.CREATE,
        from_state="",
        to_state=application.state,
        actor=by,
        at=timezone.now(),
    )
    audit.record(actor=by, action=AuditAction.CREATE, obj=application)
    return application


def _lock(application: Application) -> Application:
    return (
        Application.objects.select_related("organization", "region", "district")
        .select_for_update(of=("self",))
        .get(pk=application.pk)
    )


@transaction.atomic
def application_update(
    *,
    application: Application,
    by: User,
    data: dict | None = None,
    liquidation_conclusion: str | None = None,
    remarks: str | None = None,
) -> Application:
    """Change a draft or returned application's proposed values."""
    application = _lock(application)
    allowed, reason = permissions.can_edit(by, application)
    if not allowed:
        raise PermissionDenied(reason)
    bounds.validate(Application, {"liquidation_conclusion": liquidation_conclusion, "remarks": remarks})
    before = audit.snapshot(application)
    if data is not None and application.kind != ApplicationKind.DEREGISTER:
        data = dict(data)
        if application.organization_id is None:
            data.setdefault("legal_form", application.legal_form)
            if data["legal_form"] not in permissions.KINDS_FOR_NEW[application.kind]:
                raise ValidationError({"legal_form": _("Legal form: the legal form does not fit this application.")})
        proposed, current = _clean_data(application.kind, data, application.organization, by)
        if application.kind == ApplicationKind.CHANGE and not proposed:
            raise ValidationError({"data": _("Nothing would change: propose at least one new value.")})
        application.data, application.current = proposed, current
        if application.organization_id is None:
            application.legal_form = proposed["legal_form"]
            if proposed.get("region"):
                application.region = Region.objects.get(pk=proposed["region"])
    if liquidation_conclusion is not None:
        application.liquidation_conclusion = liquidation_conclusion.strip()
    if remarks is not None:
        application.remarks = remarks.strip()
    application.save()
    audit.record(actor=by, action=AuditAction.UPDATE, obj=application, before=before)
    return application


def _check_complete(application: Application) -> None:
    """What must be there before an application goes to review."""
    errors: dict = {}
    if application.kind in (ApplicationKind.ESTABLISH, ApplicationKind.FILE):
        for field in REQUIRED_FOR_NEW:
            if not application.data.get(field):
                errors[field] = _("%(field)s is required.") % {"field": _label(field)}
        name = application.data.get("name")
        if (
            name
            and Organization.objects.filter(
                district_id=application.district_id, name=name, status=OrganizationStatus.ACTIVE
            ).exists()
        ):
            errors["name"] = _("Name: an active organization named %(name)s already exists in this district.") % {
                "name": name
            }
    if application.kind == ApplicationKind.CHANGE and not application.data:
        errors["data"] = _("Nothing would change: propose at least one new value.")
    if application.kind == ApplicationKind.DEREGISTER and not application.liquidation_conclusion:
        errors["liquidation_conclusion"] = _(
            "Liquidation conclusion: a deregistration needs the liquidation conclusion."
        )
    present = set(application.attachments.filter(is_removed=False).values_list("kind", flat=True))
    missing = [AttachmentKind(k).label for k in workflows.REQUIRED_ATTACHMENTS[application.kind] if k not in present]
    if missing:
        errors["attachments"] = _("Attachments: still missing %(kinds)s.") % {
            "kinds": "、".join(str(m) for m in missing)
        }
    if errors:
        raise ValidationError(errors)


def _approve(application: Application, by: User, uscc: str | None, uscc_override_reason: str) -> None:
    """Apply an approved application to the register (inside the transition's transaction)."""
    values = proposed_values(application)
    if application.kind in (ApplicationKind.ESTABLISH, ApplicationKind.FILE):
        code = uscc or values.pop("uscc", None)
        values.pop("uscc", None)
        if application.kind == ApplicationKind.ESTABLISH and not code:
            message = _(
                "Unified social credit code: give the code assigned to the organization "
                "to approve its registration."
            )
            raise ValidationError({"uscc": message})
        org = organization_create(
            by=by,
            uscc=code,
            uscc_override_reason=uscc_override_reason,
            established_on=values.pop("established_on", None) or timezone.localdate(),
            **{k: v for k, v in values.items() if v is not None},
        )
        application.organization = org
        applicant = application.applicant
        if applicant.role == Role.ORG_USER and not OrganizationMember.objects.filter(user=applicant).exists():
            organization_member_link(user=applicant, organization=org, by=by)
        return
    org = Organization.objects.select_for_update().get(pk=application.organization_id)
    if org.status != OrganizationStatus.ACTIVE:
        raise ValidationError({"organization": _("Organization: the organization is no longer active.")})
    if application.kind == ApplicationKind.CHANGE:
        changes = {k: ("" if v is None and k in _TEXT else v) for k, v in values.items()}
        organization_apply_changes(
            org=org,
            by=by,
            changes=changes,
            message=_("Change registration %(number)s") % {"number": application.number},
        )
    else:
        before = audit.snapshot(org)
        org.status, org.status_changed_on = OrganizationStatus.DEREGISTERED, timezone.localdate()
        org.save(update_fields=["status", "status_changed_on", "updated_at"])
        audit.record(
            actor=by,
            action=AuditAction.UPDATE,
            obj=org,
            before=before,
            message=_("Deregistration %(number)s") % {"number": application.number},
        )


def application_transition(
    *,
    application: Application,
    by: User,
    action: str,
    reason: str = "",
    uscc: str | None = None,
    uscc_override_reason: str = "",
) -> Application:
    """Move an application one step along the workflow (see workflows.TRANSITIONS).

    The row is locked first, so of two identical clicks one moves the application and the other
    is told it has already been handled and what its state is now (core.workflows.StaleTransition).
    """
    with transaction.atomic():
        current = _lock(application)
        transition = workflows.transition_for(action, current.state)
        allowed, why = permissions.can_transition(by, current, action)
        if not allowed:
            if permissions.was_overtaken(by, current, action):
                last = current.steps.select_related("actor").last()
                raise StaleTransition(
                    current.get_state_display(),
                    handled_by=last.actor if last else None,
                    handled_at=last.at if last else None,
                    field="state",
                )
            if transition is None:
                raise ValidationError({"state": why})
            raise PermissionDenied(why)
        reason = (reason or "").strip()
        bounds.validate(ApplicationStep, {"reason": reason})
        if transition.needs_reason and not reason:
            raise ValidationError(
                {"reason": _("Reason: give the reason for “%(action)s”.") % {"action": transition.label}}
            )
        if action in (ApplicationAction.SUBMIT, ApplicationAction.RESUBMIT):
            _check_complete(current)
        before = audit.snapshot(current)
        target = workflows.target_of(transition, current)
        now = timezone.now()
        if action in (ApplicationAction.SUBMIT, ApplicationAction.RESUBMIT):
            current.submitted_at = now
            if current.organization_id and current.kind == ApplicationKind.CHANGE:
                # The reviewer compares with the organization as it is at submission.
                org = current.organization
                current.current = {f: _to_json(getattr(org, f)) for f in current.data}
        if target == ApplicationState.APPROVED:
            _approve(current, by, uscc, uscc_override_reason)
        if target in workflows.FINAL_STATES:
            current.reviewed_at, current.reviewed_by = now, by
        from_state, current.state = current.state, target
        current.save()
        ApplicationStep.objects.create(
            application=current, action=action, from_state=from_state, to_state=target, actor=by, at=now, reason=reason
        )
        audit.record(actor=by, action=AuditAction.TRANSITION, obj=current, before=before, message=reason)
        return current


def application_submit(*, application: Application, by: User) -> Application:
    return application_transition(application=application, by=by, action=ApplicationAction.SUBMIT)


def application_resubmit(*, application: Application, by: User) -> Application:
    return application_transition(application=application, by=by, action=ApplicationAction.RESUBMIT)


def application_approve(
    *, application: Application, by: User, reason: str = "", uscc: str | None = None, uscc_override_reason: str = ""
) -> Application:
    return application_transition(
        application=application,
        by=by,
        action=ApplicationAction.APPROVE,
        reason=reason,
        uscc=uscc,
        uscc_override_reason=uscc_override_reason,
    )


def application_reject(*, application: Application, by: User, reason: str) -> Application:
    return application_transition(application=application, by=by, action=ApplicationAction.REJECT, reason=reason)


def application_return(*, application: Application, by: User, reason: str) -> Application:
    return application_transition(application=application, by=by, action=ApplicationAction.RETURN, reason=reason)


@transaction.atomic
def attachment_add(*, application: Application, by: User, kind: str, upload) -> Attachment:
    """Attach a file, judged by its content (ATTACHMENT_UPLOADS: pdf, jpg, png, docx or xlsx, at most
    10 MB) and stored under a random name."""
    application = _lock(application)
    allowed, reason = permissions.can_edit(by, application)
    if not allowed:
        raise PermissionDenied(reason)
    if kind not in AttachmentKind.values:
        raise ValidationError({"kind": _("Kind: choose what the file is.")})
    checked = ATTACHMENT_UPLOADS.check(upload, field="file")
    attachment = Attachment(
        application=application,
        kind=kind,
        original_name=checked.name,
        extension=checked.kind,
        size=checked.size,
        sha256=checked.sha256,
        uploaded_by=by,
    )
    attachment.file = checked.file
    attachment.save()
    audit.record(actor=by, action=AuditAction.CREATE, obj=attachment, message=application.number)
    return attachment


@transaction.atomic
def attachment_remove(*, attachment: Attachment, by: User) -> Attachment:
    """Withdraw a file from a draft or returned application (the file itself is kept)."""
    application = _lock(attachment.application)
    allowed, reason = permissions.can_edit(by, application)
    if not allowed:
        raise PermissionDenied(reason)
    attachment = Attachment.objects.select_for_update().get(pk=attachment.pk)
    before = audit.snapshot(attachment)
    attachment.is_removed = True
    attachment.save(update_fields=["is_removed"])
    audit.record(actor=by, action=AuditAction.UPDATE, obj=attachment, before=before, message=application.number)
    return attachment
