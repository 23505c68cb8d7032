"""The projects app's new reminders (projects.services.reminders, projects-due-reminders): a contract
milestone not yet delivered, 7 and 1 days before it is due, the day after and weekly after that (the
organization's accounts); the contract's end, 30 and 7 days before (the organization's and the
funder's accounts); a major-activity report awaiting the bureau, daily from 3 days before the
activity (the district's bureau administrators and clerks); a rectification 3 days before it is due.
Once a day; never another organization, funder or district; e-mail per kind can be turned off."""

import datetime as dt

import pytest

from core import notifications
from core.models import Notification
from projects import reminders as catalogue
from projects import services, tasks
from projects.services import reminders

from .purchase import make_contract, make_funder_user

pytestmark = pytest.mark.django_db

TRANCHES = (("需求调研与服务方案", dt.date(2026, 3, 31), "50"), ("中期服务成效报告", dt.date(2026, 7, 31), "50"))


def told(day, kind) -> set[str]:
    return set(Notification.objects.filter(sent_on=day, kind=kind).values_list("recipient__username", flat=True))


@pytest.fixture
def contract(world):
    contract = make_contract(world.project, tranches=TRANCHES)
    first = contract.milestones.get(sequence=1)
    services.milestone_submit(milestone=first, by=world.org_user, note="已提交方案")  # delivered: not reminded
    # Another organization's contract, its second milestone due the same day.
    other = make_contract(world.other_project, tranches=TRANCHES)
    services.milestone_submit(milestone=other.milestones.get(sequence=1), by=world.other_org_user, note="已提交")
    return contract


@pytest.mark.parametrize(
    ("day", "reminded"),
    [
        (dt.date(2026, 7, 23), False),  # the day before the window
        (dt.date(2026, 7, 24), True),  # 7 days before
        (dt.date(2026, 7, 25), False),
        (dt.date(2026, 7, 30), True),  # 1 day before
        (dt.date(2026, 7, 31), False),  # the due date
        (dt.date(2026, 8, 1), True),  # the day after
        (dt.date(2026, 8, 2), False),
        (dt.date(2026, 8, 8), True),  # a week later
    ],
)
def test_a_milestone_is_reminded_on_its_days(world, contract, day, reminded):
    sent = reminders.milestone_reminders_send(today=day)
    # Each organization hears of its own milestone only (one reminder each).
    expected = {world.org_user.username, world.other_org_user.username} if reminded else set()
    assert told(day, catalogue.MILESTONE_KIND) == expected
    assert sent == len(expected)
    mine = Notification.objects.filter(recipient=world.org_user, sent_on=day)
    assert {n.item_key for n in mine} == (
        {f"milestone:{contract.milestones.get(sequence=2).pk}"} if reminded else set()
    )
    assert reminders.milestone_reminders_send(today=day) == 0  # a second run the same day


def test_the_milestone_reminder_names_it_and_a_delivery_ends_it(world, contract):
    reminders.milestone_reminders_send(today=dt.date(2026, 7, 24))
    notice = Notification.objects.get(recipient=world.org_user, kind=catalogue.MILESTONE_KIND)
    second = contract.milestones.get(sequence=2)
    assert notice.title == "即将到期：银龄互助项目 的第 2 个节点（中期服务成效报告）应于 2026年7月31日 交付"
    assert notice.url == second.get_absolute_url()
    services.milestone_submit(milestone=second, by=world.org_user, note="已提交中期报告")
    reminders.milestone_reminders_send(today=dt.date(2026, 7, 30))
    assert not told(dt.date(2026, 7, 30), catalogue.MILESTONE_KIND) & {world.org_user.username}
    # Returned by the funder: owed again, reminded again (the day after the due date).
    services.milestone_return(milestone=second, by=None, reason="数据不全")
    reminders.milestone_reminders_send(today=dt.date(2026, 8, 1))
    overdue = Notification.objects.filter(recipient=world.org_user, kind=catalogue.MILESTONE_KIND).latest("pk")
    assert overdue.title == "已逾期：银龄互助项目 的第 2 个节点（中期服务成效报告）应于 2026年7月31日 交付"


