"""URL parameters read through core.params (400/404, never 500), filter choices scoped to the user
and the admin's view-on-site shortcut: "not yours" answers exactly like "does not exist"."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import Client, RequestFactory
from django.utils import translation
from rest_framework.test import APIClient

from core import params
from core.models import AuditRecord
from projects.models import BudgetLine, Indicator, Project
from registry.models import Organization

from ..projects.conftest import World

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(places, users):
    return World(places, users)


def client_as(user):
    client = Client()
    client.force_login(user)
    return client


def api_as(user):
    client = APIClient()
    client.force_authenticate(user)
    client.credentials(HTTP_ACCEPT_LANGUAGE="zh-hans")
    return client


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026", 2026),
        (" 2026 ", 2026),
        (2026, 2026),
        (2026.0, 2026),
        ("²", None),  # "²".isdigit() is True, int("²") fails
        ("２０２６", None),  # full-width digits: int() takes them, links never carry them
        ("2026.5", None),
        ("1999", None),
        ("2101", None),
        ("99999999999999999999999", None),
        ("", None),
        (None, None),
        (True, None),
    ],
)
def test_parse_int_takes_only_ascii_whole_numbers_in_range(value, expected):
    assert params.parse_int(value, 2000, 2100) == expected


def test_a_bad_query_parameter_is_a_400_naming_it_in_chinese():
    request = RequestFactory().get("/", {"year": "9999"})
    with translation.override("zh-hans"), pytest.raises(params.InvalidParameter) as error:
        params.query_year(request)
    assert error.value.name == "year"
    assert error.value.message == "年度：请输入 2000 至 2100 之间的整数。"
    assert params.query_year(RequestFactory().get("/"), default=2025) == 2025


@pytest.mark.parametrize("object_id", ["abc", "²", "99999999999999999999999"])
def test_history_of_an_impossible_id_is_404(world, client_for, object_id):
    content_type = ContentType.objects.get_for_model(Project)
    response = client_for("bureau_admin").get(f"/core/history/{content_type.pk}/{object_id}/")
    assert response.status_code == 404


def test_history_of_a_project_still_opens(world, client_for):
    content_type = ContentType.objects.get_for_model(Project)
    response = client_for("bureau_admin").get(f"/core/history/{content_type.pk}/{world.project.pk}/")
    assert response.status_code == 200


@pytest.mark.parametrize(("resource", "model"), [("budget-lines", BudgetLine), ("indicators", Indicator)])
def test_api_filter_by_another_districts_project_answers_like_a_missing_one(world, users, resource, model):
    """The generated FilterSets offer only the user's own projects: a foreign id is "not a valid
    choice" exactly like an id that does not exist, so the answer tells nothing about it."""
    client = api_as(users["other_district_admin"])
    missing = Project.objects.order_by("-pk").first().pk + 1000
    foreign = client.get(f"/api/v1/{resource}/", {"project": world.project.pk})
    absent = client.get(f"/api/v1/{resource}/", {"project": missing})
    assert foreign.status_code == absent.status_code == 400
    assert list(foreign.json()["errors"]) == list(absent.json()["errors"]) == ["project"]
    assert foreign.json() == absent.json()
    assert "有效的选项" in foreign.json()["errors"]["project"][0]
    # The project's own district still filters by it.
    own = api_as(users["bureau_admin"]).get(f"/api/v1/{resource}/", {"project": world.project.pk})
    assert own.status_code == 200
    assert own.json()["count"] == model.objects.filter(project=world.project).count() > 0


def test_page_filter_by_another_orgs_project_answers_like_a_missing_one(world):
    client = client_as(world.other_org_user)
    foreign = client.get("/projects/entries/", {"project": world.project.pk})
    absent = client.get("/projects/entries/", {"project": 10**9})
    assert foreign.status_code == absent.status_code == 200
    assert foreign.context["filterset"].errors.keys() == absent.context["filterset"].errors.keys() == {"project"}
    assert list(foreign.context["table"].rows) == list(absent.context["table"].rows) == []


def test_admin_view_on_site_answers_the_same_for_foreign_and_missing_objects(world, users, client_for):
    content_type = ContentType.objects.get_for_model(Organization)
    other_admin = client_for("other_district_admin")
    foreign = other_admin.get(f"/admin/r/{content_type.pk}/{world.org.pk}/")
    missing = other_admin.get(f"/admin/r/{content_type.pk}/{Organization.objects.order_by('-pk')[0].pk + 1000}/")
    impossible = other_admin.get(f"/admin/r/{content_type.pk}/abc/")
    assert foreign.status_code == missing.status_code == impossible.status_code == 404
    own = client_for("bureau_admin").get(f"/admin/r/{content_type.pk}/{world.org.pk}/")
    assert own.status_code == 302 and own["Location"].endswith(world.org.get_absolute_url())
    # Not an administrator: the admin's own login page, as before.
    assert client_for("org_user").get(f"/admin/r/{content_type.pk}/{world.org.pk}/").status_code == 302


def test_bad_request_page_shows_the_parameters_message_and_changes_nothing(world, client_for):
    before = AuditRecord.objects.count()
    response = client_for("bureau_admin").get("/registry/annual-reports/owing/", {"year": "²"})
    assert response.status_code == 400
    assert "年度：请输入 2000 至 2100 之间的整数。" in response.content.decode()
    assert AuditRecord.objects.count() == before
