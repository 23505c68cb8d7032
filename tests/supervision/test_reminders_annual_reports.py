"""Annual-report reminders (supervision.reminders): the 2025 reports are due Monday 1 June 2026 (31 May
is a Sunday). The organizations owing one are reminded 30, 7 and 1 days before (2 May, 25 May, 31
May); after it, a registered organization the day after (2 June) and then every 7 days (9 June, …),
a filed one every day by the nightly job. Once a day; only the organization's own accounts; a
submitted report ends them; the e-mail of each kind can be turned off."""

import datetime as dt

import pytest
from django.urls import reverse

from core import notifications
from core.models import Notification
from registry.choices import LegalForm
from supervision import reminders, tasks
from supervision.services import listings_daily_run

from ..registry.factories import make_org_user, make_organization
from .factories import make_submitted_report

pytestmark = pytest.mark.django_db

SINCE = dt.date(2020, 1, 1)


@pytest.fixture
def orgs(places):
    registered = make_organization(places.community12, name="一街道志愿者协会", established_on=SINCE)
    filed = make_organization(
        places.community11, name="银龄互助队", legal_form=LegalForm.COMMUNITY_FILED, established_on=SINCE
    )
    done = make_organization(places.community11, name="已报送协会", established_on=SINCE)
    other = make_organization(places.other_community, name="乙区协会", established_on=SINCE)
    young = make_organization(places.community11, name="新成立协会", established_on=dt.date(2026, 1, 5))
    accounts = {
        "registered": make_org_user(registered, email="reg@example.com"),
        "filed": make_org_user(filed, email="filed@example.com"),
        "done": make_org_user(done, email="done@example.com"),
        "other": make_org_user(other, email="other@example.com"),
        "young": make_org_user(young, email="young@example.com"),
    }
    make_submitted_report(done, 2025)
    return {"registered": registered, "filed": filed, "done": done, "other": other, "accounts": accounts}


def told(today) -> set[tuple[str, str]]:
    return set(Notification.objects.filter(sent_on=today).values_list("recipient__username", "kind").order_by())


def expected(orgs, *names_kinds):
    return {(orgs["accounts"][name].username, kind) for name, kind in names_kinds}


WORK, STATUS = reminders.WORK_REPORT_KIND, "annual-status-report"


@pytest.mark.parametrize(
    ("today", "who"),
    [
        (dt.date(2026, 5, 1), ()),  # the day before the window
        (dt.date(2026, 5, 2), (("registered", WORK), ("other", WORK), ("filed", STATUS))),  # 30 days
        (dt.date(2026, 5, 3), ()),
        (dt.date(2026, 5, 24), ()),
        (dt.date(2026, 5, 25), (("registered", WORK), ("other", WORK), ("filed", STATUS))),  # 7 days
        (dt.date(2026, 5, 31), (("registered", WORK), ("other", WORK), ("filed", STATUS))),  # 1 day (a Sunday)
        (dt.date(2026, 6, 1), ()),  # the due date itself
        (dt.date(2026, 6, 2), (("registered", WORK), ("other", WORK))),  # the day after; the filed: nightly
        (dt.date(2026, 6, 3), ()),
        (dt.date(2026, 6, 8), ()),
        (dt.date(2026, 6, 9), (("registered", WORK), ("other", WORK))),  # a week later
        (dt.date(2026, 6, 16), (("registered", WORK), ("other", WORK))),
    ],
)
def test_annual_report_reminders_on_their_days(orgs, today, who):
    sent = reminders.annual_report_reminders_send(today=today)
    assert told(today) == expected(orgs, *who)
    assert sent == len(who)
    # A second run the same day: nothing more.
    assert reminders.annual_report_reminders_send(today=today) == 0
    assert Notification.objects.count() == len(who)


def test_the_reminder_says_what_is_due_and_links_to_the_form(orgs):
    reminders.annual_report_reminders_send(today=dt.date(2026, 5, 25))
    work = Notification.objects.get(recipient=orgs["accounts"]["registered"])
    assert work.title == "距截止还有 7 天：一街道志愿者协会 的 2025 年度工作报告（2026年6月1日）"
    create = reverse("supervision:annualreport_create")
    assert work.url == f"{create}?organization={orgs['registered'].pk}&year=2025"
    status = Notification.objects.get(recipient=orgs["accounts"]["filed"])
    assert status.title == "距截止还有 7 天：银龄互助队 的 2025 年度情况报告（2026年6月1日）"
    reminders.annual_report_reminders_send(today=dt.date(2026, 6, 2))
    overdue = Notification.objects.filter(recipient=orgs["accounts"]["registered"]).latest("pk")
    assert overdue.title == "逾期提醒：一街道志愿者协会 的 2025 年度工作报告应于 2026年6月1日 前报送"


def test_a_submitted_report_ends_the_reminders(orgs):
    make_submitted_report(orgs["registered"], 2025)
    reminders.annual_report_reminders_send(today=dt.date(2026, 6, 2))
    assert told(dt.date(2026, 6, 2)) == expected(orgs, ("other", WORK))


def test_after_the_due_date_the_filed_are_reminded_daily_by_the_nightly_job_with_the_same_kind(orgs):
    for day in (dt.date(2026, 6, 2), dt.date(2026, 6, 3)):
        listings_daily_run(today=day)
        reminders.reminders_send(today=day)
        filed = Notification.objects.filter(recipient=orgs["accounts"]["filed"], sent_on=day)
        assert [n.kind for n in filed] == [STATUS]


def test_email_can_be_turned_off_per_kind(orgs, django_capture_on_commit_callbacks, mailoutbox):
    registered = orgs["accounts"]["registered"]
    notifications.set_email_preferences(user=registered, enabled=[k for k in notifications.kinds() if k != WORK])
    with django_capture_on_commit_callbacks(execute=True):
        reminders.annual_report_reminders_send(today=dt.date(2026, 5, 2))
    # In the site still; by e-mail only to those who did not turn it off.
    assert Notification.objects.filter(recipient=registered, kind=WORK).count() == 1
    assert sorted(m.to[0] for m in mailoutbox) == ["filed@example.com", "other@example.com"]
    assert all("2025 年度" in m.subject for m in mailoutbox)


def test_the_daily_task_runs_every_supervision_reminder(orgs):
    assert tasks.send_reminders.name == "supervision.tasks.send_reminders"
    # Whatever today is, the task answers with the reminders made of each kind.
    assert set(tasks.send_reminders.apply().get()) == {"annual_reports", "removals", "serious"}


def test_a_fixed_number_of_queries_whatever_the_number_of_organizations(places, django_assert_num_queries):
    for n in range(20):  # owing, but without accounts: nobody to tell, nothing read per organization
        make_organization(places.community11, name=f"无账号协会{n}", established_on=SINCE)
    with_account = make_organization(places.community11, name="有账号协会", established_on=SINCE)
    make_org_user(with_account)
    reminders.report_reminder_day(dt.date(2026, 5, 2))  # the holiday calendar, read once
    # The work report: its accounts, then the organizations told; the status report: its accounts (none).
    # Per reminder: a savepoint, the insert, its release; then, in a savepoint, who turned the kind's
    # e-mail off.
    with django_assert_num_queries(2 + 3 + 3 + 1):
        assert reminders.annual_report_reminders_send(today=dt.date(2026, 5, 2)) == 1
