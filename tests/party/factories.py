"""Factories for the party app's records; every write goes through party.services (so each row is
what a user could have made). `by=None` acts as the system (no permission asked) except where a
record names its author (contacts: a party secretary at the organization's node is made)."""

import datetime as dt
import itertools

from django.utils import timezone

from accounts.choices import Role
from party import services
from party.choices import ActivityKind, ContactForm, Formation, PartyLevel

from ..accounts.factories import make_user

_serial = itertools.count(1)

ESTABLISHED = dt.date(2020, 1, 1)


def make_secretary(region, **extra):
    """A party secretary (community_party) at a community or a street."""
    return make_user(Role.COMMUNITY_PARTY, region, **extra)


def make_party_organization(region, *, organizations=(), by=None, **values):
    """A party organization at `region` covering `organizations`: standalone for one organization,
    joint for more; with none, the area's responsible party body (is_area_body) unless told
    otherwise. 5 full members, established 2020-01-01."""
    organizations = list(organizations)
    n = next(_serial)
    values.setdefault("name", f"测试党组织{n}")
    values.setdefault("level", PartyLevel.BRANCH)
    if len(organizations) == 1:
        values.setdefault("formation", Formation.STANDALONE)
    else:
        values.setdefault("formation", Formation.JOINT)
    values.setdefault("is_area_body", not organizations)
    values.setdefault("established_on", ESTABLISHED)
    values.setdefault("full_member_count", 5)
    values.setdefault("secretary", "李书记")
    if values["formation"] == Formation.ALLIANCE and organizations:
        values.setdefault("host_organization", organizations[0])
    return services.party_organization_create(by, organizations=organizations, region=region, **values)


def make_area_body(region, *, by=None, **values):
    """The responsible party body of a community (its party organization) or a street (its party
    working committee, 街道党工委)."""
    values.setdefault("name", f"{region.name}党委")
    values.setdefault("level", PartyLevel.COMMITTEE)
    return make_party_organization(region, by=by, is_area_body=True, **values)


def make_coverage(organization, *, by=None, valid_from=None, **values):
    """A new coverage version of `organization` (fields not given carry over; form none by default
    for a first version)."""
    return services.coverage_record(by, organization, valid_from=valid_from, **values)


def make_contact(organization, *, by=None, contacted_on=None, attachments=(), **values):
    """A contact with `organization`, recorded by `by` (default: a new secretary at its node)."""
    by = by or make_secretary(organization.region)
    values.setdefault("form", ContactForm.VISIT)
    values.setdefault("topics", f"了解党建工作情况{next(_serial)}")
    return services.contact_record(
        by, organization, contacted_on=contacted_on or timezone.localdate(), attachments=attachments, **values
    )


def make_activity(host, *, by=None, organizations=(), **values):
    values.setdefault("kind", ActivityKind.PARTY_LESSON)
    values.setdefault("held_on", timezone.localdate())
    values.setdefault("topic", f"专题党课{next(_serial)}")
    values.setdefault("head_count", 20)
    return services.activity_record(by, host=host, organizations=organizations, **values)


def make_meeting(host, *, by=None, organizations=(), decisions=(), **values):
    values.setdefault("held_on", timezone.localdate())
    values.setdefault("topic", f"党建联席会议{next(_serial)}")
    values.setdefault("minutes", "会议讨论了党建共建事项。")
    return services.meeting_record(by, host=host, organizations=organizations, decisions=decisions, **values)
