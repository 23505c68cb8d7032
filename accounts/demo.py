"""Demo jurisdiction: 杭州市 hosting 西湖区 (3 streets, 8 communities, one user per role) and a
second, small district 滨江区 (2 streets, 3 communities, a clerk), with a city viewer and a city
administrator who read across both."""

from django.utils.translation import gettext as _

from .choices import RegionLevel, Role
from .models import Region, User
from .services import region_create, user_create

DEMO_PASSWORD = "Demo@2026"

CITY = ("330100", "杭州市")
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
    ("streetparty", "何书记", Role.COMMUNITY_PARTY, "330106001"),  # 北山街道党工委: the whole street
    ("org", "周会计", Role.ORG_USER, "330106001002"),
    ("expert", "孙教授", Role.EXPERT, "330106"),
    # The second district's bureau, and the city bureau reading across both districts.
    ("binjiang", "郑滨江", Role.BUREAU_STAFF, "330108"),
    ("city", "钱市局", Role.BUREAU_VIEWER, "330100"),
    ("cityadmin", "冯市局", Role.BUREAU_ADMIN, "330100"),
]

SECOND_DISTRICT = ("330108", "滨江区")
SECOND_STREETS = {
    ("330108001", "西兴街道"): [("330108001001", "西兴社区"), ("330108001002", "江边社区")],
    ("330108002", "长河街道"): [("330108002001", "长河社区")],
}


def _region(code, name, parent=None, level=None):
    return Region.objects.filter(code=code).first() or region_create(code=code, name=name, parent=parent, level=level)


def _district(city, district, streets) -> Region:
    # A database seeded before the city existed keeps its district at the root (regions do not move).
    district = _region(*district, city)
    for (street_code, street_name), communities in streets.items():
        street = _region(street_code, street_name, district)
        for community_code, community_name in communities:
            _region(community_code, community_name, street)
    return district


def seed(context: dict) -> None:
    city = _region(*CITY, level=RegionLevel.CITY)
    district = _district(city, DISTRICT, STREETS)
    context["second_district"] = _district(city, SECOND_DISTRICT, SECOND_STREETS)
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
    context["city"], context["district"] = city, district
    context["stdout"].write(
        _("Demo users (password %(password)s): %(users)s")
        % {"password": DEMO_PASSWORD, "users": ", ".join(u[0] for u in USERS)}
    )
