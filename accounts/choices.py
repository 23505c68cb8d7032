"""Choices of the accounts app."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from core.choices import Role

__all__ = ["AreaKind", "RegionLevel", "Role"]


class RegionLevel(models.TextChoices):
    CITY = "city", _("City")
    DISTRICT = "district", _("District")
    STREET = "street", _("Street / township")
    COMMUNITY = "community", _("Community / village")


class AreaKind(models.TextChoices):
    """Urban or rural: a setting on each street/township and community/village node, for the
    dashboard's urban–rural split (城乡分布)."""

    URBAN = "urban", _("Urban")
    RURAL = "rural", _("Rural")


# Which level a child of each level has; and the length of its GB/T 2260-style code. A city's
# code ends in "00" (330100 杭州市) and its districts' codes begin with the city's first 4 digits.
CHILD_LEVEL = {
    RegionLevel.CITY: RegionLevel.DISTRICT,
    RegionLevel.DISTRICT: RegionLevel.STREET,
    RegionLevel.STREET: RegionLevel.COMMUNITY,
}
CODE_LENGTH = {RegionLevel.CITY: 6, RegionLevel.DISTRICT: 6, RegionLevel.STREET: 9, RegionLevel.COMMUNITY: 12}
CITY_PREFIX_LENGTH = 4
# Levels with no parent: a city, or a district in a deployment without a city.
ROOT_LEVELS = frozenset({RegionLevel.CITY, RegionLevel.DISTRICT})

# Roles and the level of the node they are held at. At a city (市民政局) an administrator keeps the
# users and regions of the city and a viewer reads across its districts; a district's business
# (applications, numbering, projects, reviews) is its own bureau's.
ROLE_LEVELS = {
    Role.BUREAU_ADMIN: {RegionLevel.CITY, RegionLevel.DISTRICT},
    Role.BUREAU_STAFF: {RegionLevel.DISTRICT},
    Role.BUREAU_VIEWER: {RegionLevel.CITY, RegionLevel.DISTRICT},
    Role.STREET_OFFICER: {RegionLevel.STREET},
    # A party secretary sits at a community (社区党组织) or a street (街道党工委) and keeps that subtree.
    Role.COMMUNITY_PARTY: {RegionLevel.STREET, RegionLevel.COMMUNITY},
    Role.ORG_USER: {RegionLevel.DISTRICT, RegionLevel.STREET, RegionLevel.COMMUNITY},
    Role.EXPERT: {RegionLevel.DISTRICT},
    # A funder's staff (a department, a foundation, a street office…) at the funder's node; they
    # read the projects their funder pays for and accept them (projects.FunderMember links them).
    Role.FUNDER_USER: {RegionLevel.DISTRICT, RegionLevel.STREET, RegionLevel.COMMUNITY},
}
