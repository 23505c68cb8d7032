"""The reminder catalogue (core.notifications.register_reminder) and its page, reports:reminder_list:
every reminder with its own kind of notice (so its e-mail can be turned off alone), who receives it,
on which days, by which periodic job; bureau roles see them all, any other signed-in person those of
their role, each with whether they get its e-mail."""

import re

import pytest
from django.urls import reverse

from accounts.choices import Role
from core import notifications

from ..accounts.factories import make_user

pytestmark = pytest.mark.django_db

URL = "/reports/reminders/"

# Every reminder of the issue, by kind, and the periodic job that sends it (core.periodic keys).
CATALOGUE = {
    "annual-work-report": "supervision-reminders",
    "annual-status-report": "supervision-reminders",
    "abnormal-removal-due": "supervision-reminders",
    "abnormal-serious-approaching": "supervision-reminders",
    "party-contact-overdue": "party-reminders",
    "party-term-ending": "party-reminders",
    "ledger-quarter-due": "projects-due-reminders",
    "contract-milestone-due": "projects-due-reminders",
    "major-activity-review": "projects-due-reminders",
    "rectification-due": "projects-rectification-reminders",
    "evaluation-scoring-due": "evaluation-reminders",
    "evaluation-grade-lapsing": "evaluation-reminders",
}


def kinds_on(page: str) -> list[str]:
    return re.findall(r'<tr data-kind="([^"]+)"', page)


def test_every_reminder_has_its_own_kind_and_job():
    catalogue = {r.kind: r.job_key for r in notifications.reminders()}
    assert catalogue == CATALOGUE
    # Each is a kind of notice of its own, which the preferences page lists.
    assert set(CATALOGUE) <= set(notifications.kinds())
    for reminder in notifications.reminders():
        assert str(reminder.label) and str(reminder.audience) and str(reminder.when) and reminder.roles


def test_the_page_is_in_the_url_conf():
    assert reverse("reports:reminder_list") == URL


@pytest.mark.parametrize("role", ["bureau_admin", "bureau_staff", "bureau_viewer"])
def test_bureau_roles_see_every_reminder(client_for, role):
    response = client_for(role).get(URL)
    assert response.status_code == 200
    page = response.content.decode()
    # Grouped by periodic job.
    assert kinds_on(page) == sorted(CATALOGUE, key=CATALOGUE.get)
    assert "<caption>" in page and 'scope="col"' in page
    assert f'href="{reverse("core:notification_preferences")}"' in page
    jobs = dict(re.findall(r'<tr data-kind="([^"]+)">.*?data-job="([^"]+)"', page, re.S))
    assert jobs == CATALOGUE


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("org_user", {"annual-work-report", "annual-status-report", "abnormal-serious-approaching",
                      "ledger-quarter-due", "contract-milestone-due", "rectification-due",
                      "evaluation-grade-lapsing"}),
        ("expert", {"evaluation-scoring-due"}),
        ("community_party", {"party-contact-overdue", "party-term-ending"}),
        ("street_officer", {"annual-status-report", "ledger-quarter-due", "rectification-due"}),
    ],
)  # fmt: skip
def test_other_roles_see_the_reminders_that_concern_them(client_for, role, expected):
    response = client_for(role).get(URL)
    assert response.status_code == 200
    assert set(kinds_on(response.content.decode())) == expected


def test_a_funder_sees_its_reminders(places, client):
    funder = make_user(Role.FUNDER_USER, places.district)
    client.force_login(funder)
    assert set(kinds_on(client.get(URL).content.decode())) == {"contract-milestone-due", "rectification-due"}


def test_the_page_says_whether_the_user_gets_each_e_mail(users, client_for):
    admin = users["bureau_admin"]
    notifications.set_email_preferences(
        user=admin, enabled=[k for k in notifications.kinds() if k != "abnormal-removal-due"]
    )
    page = client_for("bureau_admin").get(URL).content.decode()
    rows = dict(re.findall(r'<tr data-kind="([^"]+)">.*?data-email="(on|off)"', page, re.S))
    assert rows == {kind: "off" if kind == "abnormal-removal-due" else "on" for kind in CATALOGUE}


def test_anonymous_is_sent_to_sign_in_and_writes_are_refused(client, client_for):
    response = client.get(URL)
    assert response.status_code == 302 and "/login" in response["Location"]
    assert client_for("bureau_admin").post(URL).status_code == 405


def test_each_reminder_shows_its_job_and_schedule_as_the_administrator_set_it(users, client_for):
    from django_celery_beat.models import PeriodicTask

    from core import periodic

    periodic.seed()
    page = client_for("bureau_admin").get(URL).content.decode()
    job_url = reverse("reports:job_detail", kwargs={"key": "supervision-reminders"})
    assert f'<a href="{job_url}">{periodic.get("supervision-reminders").label}</a>' in page
    assert "每天 08:20" in page
    # Switched off by the administrator: the page says so. A clerk sees the job without the link.
    PeriodicTask.objects.filter(name="party-reminders").update(enabled=False)
    staff_page = client_for("bureau_staff").get(URL).content.decode()
    row = re.search(r'<tr data-kind="party-contact-overdue">.*?</tr>', staff_page, re.S).group(0)
    assert "已停用" in row and str(periodic.get("party-reminders").label) in row
    assert reverse("reports:job_detail", kwargs={"key": "party-reminders"}) not in row


def test_the_page_reads_a_fixed_number_of_queries(client_for, django_assert_num_queries):
    client = client_for("bureau_admin")
    client.get(URL)
    # The session and the user; the e-mail preferences; the jobs' beat rows (one query for all); the
    # base template's unread count and the user's region. The session is not saved: it has not
    # changed and is far from expiry (core.middleware.SessionRefreshMiddleware).
    with django_assert_num_queries(6):
        assert client.get(URL).status_code == 200
