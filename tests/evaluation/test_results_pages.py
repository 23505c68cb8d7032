"""Results and objections: the result list (by round, stars, street), a result with every number's
computation (dropped scores struck through and labelled), who reads results (the bureau; once
published the project's organization; never another district), objections lodged by the
organization during publicity and answered by the bureau with an outcome."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from core.testing import assert_role_matrix
from evaluation.choices import AssignmentStatus, Dimension, IndicatorSource, ObjectionStatus, RoundStatus
from evaluation.computation import compute_result
from evaluation.models import Assignment, Objection, Round, RoundProject, Score

from ..projects.factories import make_project
from .factories import AssignmentFactory, ExpertFactory, RoundProjectFactory
from .test_pages import World, client_of

pytestmark = pytest.mark.django_db


def score(assignment, indicator, value):
    Score.objects.create(assignment=assignment, indicator=indicator, value=Decimal(value))
    Assignment.objects.filter(pk=assignment.pk).update(status=AssignmentStatus.SUBMITTED, submitted_at=timezone.now())


def publish(round_):
    """What round_publish does to the results (the service is H1's; these pages only read)."""
    today = timezone.localdate()
    Round.objects.filter(pk=round_.pk).update(
        status=RoundStatus.PUBLICITY, publicity_starts_on=today, publicity_ends_on=today + dt.timedelta(days=6),
        computed_at=timezone.now(),
    )  # fmt: skip
    round_.refresh_from_db()
    for entry in round_.entries.all():
        result = compute_result(entry)
        RoundProject.objects.filter(pk=entry.pk).update(
            final_score=result.final_score, stars=result.stars, computation=result.as_json(), computed_at=timezone.now()
        )


@pytest.fixture
def world(places, users):
    w = World(places, users)
    w.quality = w.scheme.indicators.get(source=IndicatorSource.EXPERT)
    # Five technical raters on project 1: the highest (95) and the lowest (60) are dropped.
    technical = [w.tech] + [ExpertFactory(places.district, dimension=Dimension.TECHNICAL) for _ in range(4)]
    for expert, value in zip(technical, ["60", "80", "82", "84", "95"], strict=True):
        assignment = w.a_tech1 if expert == w.tech else AssignmentFactory(w.entry1, expert)
        score(assignment, w.quality, value)
    score(w.a_dept1, w.quality, "70")
    score(w.a_tech2, w.quality, "90")
    publish(w.round)
    w.entry1.refresh_from_db()
    w.entry2.refresh_from_db()
    return w


def test_result_pages_by_role(world, client_for):
    url = reverse("evaluation:result_detail", args=[world.entry1.pk])
    assert_role_matrix(client_for, "get", url, {"bureau_staff": 200, "bureau_viewer": 200, "other_district_staff": 404,
                                                "other_street_officer": 404, "street_officer": 200})  # fmt: skip
    assert client_of(world.org_user).get(url).status_code == 200
    Round.objects.filter(pk=world.round.pk).update(status=RoundStatus.SCORING)
    assert client_of(world.org_user).get(url).status_code == 404  # not yet published


def test_result_detail_shows_every_number(world, client_for):
    response = client_for("bureau_staff").get(reverse("evaluation:result_detail", args=[world.entry1.pk]))
    text = response.content.decode()
    assert str(world.entry1.final_score) in text
    quality = next(i for i in response.context["indicators"] if i["source"] == "expert")
    technical = next(d for d in quality["detail"]["dimensions"] if d["dimension"] == "technical")
    assert technical["mean"] == "82.00"
    assert [value for value, dropped in technical["marked"] if dropped] == ["60.00", "95.00"]
    assert '<del class="text-muted dropped"' in text and "60.00" in text
    assert escape(quality["rule"]) in text and quality["weighted"] in text
    assert "≥ 90" in text  # the thresholds


def test_result_list_filters_and_queries(world, places, client_for):
    client = client_for("bureau_staff")
    url = reverse("evaluation:result_list")
    rows = list(client.get(url).context["table"].data)
    assert {r.pk for r in rows} == {world.entry1.pk, world.entry2.pk}
    stars = world.entry2.stars
    rows = list(client.get(url, {"stars": stars}).context["table"].data)
    assert world.entry2.pk in {r.pk for r in rows}
    assert not list(client.get(url, {"street": places.street2.pk}).context["table"].data)
    assert client.get(url, {"stars": "9"}).status_code == 200  # a form error, not a 500
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for n in range(3):
        RoundProjectFactory(world.round, make_project(world.org, places.district, title=f"结果{n}"))
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)


def test_org_user_lodges_objection_during_publicity(world, client_for):
    client = client_of(world.org_user)
    url = reverse("evaluation:objection_create") + f"?result={world.entry1.pk}"
    assert client.get(url).status_code == 200
    response = client.post(url, {"content": "进度指标未计入第三季度报送。", "contact": "13800000000"})
    assert response.status_code == 302
    objection = Objection.objects.get(round_project=world.entry1)
    assert objection.lodged_by == world.org_user and objection.status == ObjectionStatus.OPEN
    # Their own list shows it; another organization's account does not see it.
    rows = list(client.get(reverse("evaluation:objection_list")).context["table"].data)
    assert [o.pk for o in rows] == [objection.pk]
    assert client_for("bureau_staff").get(url).status_code == 403
    assert client.get(reverse("evaluation:objection_create") + "?result=abc").status_code == 400
    assert client.get(reverse("evaluation:objection_create") + f"?result={world.other_entry.pk}").status_code == 404


def test_objection_empty_content_named_in_chinese(world):
    client = client_of(world.org_user)
    url = reverse("evaluation:objection_create") + f"?result={world.entry1.pk}"
    response = client.post(url, {"content": ""})
    assert response.status_code == 200 and "form-errors" in response.content.decode()
    assert not Objection.objects.exists()


def test_objection_outside_publicity_refused(world):
    Round.objects.filter(pk=world.round.pk).update(status=RoundStatus.CLOSED)
    url = reverse("evaluation:objection_create") + f"?result={world.entry1.pk}"
    assert client_of(world.org_user).get(url).status_code == 403


def test_staff_answer_objection_with_outcome(world, client_for):
    objection = Objection.objects.create(
        round_project=world.entry1, lodged_by=world.org_user, name="一社区夕阳红服务队", contact="138", content="不服"
    )
    url = reverse("evaluation:objection_detail", args=[objection.pk])
    assert_role_matrix(client_for, "get", url, {"bureau_staff": 200, "bureau_viewer": 200, "other_district_staff": 404,
                                                "street_officer": 403})  # fmt: skip
    text = client_for("bureau_staff").get(url).content.decode()
    assert 'id="transition-answer"' in text and 'name="outcome"' in text
    answer = reverse("evaluation:objection_transition", args=[objection.pk, "answer"])
    client_for("bureau_staff").post(answer, {"reason": "经复核，维持原结果。", "outcome": "bogus"})
    objection.refresh_from_db()
    assert objection.status == ObjectionStatus.OPEN
    client_for("bureau_staff").post(answer, {"reason": "经复核，维持原结果。", "outcome": "maintained"})
    objection.refresh_from_db()
    assert objection.status == ObjectionStatus.ANSWERED and objection.outcome == "maintained"
    assert objection.answer == "经复核，维持原结果。"
    text = client_for("bureau_staff").get(reverse("evaluation:objection_list"), {"status": "answered"}).content.decode()
    assert "不服" not in text or "一社区夕阳红服务队" in text
    assert client_for("bureau_viewer").post(answer, {"reason": "x", "outcome": "maintained"}).status_code == 404
