"""A link is shown only to those who may follow it: for every list's add button and every add link
of a project's page, for every role, the link is on the page exactly when its target answers 200."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from ..projects.factories import make_project
from ..registry.factories import make_org_user, make_organization

pytestmark = pytest.mark.django_db

# (page URL name, the link's target URL name and arguments)
LIST_LINKS = [
    ("registry:organization_list", "registry:application_create", ["file"]),
    ("registry:organization_list", "registry:application_create", ["establish"]),
    ("registry:application_list", "registry:application_create", ["file"]),
    ("registry:application_list", "registry:application_create", ["establish"]),
    ("supervision:annualreport_list", "supervision:annualreport_create", []),
    ("supervision:abnormallisting_list", "supervision:abnormallisting_create", []),
    ("supervision:seriousviolationlisting_list", "supervision:seriousviolationlisting_create", []),
    ("registry:rosterimport_list", "registry:rosterimport_create", []),
    ("projects:project_list", "projects:project_add", []),
    ("projects:majoractivity_list", "projects:majoractivity_add", []),
]
PROJECT_LINKS = [
    "projects:ledgerentry_add",
    "projects:ledger_upload",
    "projects:expenditure_add",
    "projects:budgetadjustment_add",
    "projects:indicator_add",
    "projects:budgetline_add",
]


@pytest.fixture
def people(places, users):
    org = make_organization(places.community11, name="一社区为老服务社")
    member = make_org_user(org)
    running = make_project(org, places.street1, title="银龄互助项目")
    applied = make_project(org, places.street1, title="待立项项目", transitions=())
    return {**users, "org_member": member}, running, applied


ORGANIZATION_LINKS = [
    ("supervision:annualreport_create", []),
    ("supervision:abnormallisting_create", []),
    ("registry:application_create", ["change"]),
    ("registry:application_create", ["deregister"]),
]


def links_on(client, url) -> set[str]:
    response = client.get(url)
    if response.status_code != 200:
        return set()
    return set(re.findall(r'<a [^>]*href="([^"]+)"', response.content.decode()))


def mismatches(people_by_role, page_url, targets) -> list[str]:
    found = []
    for role, user in people_by_role.items():
        client = Client()
        client.force_login(user)
        shown = links_on(client, page_url)
        for target in targets:
            status = client.get(target).status_code
            if (target in shown) != (status == 200):
                found.append(f"{role}: {target} {'shown' if target in shown else 'hidden'}, GET answers {status}")
    return found


def test_list_add_links_are_shown_exactly_to_those_let_in(people):
    by_role, _running, _applied = people
    found = []
    for page, target, args in LIST_LINKS:
        found += [f"{page} → {m}" for m in mismatches(by_role, reverse(page), [reverse(target, args=args)])]
    assert not found, "\n".join(found)


@pytest.mark.parametrize("which", ["running", "applied"])
def test_project_page_add_links_are_shown_exactly_to_those_let_in(people, which):
    by_role, running, applied = people
    project = running if which == "running" else applied
    targets = [reverse(name, args=[project.pk]) for name in PROJECT_LINKS]
    found = mismatches(by_role, project.get_absolute_url(), targets)
    assert not found, "\n".join(found)


def test_organization_page_links_are_shown_exactly_to_those_let_in(people):
    by_role, running, _applied = people
    org = running.organization
    targets = [f"{reverse(name, args=args)}?organization={org.pk}" for name, args in ORGANIZATION_LINKS]
    found = mismatches(by_role, org.get_absolute_url(), targets)
    assert not found, "\n".join(found)


def test_someone_is_let_in_for_every_link(people):
    """The test above is not satisfied by hiding every link from everyone."""
    by_role, running, applied = people
    shown = set()
    for role in ("bureau_admin", "bureau_staff", "street_officer", "org_user", "org_member"):
        client = Client()
        client.force_login(by_role[role])
        for page, _target, _args in LIST_LINKS:
            shown |= links_on(client, reverse(page))
        shown |= links_on(client, running.get_absolute_url()) | links_on(client, applied.get_absolute_url())
    expected = {reverse(target, args=args) for _page, target, args in LIST_LINKS}
    expected |= {reverse(name, args=[running.pk]) for name in PROJECT_LINKS[:4]}
    expected |= {reverse(name, args=[applied.pk]) for name in PROJECT_LINKS[4:]}
    assert expected <= shown, expected - shown
