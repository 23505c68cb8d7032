"""The daily party reminders (issue 11): organizations overdue for a contact, to the secretaries whose
subtree holds them; terms (换届) ending, to the secretaries of the node and the district's bureau
administrators. Once a day; nobody hears of another district."""

import datetime as dt

import pytest

from accounts.choices import Role
from core.models import Notification
from party import reminders, tasks
from party.choices import ContactForm, Formation, PartyLevel, PartyOrganizationStatus
from party.models import ContactRecord, PartyOrganization

from ..accounts.factories import make_user
from ..registry.factories import make_organization

pytestmark = pytest.mark.django_db

JULY_1 = dt.date(2026, 7, 1)


def _org(region, name):
    return make_organization(region, name=name, established_on=dt.date(2020, 1, 1))


def _contact(org, day, by):
    return ContactRecord.objects.create(
        organization=org, contacted_on=day, form=ContactForm.VISIT, topics="了解党建工作", recorded_by=by
    )


@pytest.fixture
def world(places, users):
    """Secretaries at community 11 (users' community_party), street 1, community 21 and in the other
    district; an organization at each of communities 11, 12, 21, street 1 and the other community."""
    secretaries = {
        "c11": users["community_party"],
        "street1": make_user(Role.COMMUNITY_PARTY, places.street1),
        "c21": make_user(Role.COMMUNITY_PARTY, places.community21),
        "other": make_user(Role.COMMUNITY_PARTY, places.other_community),
    }
    orgs = {
        "c11": _org(places.community11, "一社区助老队"),
        "c12": _org(places.community12, "二社区文体队"),
        "street1": _org(places.street1, "一街道社工站"),
        "c21": _org(places.community21, "二街道一社区巡防队"),
        "other": _org(places.other_community, "乙社区互助会"),
    }
    return secretaries, orgs


def _told(user):
    return list(Notification.objects.filter(recipient=user).order_by("pk"))


def test_each_secretary_hears_of_the_overdue_organizations_of_their_subtree(world):
    secretaries, orgs = world
    _contact(orgs["c21"], dt.date(2026, 5, 10), secretaries["c21"])  # contacted last quarter: not overdue
    sent = reminders.contact_reminders_send(today=JULY_1)
    assert sent == 3  # c11, street1, other; c21's organization is not overdue
    (notice,) = _told(secretaries["c11"])
    assert notice.title == "一街道一社区有1个社会组织逾期未定期联系"
    assert "一社区助老队（从未联系）" in notice.body and "二社区文体队" not in notice.body
    assert notice.url == f"/party/contacts/overdue/?region={secretaries['c11'].region_id}&date=2026-07-01"
    (notice,) = _told(secretaries["street1"])  # the street-level secretary: the whole street
    assert notice.title == "一街道有3个社会组织逾期未定期联系"
    for name in ("一社区助老队", "二社区文体队", "一街道社工站"):
        assert name in notice.body
    assert "二街道一社区巡防队" not in notice.body and "乙社区互助会" not in notice.body
    assert _told(secretaries["c21"]) == []
    (notice,) = _told(secretaries["other"])
    assert "乙社区互助会" in notice.body and "一社区" not in notice.body


def test_nobody_else_is_told_of_overdue_contacts(world, users):
    reminders.contact_reminders_send(today=JULY_1)
    told = set(Notification.objects.values_list("recipient__role", flat=True))
    assert told == {Role.COMMUNITY_PARTY}
    for name in ("street_officer", "bureau_admin", "org_user", "other_district_admin"):
        assert _told(users[name]) == []


def test_a_second_run_the_same_day_sends_nothing_new(world):
    secretaries, _orgs = world
    first = reminders.reminders_send(today=JULY_1)
    count = Notification.objects.count()
    assert first["contacts"] == 4 and count == 4
    assert reminders.reminders_send(today=JULY_1) == {"contacts": 0, "terms": 0}
    assert Notification.objects.count() == count
    # The next day they are reminded again, once.
    assert reminders.contact_reminders_send(today=JULY_1 + dt.timedelta(days=1)) == 4
    assert len(_told(secretaries["c11"])) == 2


