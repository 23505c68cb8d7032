"""The expert pool (专家库): experts of a district, each rating in one dimension, with the
affiliation that decides conflicts of interest (evaluation.selectors.conflicts) and an optional
user account (role expert) that sees only their own assignments."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.choices import Role
from accounts.services import user_create
from core import audit
from core.choices import AuditAction
from projects.models import Funder
from registry.models import Organization

from .. import permissions as rules
from ..choices import AffiliationKind
from ..models import Expert
from ._common import assign, district_error, label, raise_errors, require

EXPERT_FIELDS = (
    "name",
    "dimension",
    "affiliation_kind",
    "affiliation",
    "organization",
    "funder",
    "title",
    "specialty",
    "phone",
    "email",
    "is_active",
)
REQUIRED = ("name", "dimension", "affiliation_kind")


def _check(expert: Expert, errors: dict) -> None:
    kind = expert.affiliation_kind
    if (
        "organization" not in errors
        and expert.organization is not None
        and (
            not isinstance(expert.organization, Organization) or not expert.region.contains(expert.organization.region)
        )
    ):
        errors["organization"] = _("%(field)s: choose an organization of %(region)s.") % {
            "field": label(Expert, "organization"),
            "region": expert.region.name,
        }
    if "funder" not in errors and expert.funder is not None:
        funder_region = getattr(expert.funder, "region", None)
        if (
            not isinstance(expert.funder, Funder)
            or funder_region is None
            or not (expert.region.contains(funder_region) or funder_region.contains(expert.region))
        ):
            errors["funder"] = _("%(field)s: choose a funder of %(region)s.") % {
                "field": label(Expert, "funder"),
                "region": expert.region.name,
            }
    if kind == AffiliationKind.ORGANIZATION and expert.organization is None and "organization" not in errors:
        errors["organization"] = _("%(field)s: name the organization the expert belongs to.") % {
            "field": label(Expert, "organization")
        }
    if kind == AffiliationKind.FUNDER and expert.funder is None and "funder" not in errors:
        errors["funder"] = _("%(field)s: name the funder the expert belongs to.") % {"field": label(Expert, "funder")}
    if (
        kind in (AffiliationKind.DEPARTMENT, AffiliationKind.PUBLIC_OFFICE)
        and not expert.affiliation
        and "affiliation" not in errors
    ):
        errors["affiliation"] = _("%(field)s: name the department or office.") % {"field": label(Expert, "affiliation")}


def _link(expert: Expert, user, errors: dict) -> None:
    if getattr(user, "role", None) != Role.EXPERT:
        errors["user"] = _("%(field)s: the account must have the role expert.") % {"field": label(Expert, "user")}
    elif user.region_id != expert.region_id:
        errors["user"] = _("%(field)s: the account belongs to another district.") % {"field": label(Expert, "user")}
    elif Expert.objects.filter(user=user).exclude(pk=expert.pk).exists():
        errors["user"] = _("%(field)s: the account is already another expert's.") % {"field": label(Expert, "user")}


@transaction.atomic
def expert_create(
    *,
    by,
    region,
    name,
    dimension,
    affiliation_kind,
    affiliation="",
    organization=None,
    funder=None,
    title="",
    specialty="",
    phone="",
    email="",
    is_active=True,
    username="",
) -> Expert:
    """An expert of `region` (a district); with `username`, also their account (role expert at the
    district, no usable password: the administrator sets one, as for every account)."""
    if message := district_error(region):
        raise_errors({"region": message})
    require(rules.may_keep_expert(by, region))
    errors: dict = {}
    expert = Expert(region=region)
    values = {
        "name": name,
        "dimension": dimension,
        "affiliation_kind": affiliation_kind,
        "affiliation": affiliation,
        "organization": organization,
        "funder": funder,
        "title": title,
        "specialty": specialty,
        "phone": phone,
        "email": email,
        "is_active": is_active,
    }
    assign(expert, values, EXPERT_FIELDS, errors, required=REQUIRED)
    if expert.region_id is not None:
        _check(expert, errors)
    raise_errors(errors)
    expert.save()
    audit.record(actor=by, action=AuditAction.CREATE, obj=expert)
    username = str(username or "").strip()
    if username:
        user = user_create(
            username=username,
            password=None,
            by=by,
            role=Role.EXPERT,
            region=region,
            full_name=expert.name,
            phone=expert.phone,
            email=expert.email,
        )
        expert = expert_link_user(expert, by=by, user=user)
    return expert


@transaction.atomic
def expert_update(expert, *, by, **fields) -> Expert:
    expert = Expert.objects.select_for_update(of=("self",)).select_related("region").get(pk=expert.pk)
    require(rules.may_keep_expert(by, expert.region))
    errors: dict = {}
    before = audit.snapshot(expert)
    assign(expert, fields, EXPERT_FIELDS, errors, required=REQUIRED)
    _check(expert, errors)
    raise_errors(errors)
    expert.save()
    audit.record(actor=by, action=AuditAction.UPDATE, obj=expert, before=before)
    return expert


@transaction.atomic
def expert_link_user(expert, *, by, user) -> Expert:
    """Link `user` (role expert, same district, nobody else's) as the expert's account."""
    expert = Expert.objects.select_for_update(of=("self",)).select_related("region").get(pk=expert.pk)
    require(rules.may_keep_expert(by, expert.region))
    errors: dict = {}
    _link(expert, user, errors)
    raise_errors(errors)
    before = audit.snapshot(expert)
    expert.user = user
    expert.save(update_fields=["user", "updated_at"])
    audit.record(actor=by, action=AuditAction.UPDATE, obj=expert, before=before)
    return expert
