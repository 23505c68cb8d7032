"""Applications: establish, file, change, deregister — and their path through review
(registry.workflows.APPLICATION)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.choices import RegionLevel
from accounts.models import Region, User
from core import audit, bounds
from core.choices import Action, AuditAction, Role

from .. import permissions, workflows
from ..choices import ApplicationAction, ApplicationKind, ApplicationState, AttachmentKind, OrganizationStatus
from ..models import Application, ApplicationStep, Organization, OrganizationMember
from .founders import MIN_FOUNDERS, clean_founders, set_founders
from .organizations import (
    check_may,
    district_of,
    organization_apply_changes,
    organization_create,
    organization_member_link,
)
from .proposals import REQUIRED_FOR_NEW, TEXT_FIELDS, clean_data, field_label, proposed_values, to_json


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
    founders: list[dict] | None = None,
) -> Application:
    """Start an application as a draft (an organization for itself, or the bureau on its behalf).
    An establishment names its founders (rows of registry.services.founders)."""
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
    proposed, current = clean_data(kind, data, organization, by) if kind != ApplicationKind.DEREGISTER else ({}, {})
    if organization is None:
        region = Region.objects.get(pk=proposed["region"]) if proposed.get("region") else by.region
        if region is None or region.level in (RegionLevel.CITY, RegionLevel.DISTRICT):
            raise ValidationError({"region": _("Region: choose the street or community the organization belongs to.")})
        legal_form = proposed["legal_form"]
    else:
        region, legal_form = organization.region, organization.legal_form
    if kind == ApplicationKind.CHANGE and not proposed:
        raise ValidationError({"data": _("Nothing would change: propose at least one new value.")})
    if by.role != Role.ORG_USER:
        check_may(by, Action.ADD, region, Application)
    district = district_of(region)
    _founders_fit(kind, founders)
    founder_rows = clean_founders(founders, district)
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
    if founder_rows:
        set_founders(application, founder_rows, by=by)
    return application


def _founders_fit(kind: str, founders) -> None:
    if founders and kind != ApplicationKind.ESTABLISH:
        raise ValidationError({"founders": _("Founders: only an establishment application names founders.")})


def lock(application: Application) -> Application:
    """The application's row, locked for the rest of the transaction and read afresh."""
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
    founders: list[dict] | None = None,
) -> Application:
    """Change a draft or returned application's proposed values (and, given, its founders)."""
    application = lock(application)
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
        proposed, current = clean_data(application.kind, data, application.organization, by)
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
    message = ""
    if founders is not None:
        _founders_fit(application.kind, founders)
        names = set_founders(application, clean_founders(founders, application.district), by=by)
        message = _("Founders: %(names)s") % {"names": names or "—"}
    application.save()
    audit.record(actor=by, action=AuditAction.UPDATE, obj=application, before=before, message=message)
    return application


def _check_complete(application: Application) -> None:
    """What must be there before an application goes to review."""
    errors: dict = {}
    if application.kind in (ApplicationKind.ESTABLISH, ApplicationKind.FILE):
        for field in REQUIRED_FOR_NEW:
            if not application.data.get(field):
                errors[field] = _("%(field)s is required.") % {"field": field_label(field)}
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
    if application.kind == ApplicationKind.ESTABLISH and application.founders.count() < MIN_FOUNDERS:
        errors["founders"] = _(
            "Founders: name at least one resident or unit of the community founding the organization."
        )
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
                "Unified social credit code: give the code assigned to the organization to approve its registration."
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
        changes = {k: ("" if v is None and k in TEXT_FIELDS else v) for k, v in values.items()}
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


def _notice(application: Application, transition, reason: str) -> str:
    """What the organization is told, e.g. “备案申请 SQ… 一社区银龄互助队：已核准”."""
    text = _("%(kind)s application %(number)s %(name)s: %(state)s") % {
        "kind": application.get_kind_display(),
        "number": application.number,
        "name": application.display_name,
        "state": application.get_state_display(),
    }
    return _("%(notice)s; reason: %(reason)s") % {"notice": text, "reason": reason} if reason else text


def application_transition(
    *,
    application: Application,
    by: User,
    action: str,
    reason: str = "",
    uscc: str | None = None,
    uscc_override_reason: str = "",
) -> Application:
    """Move an application one step along registry.workflows.APPLICATION.

    The workflow locks the row and checks the step, the user and the reason (of two identical
    clicks one moves the application, the other is told it has been handled: StaleTransition);
    the effect here checks a submission is complete, snapshots what a change is compared with,
    applies an approval to the register and records the step. A decision is told to the
    organization's accounts (core.notifications).
    """
    reason = (reason or "").strip()

    def effect(app: Application, transition) -> None:
        now = timezone.now()
        if transition.name in (ApplicationAction.SUBMIT, ApplicationAction.RESUBMIT):
            _check_complete(app)
            app.submitted_at = now
            # A submission awaits a fresh decision.
            app.reviewed_at = app.reviewed_by = None
            app.review_reason = ""
            if app.organization_id and app.kind == ApplicationKind.CHANGE:
                # The reviewer compares with the organization as it is at submission.
                org = app.organization
                app.current = {f: to_json(getattr(org, f)) for f in app.data}
        target = transition.target_for(app)
        if target == ApplicationState.APPROVED:
            _approve(app, by, uscc, uscc_override_reason)
        ApplicationStep.objects.create(
            application=app,
            action=transition.name,
            from_state=app.state,
            to_state=target,
            actor=by,
            at=now,
            reason=reason,
        )

    return workflows.APPLICATION.apply(application, action, by=by, reason=reason, effect=effect, notice=_notice)


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