def test_quarter_boundary(world):
    secretaries, orgs = world
    for org in orgs.values():
        _contact(org, dt.date(2026, 3, 31), secretaries["c11"])
    # On 30 June the first quarter (holding the contact) is the previous period: nobody overdue.
    assert reminders.contact_reminders_send(today=dt.date(2026, 6, 30)) == 0
    # On 1 July the second quarter has passed without a contact.
    assert reminders.contact_reminders_send(today=JULY_1) == 4
    assert "一社区助老队（上次联系2026年3月31日）" in _told(secretaries["c11"])[0].body
    # A contact recorded in the second quarter ends it for that organization.
    _contact(orgs["c11"], dt.date(2026, 4, 1), secretaries["c11"])
    Notification.objects.all().delete()
    assert reminders.contact_reminders_send(today=JULY_1) == 3
    assert _told(secretaries["c11"]) == []
    assert "一社区助老队" not in _told(secretaries["street1"])[0].body


def test_an_organization_not_yet_active_or_deregistered_is_not_reminded(world, places):
    secretaries, orgs = world
    for org in orgs.values():
        _contact(org, JULY_1, secretaries["c11"])
    make_organization(places.community11, name="新成立服务队", established_on=dt.date(2026, 6, 1))
    assert reminders.contact_reminders_send(today=JULY_1) == 0


def _body(region, name, ends, **extra):
    return PartyOrganization.objects.create(
        name=name, level=PartyLevel.BRANCH, formation=Formation.JOINT, region=region,
        established_on=dt.date(2021, 1, 1), term_ends_on=ends, full_member_count=5, **extra,
    )  # fmt: skip


def test_terms_ending_are_reminded_to_the_node_and_the_bureau_admins(world, users, places):
    secretaries, _orgs = world
    due = _body(places.community11, "一社区联合党支部", JULY_1 + dt.timedelta(days=30))
    _body(places.community21, "二街道一社区党支部", JULY_1 + dt.timedelta(days=200))  # not yet
    _body(
        places.community12, "已撤销党支部", JULY_1 + dt.timedelta(days=10),
        status=PartyOrganizationStatus.DISSOLVED, dissolved_on=dt.date(2026, 1, 1),
    )  # fmt: skip
    other = _body(places.other_community, "乙社区党支部", JULY_1 - dt.timedelta(days=5))  # ended, not renewed
    other_admin = users["other_district_admin"]
    sent = reminders.term_reminders_send(today=JULY_1)
    # c11's secretary, the street secretary, the district admin; the other district's secretary and admin.
    assert sent == 5
    for user in (secretaries["c11"], secretaries["street1"], users["bureau_admin"]):
        (notice,) = _told(user)
        assert "一社区联合党支部" in notice.title and "2026年7月31日" in notice.title
        assert notice.url == due.get_absolute_url()
    for user in (secretaries["c21"], users["bureau_staff"], users["street_officer"]):
        assert _told(user) == []
    for user in (secretaries["other"], other_admin):
        (notice,) = _told(user)
        assert "乙社区党支部" in notice.title and "2026年6月26日" in notice.title
        assert notice.url == other.get_absolute_url()
    assert reminders.term_reminders_send(today=JULY_1) == 0


def test_term_warning_days_is_a_setting(world, users, places, settings):
    _body(places.community11, "一社区联合党支部", JULY_1 + dt.timedelta(days=30))
    settings.PARTY_TERM_WARNING_DAYS = 20
    assert reminders.term_reminders_send(today=JULY_1) == 0
    settings.PARTY_TERM_WARNING_DAYS = 30
    assert reminders.term_reminders_send(today=JULY_1) == 3


def test_the_beat_job_calls_the_service_once_a_day(world):
    from core import periodic

    assert periodic.get("party-reminders").task == tasks.send_reminders.name == "party.tasks.send_reminders"
    first = tasks.send_reminders.apply().get()
    assert first["contacts"] == 4  # every organization is overdue today (none ever contacted)
    assert tasks.send_reminders.apply().get() == {"contacts": 0, "terms": 0}
