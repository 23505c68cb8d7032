"""Reminders of the abnormal-activity list (supervision.reminders): a removal proposed by the nightly job
(six months with nothing to rectify) reminds the district's bureau administrators and clerks the day
it is made and every 7 days until they decide; a listing approaching two years reminds them and the
organization 30 and 7 days before it moves to the serious-violation list. Once a day; never another
district; the e-mail of each kind can be turned off."""

import datetime as dt

import pytest

from accounts.choices import Role
from core import notifications
from core.models import Notification
from supervision import reminders, services
from supervision.choices import ListingReason

from ..accounts.factories import make_user
from ..registry.factories import make_org_user, make_organization
from .factories import make_listing

pytestmark = pytest.mark.django_db


def told(day) -> set[tuple[str, str]]:
    return set(Notification.objects.filter(sent_on=day).values_list("recipient__username", "kind").order_by())


@pytest.fixture
def warned(places, users):
    org = make_organization(places.community11, name="受警告协会", established_on=dt.date(2020, 1, 1))
    make_org_user(org)
    listing = make_listing(
        org, ListingReason.WARNED_OR_FINED, by=users["bureau_staff"], listed_on=dt.date(2026, 1, 31), note="警告"
    )
    # Six months later (31 July) the nightly job proposes the removal.
    services.propose_removals(today=dt.date(2026, 7, 31))
    listing.refresh_from_db()
    assert listing.removal_pending and listing.removal_proposed_on == dt.date(2026, 7, 31)
    return listing


@pytest.mark.parametrize(
    ("day", "reminded"),
    [
        (dt.date(2026, 7, 30), False),  # not yet proposed
        (dt.date(2026, 7, 31), True),  # the day of the proposal
        (dt.date(2026, 8, 1), False),
        (dt.date(2026, 8, 6), False),
        (dt.date(2026, 8, 7), True),  # a week later
        (dt.date(2026, 8, 14), True),
    ],
)
def test_a_removal_proposal_reminds_the_bureau_on_its_days(warned, users, day, reminded):
    sent = reminders.removal_reminders_send(today=day)
    bureau = {(users[n].username, reminders.REMOVAL_KIND) for n in ("bureau_admin", "bureau_staff")}
    assert told(day) == (bureau if reminded else set())  # not the viewer, the organization, the other district
    assert sent == (2 if reminded else 0)
    assert reminders.removal_reminders_send(today=day) == 0  # a second run the same day


def test_a_removal_reminder_names_the_listing_and_links_to_it(warned, users):
    reminders.removal_reminders_send(today=dt.date(2026, 7, 31))
    notice = Notification.objects.get(recipient=users["bureau_admin"])
    assert notice.title == "受警告协会 已可移出活动异常名录（列入日期 2026年1月31日）"
    assert notice.url == warned.get_absolute_url()


def test_a_decided_proposal_is_no_longer_reminded(warned, users):
    services.abnormal_listing_keep(listing=warned, by=users["bureau_admin"], note="仍有违规线索")
    assert reminders.removal_reminders_send(today=dt.date(2026, 8, 7)) == 0
    other = make_listing(
        make_organization(warned.organization.region, name="另一协会", established_on=dt.date(2020, 1, 1)),
        ListingReason.WARNED_OR_FINED,
        by=users["bureau_staff"],
        listed_on=dt.date(2026, 1, 31),
    )
    services.propose_removals(today=dt.date(2026, 7, 31))
    services.abnormal_listing_remove(
        listing=other, by=users["bureau_admin"], end_reason="nothing_to_rectify", note="六个月无新违规",
        on=dt.date(2026, 8, 3),
    )  # fmt: skip
    assert reminders.removal_reminders_send(today=dt.date(2026, 8, 7)) == 0


@pytest.fixture
def long_listed(places, users):
    """Listed on 15 June 2024 (moves on 15 June 2026), in district A and in the other district."""
    org = make_organization(places.community11, name="失联协会", established_on=dt.date(2020, 1, 1))
    account = make_org_user(org, email="shilian@example.com")
    listing = make_listing(org, ListingReason.UNREACHABLE, by=users["bureau_staff"], listed_on=dt.date(2024, 6, 15))
    other = make_organization(places.other_community, name="乙区失联协会", established_on=dt.date(2020, 1, 1))
    other_account = make_org_user(other)
    make_listing(other, ListingReason.UNREACHABLE, by=users["other_district_staff"], listed_on=dt.date(2024, 6, 15))
    return {"listing": listing, "account": account, "other_account": other_account}


