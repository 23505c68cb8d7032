"""Choices of the accounts app."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from core.choices import Role

__all__ = ["RegionLevel", "Role"]


class RegionLevel(models.TextChoices):
    DISTRICT = "district", _("District")
    STREET = "street", _("Street / township")
    COMMUNITY = "community", _("Community / village")


# Which level a child of each level has; and the length of its GB/T 2260-style code.
CHILD_LEVEL = {RegionLevel.DISTRICT: RegionLevel.STREET, RegionLevel.STREET: RegionLevel.COMMUNITY}
CODE_LENGTH = {RegionLevel.DISTRICT: 6, RegionLevel.STREET: 9, RegionLevel.COMMUNITY: 12}

# Roles and the level of the node they are held at.
ROLE_LEVELS = {
    Role.BUREAU_ADMIN: {RegionLevel.DISTRICT},
    Role.BUREAU_STAFF: {RegionLevel.DISTRICT},
    Role.BUREAU_VIEWER: {RegionLevel.DISTRICT},
    Role.STREET_OFFICER: {RegionLevel.STREET},
    Role.COMMUNITY_PARTY: {RegionLevel.COMMUNITY},
    Role.ORG_USER: {RegionLevel.DISTRICT, RegionLevel.STREET, RegionLevel.COMMUNITY},
    Role.EXPERT: {RegionLevel.DISTRICT},
}
