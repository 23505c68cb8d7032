"""Funders: the bodies that pay for projects, and the accounts of their staff."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.choices import RegionLevel
from accounts.models import Region
from accounts.services import user_create
from core import audit
from core.choices import AuditAction, Role
from core.scoping import city_refusal

from ..choices import FunderKind
from ..models import Funder, FunderMember
from ..rules import user_or_none

# The office a region's own funder is: the bureau of a district, the office of a street, the
# residents' committee of a community (the kind and the name's ending).
OFFICE_OF_LEVEL = {
    RegionLevel.DISTRICT: (FunderKind.CIVIL_AFFAIRS_BUREAU, "民政局"),
    RegionLevel.STREET: (FunderKind.STREET_OFFICE, "办事处"),
    RegionLevel.COMMUNITY: (FunderKind.COMMUNITY, "居民委员会"),
}
# Kinds that sit at a street or community node; every other kind sits at its district.
KIND_LEVEL = {FunderKind.STREET_OFFICE: RegionLevel.STREET, FunderKind.COMMUNITY: RegionLevel.COMMUNITY}
FUNDER_FIELDS = ("name", "kind", "region", "uscc", "contact_person", "contact_phone", "is_active")


def may_manage_funders(user, region: Region | None = None) -> tuple[bool, str]:
    """Keep the register of funders: the district bureau's administrators and clerks."""
    if user is None or user.is_superuser:
        return True, ""
    if refusal := city_refusal(user):
        return False, refusal
    if user.role not in (Role.BUREAU_ADMIN, Role.BUREAU_STAFF):
        return False, _("Only the district bureau keeps the register of funders.")
    if region is not None and not (user.region and region.path.startswith(user.region.path)):
        return False, _("Region: the funder must be in your district.")
    return True, ""


def _check(funder: Funder) -> None:
    errors = {}
    name = (funder.name or "").strip()
    if not name:
        errors["name"] = _("Name: please enter the funder's name.")
    funder.name = name
    if funder.kind not in FunderKind.values:
        errors["kind"] = _("Kind: choose one of the listed kinds.")
    region = funder.region if funder.region_id else None
    if region is None:
        errors["region"] = _("Region: choose where the funder sits.")
    elif funder.kind in FunderKind.values:
        level = KIND_LEVEL.get(funder.kind, RegionLevel.DISTRICT)
        if region.level != level:
            errors["region"] = _("Region: a funder of kind “%(kind)s” sits at a %(level)s.") % {
                "kind": FunderKind(funder.kind).label,
                "level": RegionLevel(level).label,
            }
    if not errors and Funder.objects.filter(region=region, name=name).exclude(pk=funder.pk).exists():
        errors["name"] = _("Name: %(name)s is already a funder here.") % {"name": name}
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def funder_create(*, by, name: str, kind: str, region: Region, **fields) -> Funder:
    allowed, reason = may_manage_funders(by, region)
    if not allowed:
        raise PermissionDenied(reason)
    funder = Funder(name=name, kind=kind, region=region, created_by=user_or_none(by), **fields)
    _check(funder)
    funder.full_clean(exclude=["created_by"])
    funder.save()
    audit.record(actor=by, action=AuditAction.CREATE, obj=funder)
    return funder


@transaction.atomic
def funder_update(*, by, funder: Funder, changes: dict) -> Funder:
    funder = Funder.objects.select_for_update().select_related("region").get(pk=funder.pk)
    allowed, reason = may_manage_funders(by, funder.region)
    if not allowed:
        raise PermissionDenied(reason)
    before = audit.snapshot(funder)
    for name, value in changes.items():
        if name not in FUNDER_FIELDS:
            raise ValidationError({name: _("This field cannot be changed.")})
        setattr(funder, name, value)
    _check(funder)
    funder.full_clean(exclude=["created_by"])
    funder.save()
    audit.record(actor=by, action=AuditAction.UPDATE, obj=funder, before=before)
    return funder


def office_funder(region: Region, *, by=None) -> Funder:
    """The funder a region's own office is (the bureau of a district, the office of a street, the
    residents' committee of a community), recorded the first time it is asked for."""
    kind, ending = OFFICE_OF_LEVEL[region.level]
    name = f"{region.name}{ending}"
    existing = Funder.objects.filter(region=region, kind=kind).order_by("pk").first()
    return existing or funder_create(by=by, name=name, kind=kind, region=region)


@transaction.atomic
def funder_member_link(*, user, funder: Funder, by=None) -> FunderMember:
    """Let a funder account act for `funder` (one funder per account), as registry links an
    organization account to its organization."""
    allowed, reason = may_manage_funders(by, funder.region)
    if not allowed:
        raise PermissionDenied(reason)
    if user.role != Role.FUNDER_USER:
        raise ValidationError({"user": _("Only a funder account can act for a funder.")})
    existing = FunderMember.objects.select_for_update(of=("self",)).filter(user=user).select_related("funder").first()
    if existing is not None:
        if existing.funder_id == funder.pk:
            return existing
        raise ValidationError(
            {"user": _("User: this account already acts for the funder %(name)s.") % {"name": existing.funder.name}}
        )
    member = FunderMember.objects.create(user=user, funder=funder)
    user.__dict__.pop("funder_id", None)  # the cached property must see the new link
    audit.record(actor=by, action=AuditAction.CREATE, obj=member)
    return member


@transaction.atomic
def funder_account_create(
    *, funder: Funder, by, username: str, password: str | None, full_name: str = "", phone: str = "", email: str = ""
) -> FunderMember:
    """An account for the funder's staff (role funder_user) at the funder's node, linked to the
    funder. accounts.services.user_create checks that `by` may add users there (the district's
    administrator) and the password rules."""
    funder = Funder.objects.select_for_update(of=("self",)).select_related("region").get(pk=funder.pk)
    allowed, reason = may_manage_funders(by, funder.region)
    if not allowed:
        raise PermissionDenied(reason)
    if not funder.is_active:
        raise ValidationError({"username": _("Funder: %(name)s is no longer active.") % {"name": funder.name}})
    user = user_create(
        username=(username or "").strip(),
        password=password or None,
        by=by,
        role=Role.FUNDER_USER,
        region=funder.region,
        full_name=(full_name or "").strip(),
        phone=(phone or "").strip(),
        email=(email or "").strip(),
    )
    return funder_member_link(user=user, funder=funder, by=by)
