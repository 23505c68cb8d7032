"""The expert's pages: the assignment list (an expert sees only their own; the bureau all of its
district's, with filters), the scoring page (the project's summary, a score and comment per expert
indicator; save, submit after confirmation, then locked), another expert's assignment 404."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.testing import assert_role_matrix
from evaluation.choices import AssignmentStatus, IndicatorSource, RoundStatus
from evaluation.models import Score

from ..projects.factories import make_project
from .factories import AssignmentFactory, RoundProjectFactory
from .test_pages import World, client_of, set_status

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(places, users):
    w = World(places, users)
    set_status(w.round, RoundStatus.SCORING)
    w.quality = w.scheme.indicators.get(source=IndicatorSource.EXPERT)
    return w


def test_expert_sees_only_own_assignments(world):
    client = client_of(world.tech.user)
    response = client.get(reverse("evaluation:assignment_list"))
    assert response.status_code == 200
    rows = list(response.context["table"].data)
    assert {a.pk for a in rows} == {world.a_tech1.pk, world.a_tech2.pk}
    # Even when asking for another expert by filter.
    response = client.get(reverse("evaluation:assignment_list"), {"expert": world.dept.pk})
    assert not list(response.context["table"].data)
    assert client.get(reverse("evaluation:assignment_detail", args=[world.a_dept1.pk])).status_code == 404
    assert client.get(reverse("evaluation:assignment_detail", args=[world.other_assignment.pk])).status_code == 404
    assert client.get(reverse("evaluation:assignment_detail", args=[world.a_tech1.pk])).status_code == 200


def test_staff_see_all_assignments_with_filters(world, client_for):
    client = client_for("bureau_staff")
    rows = list(client.get(reverse("evaluation:assignment_list")).context["table"].data)
    assert {a.pk for a in rows} == {world.a_tech1.pk, world.a_dept1.pk, world.a_tech2.pk}
    rows = list(client.get(reverse("evaluation:assignment_list"), {"expert": world.dept.pk}).context["table"].data)
    assert [a.pk for a in rows] == [world.a_dept1.pk]
    assert_role_matrix(
        client_for, "get", reverse("evaluation:assignment_detail", args=[world.a_tech1.pk]),
        {"bureau_staff": 200, "bureau_viewer": 200, "other_district_staff": 404, "org_user": 404, "expert": 404},
    )  # fmt: skip


def test_assignment_list_queries_do_not_grow(world, places):
    client = client_of(world.tech.user)
    url = reverse("evaluation:assignment_list")
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for n in range(3):
        AssignmentFactory(
            RoundProjectFactory(world.round, make_project(world.org, places.district, title=f"多{n}")), world.tech
        )
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)


def test_scoring_page_shows_summary_and_indicators(world):
    response = client_of(world.tech.user).get(reverse("evaluation:assignment_detail", args=[world.a_tech1.pk]))
    text = response.content.decode()
    assert "助老服务项目" in text and world.quality.name in text
    assert f'name="score_{world.quality.pk}"' in text
    assert response.context["summary"]  # targets vs progress, ledger, spending…
    assert "服务人次" in text  # a project indicator with its target


def test_scoring_saves_submits_then_locks(world):
    client = client_of(world.tech.user)
    url = reverse("evaluation:assignment_detail", args=[world.a_tech1.pk])
    field, comment = f"score_{world.quality.pk}", f"comment_{world.quality.pk}"
    response = client.post(url, {"action": "save", field: "85.5", comment: "服务扎实"})
    assert response.status_code == 302
    score = Score.objects.get(assignment=world.a_tech1, indicator=world.quality)
    assert score.value == Decimal("85.5") and score.comment == "服务扎实"
    # "Submit" saves, then asks for confirmation; nothing is submitted yet.
    response = client.post(url, {"action": "submit", field: "88", comment: "服务扎实"})
    assert response.status_code == 302 and "confirm=submit" in response.url
    world.a_tech1.refresh_from_db()
    assert world.a_tech1.status == AssignmentStatus.ASSIGNED
    page = client.get(response.url).content.decode()
    assert 'id="confirm-submit"' in page
    response = client.post(reverse("evaluation:assignment_transition", args=[world.a_tech1.pk, "submit"]))
    assert response.status_code == 302
    world.a_tech1.refresh_from_db()
    assert world.a_tech1.status == AssignmentStatus.SUBMITTED
    page = client.get(url).content.decode()
    assert 'id="locked"' in page and "disabled" in page
    # Locked: a further save changes nothing.
    client.post(url, {"action": "save", field: "10", comment: "改"})
    assert Score.objects.get(assignment=world.a_tech1, indicator=world.quality).value == Decimal(88)
    client.post(reverse("evaluation:assignment_transition", args=[world.a_tech1.pk, "submit"]))
    world.a_tech1.refresh_from_db()
    assert world.a_tech1.status == AssignmentStatus.SUBMITTED


@pytest.mark.parametrize("value", ["101", "-1", "八十", "85.555"])
def test_bad_score_shows_chinese_message_and_changes_nothing(world, value):
    client = client_of(world.tech.user)
    url = reverse("evaluation:assignment_detail", args=[world.a_tech1.pk])
    response = client.post(url, {"action": "save", f"score_{world.quality.pk}": value})
    assert response.status_code == 200
    text = response.content.decode()
    assert "form-errors" in text and world.quality.name in text
    assert not Score.objects.filter(assignment=world.a_tech1).exists()


def test_bureau_reads_scoring_page_without_form(world, client_for):
    response = client_for("bureau_staff").get(reverse("evaluation:assignment_detail", args=[world.a_tech1.pk]))
    assert response.status_code == 200
    assert 'name="action" value="save"' not in response.content.decode()
    response = client_for("bureau_staff").post(
        reverse("evaluation:assignment_detail", args=[world.a_tech1.pk]),
        {"action": "save", f"score_{world.quality.pk}": "80"},
    )
    assert not Score.objects.filter(assignment=world.a_tech1).exists()


def test_submit_of_another_experts_assignment_is_404(world):
    client = client_of(world.tech.user)
    response = client.post(reverse("evaluation:assignment_transition", args=[world.a_dept1.pk, "submit"]))
    assert response.status_code == 404
    assert client.post(reverse("evaluation:assignment_transition", args=[world.a_tech1.pk, "bogus"])).status_code == 404
