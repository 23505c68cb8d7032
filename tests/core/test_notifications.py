"""Notifications as a user meets them: the bell in the header, the list, opening a notice, the
e-mail preferences, and the e-mails themselves (locmem backend, sent after the commit only)."""

import datetime as dt
import html
import re

import pytest
from django.core import mail
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.choices import Role
from core import notifications
from core.choices import AuditAction
from core.models import AuditRecord, Notification, NotificationPreference
from tests.accounts.factories import make_user

pytestmark = pytest.mark.django_db

KIND = "tests.notice"


@pytest.fixture(autouse=True)
def test_kind(monkeypatch):
    """A second kind of notice beside the reminders, for this module's tests only."""
    monkeypatch.setitem(notifications._KINDS, KIND, "测试事项")


@pytest.fixture
def member(places):
    return make_user(Role.ORG_USER, places.community11, email="member@example.org")


@pytest.fixture
def member_client(client, member):
    client.force_login(member)
    return client


def notice(user, title="台账已退回", url="/projects/", kind=KIND):
    with transaction.atomic():
        notifications.notify([user], kind, None, title, url=url)
    return Notification.objects.filter(recipient=user).first()


def bell(page: str) -> str:
    found = re.search(r'<a[^>]*id="notification-bell"[^>]*>.*?</a>', page, re.S)
    assert found, "no bell in the header"
    return found.group(0)


# ------------------------------------------------------------------------------------- header


def test_the_bell_counts_my_unread_notices_until_i_mark_them_all_read(member_client, member):
    notice(member, "台账已退回")
    notice(member, "申请已核准")

    page = member_client.get(reverse("home")).content.decode()
    assert 'aria-label="通知（2 条未读）"' in bell(page)
    assert re.search(r'id="unread-count"[^>]*>\s*2\s*<', bell(page))
    assert f'href="{reverse("core:notification_list")}"' in bell(page)

    response = member_client.post(reverse("core:notification_read_all"))
    assert response.status_code == 302 and response.url == reverse("core:notification_list")
    page = member_client.get(reverse("home")).content.decode()
    assert 'aria-label="通知（无未读）"' in bell(page)
    assert 'id="unread-count"' not in page
    assert not Notification.objects.filter(recipient=member, read_at__isnull=True).exists()


def test_the_bell_counts_only_my_notices(client_for, users, member):
    notice(member)
    page = client_for("org_user").get(reverse("home")).content.decode()
    assert 'aria-label="通知（无未读）"' in bell(page)


def test_a_large_count_is_shortened_in_the_badge_but_not_in_the_label(member_client, member):
    Notification.objects.bulk_create(
        Notification(recipient=member, kind=KIND, item_key=f"k{i}", sent_on=dt.date(2026, 1, 5), title=f"通知{i}")
        for i in range(120)
    )
    page = member_client.get(reverse("home")).content.decode()
    assert 'aria-label="通知（120 条未读）"' in bell(page)
    assert re.search(r'id="unread-count"[^>]*>99\+<', bell(page))


def test_anonymous_visitors_see_no_bell_and_are_sent_to_log_in(client):
    assert 'id="notification-bell"' not in client.get(reverse("accounts:login")).content.decode()
    for method, name in [
        ("get", "core:notification_list"),
        ("post", "core:notification_read_all"),
        ("get", "core:notification_preferences"),
        ("post", "core:notification_preferences"),
    ]:
        response = getattr(client, method)(reverse(name))
        assert response.status_code == 302 and response.url.startswith(reverse("accounts:login")), name


def test_the_badge_costs_one_query_per_page(member_client, member):
    """The header counts with one query, the list pages with two more, however many notices there
    are (the rest of the frame, e.g. the region shown in the user menu, is not this test's business)."""
    url = reverse("core:notification_list")

    def notification_queries():
        with CaptureQueriesContext(connection) as context:
            page = member_client.get(url).content.decode()
        sqls = [q["sql"] for q in context.captured_queries]
        return page, [sql for sql in sqls if "core_notification" in sql], len(sqls)

    for i in range(3):
        notice(member, f"通知{i}")
    member_client.get(url)  # the session's first save is not counted
    page, queries, total = notification_queries()
    assert 'aria-label="通知（3 条未读）"' in bell(page)
    badge = [sql for sql in queries if sql.startswith("SELECT COUNT(*)") and '"read_at" IS NULL' in sql]
    assert len(badge) == 1 and len(queries) == 3  # the badge, the paginator's count, the page's rows

    for i in range(30):
        notice(member, f"更多通知{i}")
    page, queries, more = notification_queries()
    assert 'aria-label="通知（33 条未读）"' in bell(page)
    assert len(queries) == 3 and more == total


