"""Demo district: 西湖区 with 3 streets and 8 communities, and one user per role."""

from django.utils.translation import gettext as _

from .choices import Role
from .models import Region, User
from .services import region_create, user_create

DEMO_PASSWORD = "Demo@2026"

DISTRICT = ("330106", "西湖区")
STREETS = {
    ("330106001", "北山街道"): [
        ("330106001001", "保俶塔社区"),
        ("330106001002", "宝石社区"),
        ("330106001003", "杨公堤社区"),
    ],
    ("330106002", "西溪街道"): [
        ("330106002001", "嘉绿苑社区"),
        ("330106002002", "求是社区"),
        ("330106002003", "文鼎苑社区"),
    ],
    ("330106003", "翠苑街道"): [("330106003001", "翠苑一区社区"), ("330106003002", "学院路社区")],
}

# (username, full name, role, region code)
USERS = [
    ("admin", "王建国", Role.BUREAU_ADMIN, "330106"),
    ("staff", "李晓梅", Role.BUREAU_STAFF, "330106"),
    ("viewer", "赵审计", Role.BUREAU_VIEWER, "330106"),
    ("street", "陈街道", Role.STREET_OFFICER, "330106001"),
    ("party", "刘书记", Role.COMMUNITY_PARTY, "330106001002"),
    ("org", "周会计", Role.ORG_USER, "330106001002"),
    ("expert", "孙教授", Role.EXPERT, "330106"),
]


def _region(code, name, parent=None):
    return Region.objects.filter(code=code).first() or region_create(code=code, name=name, parent=parent)


def seed(context: dict) -> None:
    district = _region(*DISTRICT)
    for (street_code, street_name), communities in STREETS.items():
        street = _region(street_code, street_name, district)
        for community_code, community_name in communities:
            _region(community_code, community_name, street)
    for username, full_name, role, code in USERS:
        if not User.objects.filter(username=username).exists():
            user_create(
                username=username,
                password=DEMO_PASSWORD,
                by=None,
                role=role,
                region=Region.objects.get(code=code),
                full_name=full_name,
                email=f"{username}@demo.invalid",
            )
    context["district"] = district
    context["stdout"].write(
        _("Demo users (password %(password)s): %(users)s")
        % {"password": DEMO_PASSWORD, "users": ", ".join(u[0] for u in USERS)}
    )
