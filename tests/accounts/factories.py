"""Factories for regions and users; every write goes through the services."""

import itertools

from accounts import services
from accounts.choices import Role
from accounts.models import Region, User

PASSWORD = "Test@pass-2026"
_district_codes = itertools.count(110101)
_usernames = itertools.count(1)


_city_prefixes = itertools.count(3101)


def make_city(name="测试市", code=None) -> Region:
    return services.region_create(code=code or f"{next(_city_prefixes)}00", name=name, level="city")


def make_district(name="测试区", code=None, city: Region | None = None) -> Region:
    if city is not None and code is None:
        code = f"{city.code[:4]}{city.children.count() + 1:02d}"
    return services.region_create(code=code or str(next(_district_codes)), name=name, parent=city)


def make_child(parent: Region, name=None) -> Region:
    suffix = parent.children.count() + 1
    return services.region_create(
        code=f"{parent.code}{suffix:03d}", name=name or f"{parent.name}-{suffix}", parent=parent
    )


def make_user(
    role: str = Role.BUREAU_STAFF, region: Region | None = None, username: str | None = None, **extra
) -> User:
    return services.user_create(
        username=username or f"user{next(_usernames)}", password=PASSWORD, by=None, role=role, region=region, **extra
    )


class Jurisdiction:
    """Two districts; district A has streets A1, A2, each with two communities. With `city`, both
    districts belong to a city (`self.city`)."""

    def __init__(self, city: bool = False):
        self.city = make_city("丙市") if city else None
        self.district = make_district("甲区", city=self.city)
        self.street1 = make_child(self.district, "一街道")
        self.street2 = make_child(self.district, "二街道")
        self.community11 = make_child(self.street1, "一街道一社区")
        self.community12 = make_child(self.street1, "一街道二社区")
        self.community21 = make_child(self.street2, "二街道一社区")
        self.other_district = make_district("乙区", city=self.city)
        self.other_street = make_child(self.other_district, "乙街道")
        self.other_community = make_child(self.other_street, "乙社区")
