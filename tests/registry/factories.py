"""Factories for organizations and their accounts; every write goes through the services."""

import itertools

from accounts.choices import Role
from registry import services, uscc
from registry.choices import Category, LegalForm
from registry.models import Organization, OrganizationMember

from ..accounts.factories import make_user

_serial = itertools.count(1)


def make_uscc(category_digit: str = "1", region_code: str = "330106") -> str:
    """A valid civil-affairs credit code, different each call."""
    return uscc.complete(f"5{category_digit}{region_code}MJ{next(_serial):07d}")


def make_organization(region, **fields) -> Organization:
    """An active organization at `region` (a street or community); registered social group unless
    `legal_form` says otherwise. Registered forms get a valid credit code, filed ones a number."""
    n = next(_serial)
    legal_form = fields.setdefault("legal_form", LegalForm.SOCIAL_GROUP)
    fields.setdefault("name", f"测试社会组织{n}")
    fields.setdefault("category", Category.RESIDENT_SERVICES)
    fields.setdefault("legal_representative", "张三")
    fields.setdefault("phone", "0571-88880000")
    fields.setdefault("address", "测试路1号")
    if legal_form != LegalForm.COMMUNITY_FILED:
        fields.setdefault("uscc", make_uscc())
    by = fields.pop("by", None)
    return services.organization_create(by=by, region=region, **fields)


def make_org_user(organization: Organization, **extra):
    """An org_user account at the organization's region, acting for it."""
    user = make_user(Role.ORG_USER, organization.region, **extra)
    services.organization_member_link(user=user, organization=organization)
    user.__dict__.pop("organization_id", None)
    return user


__all__ = ["OrganizationMember", "make_org_user", "make_organization", "make_uscc"]
