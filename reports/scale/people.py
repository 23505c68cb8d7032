"""The seeded accounts (password Demo@2026, hashed once): all in the bench district but scale_city,
each with what makes their pages show data. Created through the services, like any account."""

from __future__ import annotations

from django.contrib.auth.hashers import make_password

from accounts.choices import Role
from accounts.models import Region, User
from accounts.services import user_create
from evaluation.choices import AffiliationKind, Dimension
from evaluation.services.experts import expert_create, expert_link_user
from projects.models import Funder
from projects.services.funders import funder_member_link
from registry.models import Organization
from registry.services.organizations import organization_member_link

PASSWORD = "Demo@2026"  # the documented password of the seeded accounts


def seed(run) -> list[str]:
    """Create the accounts; their user names."""
    city = Region.objects.filter(level="city").order_by("-pk").first()
    district = Region.objects.filter(parent=city).order_by("code").first()
    street = district.children.order_by("code").first()
    # The organization of project 1: the first of the bench district, active, with a project.
    organization = Organization.objects.filter(district=district, projects__isnull=False).order_by("pk").first()
    funder = Funder.objects.get(region=district, kind="civil_affairs_bureau")
    accounts = [
        ("scale_admin", Role.BUREAU_ADMIN, district, "区局管理员"),
        ("scale_staff", Role.BUREAU_STAFF, district, "区局经办人"),
        ("scale_viewer", Role.BUREAU_VIEWER, district, "区局查询员"),
        ("scale_city", Role.BUREAU_VIEWER, city, "市局查询员"),
        ("scale_street", Role.STREET_OFFICER, street, "街道专干"),
        ("scale_party", Role.COMMUNITY_PARTY, street, "街道党工委书记"),
        ("scale_org", Role.ORG_USER, organization.region, "机构填报员"),
        ("scale_funder", Role.FUNDER_USER, district, "资助方联络员"),
        ("scale_expert", Role.EXPERT, district, "评估专家"),
    ]
    users = {
        username: user_create(username=username, password=None, by=None, role=role, region=region, full_name=name)
        for username, role, region, name in accounts
    }
    User.objects.filter(pk__in=[user.pk for user in users.values()]).update(password=make_password(PASSWORD))
    organization_member_link(user=users["scale_org"], organization=organization)
    funder_member_link(user=users["scale_funder"], funder=funder)
    expert = expert_create(
        by=None, region=district, name="评估专家", dimension=Dimension.TECHNICAL,
        affiliation_kind=AffiliationKind.OTHER, affiliation="云州大学社会工作系", title="教授",
    )  # fmt: skip
    expert_link_user(expert, by=None, user=users["scale_expert"])
    return list(users)