# --------------------------------------------------------------------------------------- list


def test_the_list_shows_only_my_notices_unread_first(member_client, member, users):
    notice(member, "较早的未读通知")
    read = notice(member, "已读的通知")
    notifications.mark_read(notification=read, by=member)
    notice(users["org_user"], "别人的通知")

    page = member_client.get(reverse("core:notification_list")).content.decode()
    assert "别人的通知" not in page
    assert page.index("较早的未读通知") < page.index("已读的通知")
    assert page.count("未读</span>") == 1  # said in words, not by boldface alone
    assert f'action="{reverse("core:notification_read_all")}"' in page


def test_the_list_is_paged(member_client, member):
    for i in range(30):
        notice(member, f"第{i:02d}条")
    url = reverse("core:notification_list")
    first = member_client.get(url).content.decode()
    assert first.count('<li class="list-group-item') == 25 and "第29条" in first and "第00条" not in first
    following = re.search(r'href="([^"]+)" rel="next">下一页', first)
    second = member_client.get(html.unescape(following.group(1))).content.decode()
    assert second.count('<li class="list-group-item') == 5 and "第00条" in second and "第29条" not in second
    assert 'rel="next"' not in second and 'rel="last"' not in second
    back = re.search(r'href="([^"]+)" rel="prev">上一页', second)
    assert "第29条" in member_client.get(html.unescape(back.group(1))).content.decode()
    last = re.search(r'href="([^"]+)" rel="last">末页', first)
    assert "第00条" in member_client.get(html.unescape(last.group(1))).content.decode()


@pytest.mark.parametrize("cursor", ["abc", "0", "-1", "eyJkIjoibiJ9:forged", "99999999999999999999"])
def test_a_malformed_cursor_is_refused_in_words(member_client, cursor):
    response = member_client.get(reverse("core:notification_list"), {"cursor": cursor})
    assert response.status_code == 400 and "游标" in response.content.decode()


def test_the_list_says_when_there_is_nothing(member_client):
    page = member_client.get(reverse("core:notification_list")).content.decode()
    assert "暂无通知" in page and reverse("core:notification_read_all") not in page


# ------------------------------------------------------------------------------------- opening


def test_opening_a_notice_marks_it_read_and_follows_its_link(member_client, member):
    item = notice(member, url="/projects/?status=returned")
    response = member_client.post(reverse("core:notification_read", args=[item.pk]))
    assert response.status_code == 302 and response.url == "/projects/?status=returned"
    item.refresh_from_db()
    first_read = item.read_at
    assert first_read is not None

    again = member_client.post(reverse("core:notification_read", args=[item.pk]))  # double submission
    assert again.status_code == 302
    item.refresh_from_db()
    assert item.read_at == first_read


@pytest.mark.parametrize(
    "url",
    [
        "https://evil.example/phish",
        "//evil.example/phish",
        "/\\evil.example/phish",
        "\\\\evil.example",
        "javascript:alert(1)",
        "http:/evil.example",
        "projects/",
    ],
)
def test_a_stored_external_link_is_not_followed(member_client, member, url):
    item = Notification.objects.create(
        recipient=member, kind=KIND, item_key="x", sent_on=dt.date(2026, 1, 5), title="外部链接", url=url
    )
    response = member_client.post(reverse("core:notification_read", args=[item.pk]))
    assert response.status_code == 302 and response.url == reverse("core:notification_list")
    item.refresh_from_db()
    assert item.read_at is not None