@pytest.mark.parametrize(
    ("day", "reminded"),
    [
        (dt.date(2026, 5, 15), False),  # the day before the window
        (dt.date(2026, 5, 16), True),  # 30 days before
        (dt.date(2026, 5, 17), False),
        (dt.date(2026, 6, 8), True),  # 7 days before
        (dt.date(2026, 6, 9), False),
        (dt.date(2026, 6, 15), False),  # the day it moves
    ],
)
def test_a_listing_approaching_two_years_reminds_on_its_days(long_listed, users, day, reminded):
    sent = reminders.serious_reminders_send(today=day)
    kind = reminders.SERIOUS_KIND
    expected = {
        (users["bureau_admin"].username, kind),
        (users["bureau_staff"].username, kind),
        (long_listed["account"].username, kind),
        (users["other_district_admin"].username, kind),
        (users["other_district_staff"].username, kind),
        (long_listed["other_account"].username, kind),
    }
    assert told(day) == (expected if reminded else set())
    assert sent == (6 if reminded else 0)
    assert reminders.serious_reminders_send(today=day) == 0


def test_the_serious_reminder_says_when_and_an_org_already_on_the_serious_list_is_not_reminded(long_listed, users):
    reminders.serious_reminders_send(today=dt.date(2026, 6, 8))
    notice = Notification.objects.get(recipient=long_listed["account"])
    assert notice.title == "失联协会 将于 2026年6月15日 移入严重违法失信名单（还有 7 天）"
    assert notice.url == long_listed["listing"].get_absolute_url()
    services.serious_listing_create(
        organization=long_listed["listing"].organization, note="严重违法", by=users["bureau_admin"]
    )
    assert not {n for n in told(dt.date(2026, 5, 16)) if n[0] == long_listed["account"].username}
    reminders.serious_reminders_send(today=dt.date(2026, 5, 16))
    assert long_listed["account"].username not in {n[0] for n in told(dt.date(2026, 5, 16))}
    assert users["other_district_admin"].username in {n[0] for n in told(dt.date(2026, 5, 16))}


def test_29_february_moves_on_28_february(places, users):
    org = make_organization(places.community11, name="闰日协会", established_on=dt.date(2020, 1, 1))
    make_listing(org, ListingReason.UNREACHABLE, by=users["bureau_staff"], listed_on=dt.date(2024, 2, 29))
    assert reminders.serious_reminders_send(today=dt.date(2026, 1, 28)) == 0
    assert reminders.serious_reminders_send(today=dt.date(2026, 1, 29)) == 2  # 30 days before 28 February
    assert reminders.serious_reminders_send(today=dt.date(2026, 2, 21)) == 2  # 7 days before


def test_listing_email_can_be_turned_off_per_kind(long_listed, users, django_capture_on_commit_callbacks, mailoutbox):
    account = long_listed["account"]
    notifications.set_email_preferences(
        user=account, enabled=[k for k in notifications.kinds() if k != reminders.SERIOUS_KIND]
    )
    users["bureau_admin"].email = "admin@example.com"
    users["bureau_admin"].save()
    with django_capture_on_commit_callbacks(execute=True):
        reminders.serious_reminders_send(today=dt.date(2026, 6, 8))
    assert Notification.objects.filter(recipient=account, kind=reminders.SERIOUS_KIND).exists()
    assert "shilian@example.com" not in {m.to[0] for m in mailoutbox}
    assert "admin@example.com" in {m.to[0] for m in mailoutbox}


def test_inactive_people_and_viewers_are_not_reminded(long_listed, users, places):
    gone = make_user(Role.BUREAU_STAFF, places.district)
    gone.is_active = False
    gone.save()
    reminders.serious_reminders_send(today=dt.date(2026, 6, 8))
    recipients = {n[0] for n in told(dt.date(2026, 6, 8))}
    assert gone.username not in recipients and users["bureau_viewer"].username not in recipients