@pytest.mark.parametrize(
    ("day", "reminded"),
    [
        (dt.date(2026, 11, 30), False),
        (dt.date(2026, 12, 1), True),  # 30 days before 31 December
        (dt.date(2026, 12, 2), False),
        (dt.date(2026, 12, 24), True),  # 7 days before
        (dt.date(2026, 12, 31), False),
    ],
)
def test_the_contract_end_is_reminded_to_the_organization_and_the_funder(world, contract, day, reminded):
    funder_user = make_funder_user(world.project.funder)
    sent = reminders.contract_end_reminders_send(today=day)
    expected = {world.org_user.username, funder_user.username, world.other_org_user.username} if reminded else set()
    ends = Notification.objects.filter(sent_on=day, item_key__startswith="contract-end:")
    assert set(ends.values_list("recipient__username", flat=True)) == expected
    assert sent == len(expected)
    assert reminders.contract_end_reminders_send(today=day) == 0


@pytest.fixture
def activity(world):
    return services.major_activity_report_create(
        by=world.org_user, organization=world.org, title="重阳节千人游园会", planned_date=dt.date(2026, 9, 20),
        place="社区广场", expected_participants=1000, content="游园、义诊",
    )  # fmt: skip


@pytest.mark.parametrize(
    ("day", "reminded"),
    [
        (dt.date(2026, 9, 16), False),  # the day before the window
        (dt.date(2026, 9, 17), True),  # 3 days before
        (dt.date(2026, 9, 18), True),
        (dt.date(2026, 9, 20), True),  # the day itself
        (dt.date(2026, 9, 21), False),
    ],
)
def test_a_major_activity_awaiting_the_bureau_is_reminded_daily(world, users, activity, day, reminded):
    sent = reminders.major_activity_reminders_send(today=day)
    bureau = {users["bureau_admin"].username, users["bureau_staff"].username}
    assert told(day, catalogue.MAJOR_ACTIVITY_KIND) == (bureau if reminded else set())  # not the other district
    assert sent == (2 if reminded else 0)
    assert reminders.major_activity_reminders_send(today=day) == 0


def test_a_decided_major_activity_is_not_reminded(world, users, activity):
    services.major_activity_acknowledge(report=activity, by=users["bureau_staff"])
    assert reminders.major_activity_reminders_send(today=dt.date(2026, 9, 18)) == 0


def test_a_rectification_is_reminded_3_days_before_it_is_due(world):
    due = dt.date(2026, 4, 10)
    record = services.supervision_visit_record(
        by=world.street_officer, project=world.project, kind="professional", visited_on=dt.date(2026, 3, 10),
        supervisor="王督导", findings="签到表缺少签名", rectification="补齐签到表", rectification_due=due,
    )  # fmt: skip
    assert services.rectification_reminders_send(today=dt.date(2026, 4, 6)) == 0  # 4 days before
    assert services.rectification_reminders_send(today=dt.date(2026, 4, 7)) == 2  # the organization, the officer
    assert services.rectification_reminders_send(today=dt.date(2026, 4, 7)) == 0
    assert services.rectification_reminders_send(today=dt.date(2026, 4, 8)) == 0
    assert services.rectification_reminders_send(today=dt.date(2026, 4, 10)) == 0  # due today: not yet overdue
    notice = Notification.objects.get(recipient=world.org_user, kind=catalogue.RECTIFICATION_KIND)
    assert notice.title == "即将到期：银龄互助项目 于 2026年3月10日 提出的整改应于 2026年4月10日 完成"
    assert notice.url == record.get_absolute_url()


def test_milestone_email_can_be_turned_off_per_kind(world, contract, django_capture_on_commit_callbacks, mailoutbox):
    notifications.set_email_preferences(
        user=world.org_user, enabled=[k for k in notifications.kinds() if k != catalogue.MILESTONE_KIND]
    )
    with django_capture_on_commit_callbacks(execute=True):
        reminders.milestone_reminders_send(today=dt.date(2026, 7, 24))
    assert Notification.objects.filter(recipient=world.org_user, kind=catalogue.MILESTONE_KIND).exists()
    assert [m.to for m in mailoutbox] == [["other@example.cn"]]


def test_the_daily_task_sends_each_projects_reminder(world):
    sent = tasks.send_due_reminders.apply().get()
    assert set(sent) == {"ledger", "milestones", "contracts", "major_activities"}