def test_another_users_notice_cannot_be_opened(member_client, users):
    theirs = notice(users["org_user"])
    response = member_client.post(reverse("core:notification_read", args=[theirs.pk]))
    assert response.status_code == 404
    assert member_client.post(reverse("core:notification_read", args=[987654321])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_opening_takes_a_post(member_client, member):
    item = notice(member)
    assert member_client.get(reverse("core:notification_read", args=[item.pk])).status_code == 405
    assert member_client.get(reverse("core:notification_read_all")).status_code == 405
    item.refresh_from_db()
    assert item.read_at is None


def test_mark_all_read_leaves_other_users_notices_alone(member_client, member, users):
    notice(member)
    theirs = notice(users["org_user"])
    member_client.post(reverse("core:notification_read_all"))
    theirs.refresh_from_db()
    assert theirs.read_at is None


# --------------------------------------------------------------------------------- preferences


def test_the_preferences_page_lists_every_kind_on_by_default(member_client):
    page = member_client.get(reverse("core:notification_preferences")).content.decode()
    assert "测试事项" in page and "截止日期提醒" in page
    assert len(re.findall(r'<input type="checkbox" name="email"[^>]*checked', page)) == len(notifications.kinds())
    listing = member_client.get(reverse("core:notification_list")).content.decode()
    assert reverse("core:notification_preferences") in listing


def test_turning_a_kind_off_is_saved_and_audited(member_client, member):
    response = member_client.post(reverse("core:notification_preferences"), {"email": [notifications.REMINDER]})
    assert response.status_code == 302 and response.url == reverse("core:notification_preferences")
    saved = dict(NotificationPreference.objects.filter(user=member).values_list("kind", "email"))
    assert saved == {key: key == notifications.REMINDER for key in notifications.kinds()}
    record = AuditRecord.objects.get(action=AuditAction.UPDATE, object_id=str(member.pk))
    assert "截止日期提醒" in record.message
    page = member_client.get(reverse("core:notification_preferences")).content.decode()
    assert len(re.findall(r'<input type="checkbox" name="email"[^>]*checked', page)) == 1
    assert "已保存" in page

    member_client.post(reverse("core:notification_preferences"), {})  # everything off
    assert not NotificationPreference.objects.filter(user=member, email=True).exists()


def test_an_unknown_kind_is_refused_and_nothing_is_saved(member_client, member):
    response = member_client.post(reverse("core:notification_preferences"), {"email": ["no.such.kind"]})
    assert response.status_code == 200
    assert "邮件通知：" in response.content.decode()
    assert not NotificationPreference.objects.filter(user=member).exists()
    assert not AuditRecord.objects.filter(object_id=str(member.pk), action=AuditAction.UPDATE).exists()


def test_the_preferences_page_says_when_i_have_no_address(client_for):
    page = client_for("org_user").get(reverse("core:notification_preferences")).content.decode()
    assert "没有电子邮件地址" in page


def test_preferences_are_mine_alone(member_client, member, users):
    member_client.post(reverse("core:notification_preferences"), {})
    assert not NotificationPreference.objects.filter(user=users["org_user"]).exists()


# ------------------------------------------------------------------------------------- e-mail


def test_a_muted_kind_is_noticed_in_the_site_but_not_mailed(member, django_capture_on_commit_callbacks):
    with transaction.atomic():
        notifications.set_email_preferences(user=member, enabled=[notifications.REMINDER])
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        notifications.notify([member], KIND, None, "台账已退回")
    assert Notification.objects.filter(recipient=member, kind=KIND).count() == 1
    assert mail.outbox == []


def test_an_unmuted_kind_is_mailed_after_the_commit(member, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        with transaction.atomic():
            notifications.notify([member], KIND, None, "申请已核准", body="您的备案申请已核准。")
        assert mail.outbox == []  # not before the commit
    for callback in callbacks:
        callback()
    assert [(m.subject, m.body, m.to) for m in mail.outbox] == [
        ("申请已核准", "您的备案申请已核准。", ["member@example.org"])
    ]


def test_a_rolled_back_change_neither_notices_nor_mails(member, django_capture_on_commit_callbacks):
    def change_that_fails():
        with transaction.atomic():
            notifications.notify([member], KIND, None, "台账已退回")
            raise RuntimeError("the change failed")

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        change_that_fails()
    assert not Notification.objects.filter(recipient=member).exists()
    assert mail.outbox == []


def test_a_reminder_is_made_once_per_item_per_person_per_day(member, django_capture_on_commit_callbacks):
    day = dt.date(2026, 7, 8)
    with django_capture_on_commit_callbacks(execute=True):
        first = notifications.remind([member], item_key="quarter:1:2026Q2", title="季度台账即将到期", today=day)
        second = notifications.remind([member], item_key="quarter:1:2026Q2", title="季度台账即将到期", today=day)
        tomorrow = notifications.remind(
            [member], item_key="quarter:1:2026Q2", title="季度台账即将到期", today=day + dt.timedelta(days=1)
        )
    assert (first, second, tomorrow) == (1, 0, 1)
    assert Notification.objects.filter(recipient=member, item_key="quarter:1:2026Q2").count() == 2
    assert len(mail.outbox) == 2


def test_a_muted_reminder_is_still_made_in_the_site(member, django_capture_on_commit_callbacks):
    with transaction.atomic():
        notifications.set_email_preferences(user=member, enabled=[KIND])
    with django_capture_on_commit_callbacks(execute=True):
        made = notifications.remind([member], item_key="q:1", title="季度台账即将到期")
    assert made == 1 and mail.outbox == []
