"""Issue 9's promise, end to end through the real services and the real page: an organization's
user is told when its filing is approved and when its ledger entry is returned, and the header's
bell counts what is unread."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from core.models import Notification
from projects import services as project_services
from registry import services as registry_services
from registry.choices import ApplicationKind
from registry.models import Organization

from ..projects.factories import make_entry, make_project
from ..registry.factories import make_application

pytestmark = pytest.mark.django_db


def test_the_organization_is_told_of_its_approval_and_its_returned_entry(users, places):
    org_user = users["org_user"]
    with translation.override("zh-hans"):
        application = make_application(org_user, ApplicationKind.FILE, name="宝石社区银龄互助队")
        application = registry_services.application_submit(application=application, by=org_user)
        application = registry_services.application_approve(application=application, by=users["street_officer"])
        registry_services.application_approve(application=application, by=users["bureau_staff"])
        org = Organization.objects.get(name="宝石社区银龄互助队")
        org_user = type(org_user).objects.get(pk=org_user.pk)  # now the organization's account
        project = make_project(org, places.street1, title="银龄互助项目")
        entry = make_entry(project, org_user, submit=True)
        project_services.ledger_entry_return(entry=entry, by=users["street_officer"], reason="签到表缺失")

    titles = list(Notification.objects.filter(recipient=org_user).order_by("pk").values_list("title", flat=True))
    assert any("已核准" in t and "宝石社区银龄互助队" in t for t in titles)
    assert "签到表缺失" in titles[-1]
    # The reviewers are not told of their own steps.
    assert not Notification.objects.filter(recipient__in=[users["street_officer"], users["bureau_staff"]]).exists()

    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(org_user)
    page = client.get(reverse("home")).content.decode()
    assert f"通知（{len(titles)} 条未读）" in page
    assert f'id="unread-count" aria-hidden="true">{len(titles)}<' in page

    client.post(reverse("core:notification_read_all"))
    page = client.get(reverse("home")).content.decode()
    assert "通知（无未读）" in page and 'id="unread-count"' not in page
