"""API: /api/v1/evaluation-schemes/, experts/, evaluation-rounds/, round-results/, assignments/,
scores/, objections/, org-grades/, community-reviews/ and the anonymous surveys/<token>/responses/ —
scoped per role and district (another district's id a 404, a role without the action a 403), writes
through the services, bad input a 400 with Chinese field messages, list queries that do not grow with
the rows, and an OpenAPI schema without warnings."""

import datetime as dt
import itertools
import re
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.choices import Role
from evaluation.choices import AssignmentStatus, Dimension, ObjectionStatus, RoundStatus
from evaluation.models import Assignment, Objection, OrgGrade, RoundProject, Score, SurveyResponse

from ..accounts.factories import make_user
from ..projects.factories import make_project
from ..registry.factories import make_org_user, make_organization
from .factories import (
    AssignmentFactory,
    ExpertFactory,
    RoundFactory,
    RoundProjectFactory,
    default_scheme,
    district_scheme,
)

pytestmark = pytest.mark.django_db

CHINESE = re.compile("[\u4e00-\u9fff]")


@pytest.fixture
def api_for(users):
    def get(name_or_user):
        client = APIClient()
        if name_or_user is not None:
            client.force_authenticate(users[name_or_user] if isinstance(name_or_user, str) else name_or_user)
        return client

    return get


@pytest.fixture
def world(places, users):
    """District A: an organization's running project in a draft round on the district's scheme, two
    technical experts (the first is users["expert"]) assigned to it. The other district: the same."""
    rows = {}
    for key, district, community in (
        ("a", places.district, places.community11),
        ("x", places.other_district, places.other_community),
    ):
        org = make_organization(community, name=f"{key}评定协会")
        project = make_project(org, district)
        scheme = district_scheme(district)
        round_ = RoundFactory(district, scheme=scheme, name=f"{key}轮次")
        entry = RoundProjectFactory(round_, project)
        user = users["expert"] if key == "a" else None
        expert = ExpertFactory(district, dimension=Dimension.TECHNICAL, user=user, with_user=user is None)
        other = ExpertFactory(district, dimension=Dimension.TECHNICAL, with_user=True)
        rows[key] = {
            "org": org,
            "project": project,
            "scheme": scheme,
            "round": round_,
            "entry": entry,
            "expert": expert,
            "other_expert": other,
            "assignment": AssignmentFactory(entry, expert),
            "other_assignment": AssignmentFactory(entry, other),
        }
    return rows


def ids(response):
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


def errors(response, status=400):
    assert response.status_code == status, response.content
    body = response.json()
    assert all(CHINESE.search(m) for messages in body["errors"].values() for m in _flat(messages)), body
    return body["errors"]


def _flat(messages):
    if isinstance(messages, str):
        return [messages]
    if isinstance(messages, dict):
        return [m for value in messages.values() for m in _flat(value)]
    return [m for value in messages for m in _flat(value)]


def quality(scheme):
    return scheme.indicators.get(source="expert")


def scoring(world, key="a"):
    round_ = world[key]["round"]
    round_.status = RoundStatus.SCORING
    round_.save(update_fields=["status"])
    return round_


def publicize(world, key="a", *, stars=4, score="85.0"):
    round_ = world[key]["round"]
    today = timezone.localdate()
    round_.status = RoundStatus.PUBLICITY
    round_.publicity_starts_on, round_.publicity_ends_on = today, today + dt.timedelta(days=6)
    round_.save(update_fields=["status", "publicity_starts_on", "publicity_ends_on"])
    RoundProject.objects.filter(round=round_).update(
        final_score=Decimal(score), stars=stars, computation={"indicators": []}, computed_at=timezone.now()
    )
    return round_


# ----------------------------------------------------------------------------------- scope


SCOPED = (
    ("evaluation-rounds", "round"),
    ("round-results", "entry"),
    ("assignments", "assignment"),
    ("experts", "expert"),
)


@pytest.mark.parametrize(("resource", "key"), SCOPED)
def test_each_resource_is_scoped_per_district(world, api_for, resource, key):
    url = f"/api/v1/{resource}/"
    a, x = world["a"][key].pk, world["x"][key].pk
    assert a in ids(api_for("bureau_viewer").get(url))
    assert x not in ids(api_for("bureau_staff").get(url))
    assert ids(api_for("other_district_admin").get(url)) >= {x}
    assert a not in ids(api_for("other_district_admin").get(url))
    assert api_for("other_district_admin").get(f"{url}{a}/").status_code == 404
    assert api_for("bureau_staff").get(f"{url}{x}/").status_code == 404
    assert api_for(None).get(url).status_code in (401, 403)


def test_roles_outside_the_evaluation_are_refused(world, api_for):
    street = api_for("street_officer")
    assert street.get("/api/v1/experts/").status_code == 403
    assert street.get("/api/v1/assignments/").status_code == 403
    assert street.get("/api/v1/scores/").status_code == 403
    assert api_for("org_user").get("/api/v1/evaluation-rounds/").status_code == 403


def test_an_expert_sees_only_their_own_record_assignments_and_scores(world, users, api_for):
    a = world["a"]
    Score.objects.create(assignment=a["assignment"], indicator=quality(a["scheme"]), value=80)
    Score.objects.create(assignment=a["other_assignment"], indicator=quality(a["scheme"]), value=70)
    api = api_for("expert")
    assert ids(api.get("/api/v1/experts/")) == {a["expert"].pk}
    assert ids(api.get("/api/v1/assignments/")) == {a["assignment"].pk}
    assert api.get(f"/api/v1/assignments/{a['other_assignment'].pk}/").status_code == 404
    assert api.get(f"/api/v1/experts/{a['other_expert'].pk}/").status_code == 404
    scores = api.get("/api/v1/scores/").json()["results"]
    assert [(row["assignment"], row["value"]) for row in scores] == [(a["assignment"].pk, "80.00")]
    assert ids(api.get("/api/v1/evaluation-rounds/")) == {a["round"].pk}
    assert ids(api.get("/api/v1/round-results/")) == {a["entry"].pk}
    staff_scores = api_for("bureau_viewer").get("/api/v1/scores/").json()["results"]
    assert {row["assignment"] for row in staff_scores} == {a["assignment"].pk, a["other_assignment"].pk}
    # The expert's filter offers only their own assignments: another's is "not a valid choice".
    response = api.get("/api/v1/scores/", {"assignment": a["other_assignment"].pk})
    assert response.status_code == 400 and "assignment" in response.json()["errors"]


# ------------------------------------------------------------------------------------ schemes


def test_schemes_list_the_default_and_the_districts_own_with_their_parts(world, api_for):
    response = api_for("bureau_staff").get("/api/v1/evaluation-schemes/")
    assert ids(response) == {default_scheme().pk, world["a"]["scheme"].pk}
    row = api_for("bureau_staff").get(f"/api/v1/evaluation-schemes/{world['a']['scheme'].pk}/").json()
    assert row["in_use"] is True
    assert [i["source"] for i in row["indicators"]] == [
        "expert",
        "progress",
        "awareness",
        "participation",
        "satisfaction",
    ]
    assert sum(Decimal(i["weight"]) for i in row["indicators"]) == 100
    assert {d["dimension"]: d["weight"] for d in row["dimensions"]}["technical"] == "40.00"
    assert (row["five_star_min"], row["two_star_min"]) == ("90.00", "60.00")
    other = world["x"]["scheme"].pk
    assert api_for("bureau_staff").get(f"/api/v1/evaluation-schemes/{other}/").status_code == 404
    assert api_for("expert").get("/api/v1/evaluation-schemes/").status_code == 403


SCHEME = {
    "name": "社区服务方案",
    "indicators": [
        {"name": "项目质量", "source": "expert", "weight": "60"},
        {"name": "满意度", "source": "satisfaction", "weight": "40"},
    ],
    "dimensions": [{"dimension": "technical", "weight": "70"}, {"dimension": "resident", "weight": "30"}],
    "thresholds": {"five_star_min": "95", "four_star_min": "85", "three_star_min": "75", "two_star_min": "65"},
}


def test_scheme_create_update_and_copy(world, places, api_for):
    api = api_for("bureau_admin")
    response = api.post("/api/v1/evaluation-schemes/", SCHEME, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["region"] == places.district.pk and body["in_use"] is False
    assert [i["name"] for i in body["indicators"]] == ["项目质量", "满意度"]
    assert body["five_star_min"] == "95.00"
    response = api.patch(f"/api/v1/evaluation-schemes/{body['id']}/", {"name": "改名方案"}, format="json")
    assert response.status_code == 200 and response.json()["name"] == "改名方案"
    response = api.post(f"/api/v1/evaluation-schemes/{default_scheme().pk}/copy/", {}, format="json")
    assert response.status_code == 201, response.content
    copy = response.json()
    assert copy["name"].startswith(default_scheme().name) and copy["name"] != default_scheme().name
    assert copy["region"] == places.district.pk and len(copy["indicators"]) == 5
    # The default scheme is everyone's to read and copy, nobody's to change.
    response = api.patch(f"/api/v1/evaluation-schemes/{default_scheme().pk}/", {"name": "改"}, format="json")
    assert response.status_code == 403 and CHINESE.search(response.json()["detail"])
    # In use by a round: refused with the reason, nothing changed.
    in_use = world["a"]["scheme"]
    response = api.patch(f"/api/v1/evaluation-schemes/{in_use.pk}/", {"name": "不该改"}, format="json")
    assert response.status_code in (400, 403) and "复制" in str(response.json())
    in_use.refresh_from_db()
    assert in_use.name != "不该改"
    # The clerk reads schemes but does not define them.
    assert api_for("bureau_staff").post("/api/v1/evaluation-schemes/", SCHEME, format="json").status_code == 403
    response = api_for("bureau_staff").post(f"/api/v1/evaluation-schemes/{in_use.pk}/copy/", {}, format="json")
    assert response.status_code == 403 and CHINESE.search(response.json()["detail"])


def test_scheme_with_bad_weights_is_refused_in_chinese(api_for):
    api = api_for("bureau_admin")
    bad = {**SCHEME, "indicators": [{"name": "项目质量", "source": "expert", "weight": "60"}]}
    assert "indicators" in errors(api.post("/api/v1/evaluation-schemes/", bad, format="json"))
    bad = {**SCHEME, "indicators": [{"name": "质量", "source": "nonsense", "weight": "abc"}], "name": ""}
    found = errors(api.post("/api/v1/evaluation-schemes/", bad, format="json"))
    assert {"indicators", "name"} <= set(found)
    bad = {**SCHEME, "thresholds": {"five_star_min": "80", "four_star_min": "85", "three_star_min": "75",
                                    "two_star_min": "65"}}  # fmt: skip
    found = errors(api.post("/api/v1/evaluation-schemes/", bad, format="json"))
    assert set(found) & {"thresholds", "five_star_min", "four_star_min", "__all__", "non_field_errors"}


# ------------------------------------------------------------------------------------ experts


def test_expert_create_with_an_account_and_update(places, api_for):
    api = api_for("bureau_admin")  # user accounts are the administrator's
    data = {"name": "李专家", "dimension": "media", "affiliation_kind": "other", "affiliation": "区融媒体中心",
            "phone": "13800000000", "username": "li_expert"}  # fmt: skip
    response = api.post("/api/v1/experts/", data, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["region"] == places.district.pk and body["username"] == "li_expert" and body["user"]
    response = api.patch(f"/api/v1/experts/{body['id']}/", {"is_active": False}, format="json")
    assert response.status_code == 200 and response.json()["is_active"] is False
    found = errors(api.post("/api/v1/experts/", {"name": "", "dimension": "astrology"}, format="json"))
    assert {"name", "dimension", "affiliation_kind"} <= set(found)
    assert api_for("expert").post("/api/v1/experts/", data, format="json").status_code == 403
    clerk = api_for("bureau_staff").post("/api/v1/experts/", {**data, "username": ""}, format="json")
    assert clerk.status_code == 201 and clerk.json()["user"] is None
    other_region = api.post("/api/v1/experts/", {**data, "username": "", "region": places.other_district.pk})
    assert "region" in errors(other_region)


# ------------------------------------------------------------------------------------- rounds


def test_round_create_add_projects_auto_assign_and_start_scoring(world, places, api_for):
    api = api_for("bureau_staff")
    data = {"name": "2026年度星级评定", "year": 2026, "scheme": world["a"]["scheme"].pk, "experts_per_dimension": 1}
    response = api.post("/api/v1/evaluation-rounds/", data, format="json")
    assert response.status_code == 201, response.content
    round_id = response.json()["id"]
    assert response.json()["status"] == "draft" and response.json()["region"] == places.district.pk
    response = api.patch(f"/api/v1/evaluation-rounds/{round_id}/", {"publicity_days": 10}, format="json")
    assert response.status_code == 200 and response.json()["publicity_days"] == 10
    response = api.post(
        f"/api/v1/evaluation-rounds/{round_id}/projects/", {"projects": [world["a"]["project"].pk]}, format="json"
    )
    assert response.status_code == 201, response.content
    assert [row["project"]["id"] for row in response.json()] == [world["a"]["project"].pk]
    # Another district's project is not offered at all.
    response = api.post(
        f"/api/v1/evaluation-rounds/{round_id}/projects/", {"projects": [world["x"]["project"].pk]}, format="json"
    )
    assert "projects" in errors(response)
    response = api.post(f"/api/v1/evaluation-rounds/{round_id}/auto-assign/")
    assert response.status_code == 200, response.content
    result = response.json()
    # Two technical experts for one technical place; no experts of the other three dimensions.
    assert result["created"] == 1 and len(result["shortfalls"]) == 3
    assert all(CHINESE.search(line) for line in result["shortfalls"])
    # Not staffed: refused with the reason.
    response = api.post(f"/api/v1/evaluation-rounds/{round_id}/transitions/", {"name": "start_scoring"})
    assert response.status_code == 400 and CHINESE.search(str(response.json()["errors"]))
    for dimension in (Dimension.DEPARTMENT, Dimension.MEDIA, Dimension.RESIDENT):
        ExpertFactory(places.district, dimension=dimension, with_user=True)
    assert api.post(f"/api/v1/evaluation-rounds/{round_id}/auto-assign/").json() == {"created": 3, "shortfalls": []}
    response = api.post(f"/api/v1/evaluation-rounds/{round_id}/transitions/", {"name": "start_scoring"})
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "scoring"
    # What is fixed once scoring has started is refused.
    response = api.patch(f"/api/v1/evaluation-rounds/{round_id}/", {"experts_per_dimension": 2}, format="json")
    assert "experts_per_dimension" in errors(response)
    # The same step again: someone has already taken it.
    response = api.post(f"/api/v1/evaluation-rounds/{round_id}/transitions/", {"name": "start_scoring"})
    assert response.status_code == 409 and CHINESE.search(response.json()["detail"])


def test_round_bad_input_wrong_role_and_other_district(world, api_for):
    api = api_for("bureau_staff")
    found = errors(api.post("/api/v1/evaluation-rounds/", {"name": "", "year": 1850, "scheme": 999999}))
    assert {"name", "year", "scheme"} <= set(found)
    other_scheme = world["x"]["scheme"].pk
    assert "scheme" in errors(
        api.post("/api/v1/evaluation-rounds/", {"name": "轮", "year": 2026, "scheme": other_scheme})
    )
    round_ = world["a"]["round"].pk
    assert "name" in errors(api.post(f"/api/v1/evaluation-rounds/{round_}/transitions/", {"name": "explode"}))
    assert api_for("bureau_viewer").post(f"/api/v1/evaluation-rounds/{round_}/auto-assign/").status_code == 403
    assert (
        api_for("expert").post(f"/api/v1/evaluation-rounds/{round_}/transitions/", {"name": "publish"}).status_code
        == 403
    )
    other = world["x"]["round"].pk
    assert api.post(f"/api/v1/evaluation-rounds/{other}/transitions/", {"name": "start_scoring"}).status_code == 404
    assert api.post(f"/api/v1/evaluation-rounds/{other}/auto-assign/").status_code == 404
    assert api.get("/api/v1/evaluation-rounds/", {"year": "abc"}).status_code == 400
    assert api.get("/api/v1/evaluation-rounds/", {"status": "finished"}).status_code == 400
    assert api.get("/api/v1/experts/", {"dimension": "astrology"}).status_code == 400
    assert api.get("/api/v1/evaluation-rounds/abc/").status_code == 404
    assert api.get("/api/v1/evaluation-rounds/99999999999999999999/").status_code == 404
    admin = api_for("bureau_admin")
    assert admin.post(f"/api/v1/evaluation-schemes/{world['x']['scheme'].pk}/copy/", {}).status_code == 404
    assert admin.patch(f"/api/v1/evaluation-schemes/{world['x']['scheme'].pk}/", {"name": "改"}).status_code == 404


# -------------------------------------------------------------------------- assignments, scores


def test_manual_assignment_refuses_a_conflict_with_the_reason(world, places, api_for):
    a = world["a"]
    conflicted = ExpertFactory(
        places.district, dimension=Dimension.MEDIA, affiliation_kind="organization", organization=a["org"]
    )
    api = api_for("bureau_staff")
    response = api.post("/api/v1/assignments/", {"round_project": a["entry"].pk, "expert": conflicted.pk})
    found = errors(response)
    assert "expert" in found and a["org"].name in found["expert"][0]
    free = ExpertFactory(places.district, dimension=Dimension.MEDIA)
    response = api.post("/api/v1/assignments/", {"round_project": a["entry"].pk, "expert": free.pk})
    assert response.status_code == 201, response.content
    assert response.json()["method"] == "manual" and response.json()["dimension"] == "media"
    # Twice: an error, not a second row.
    assert errors(api.post("/api/v1/assignments/", {"round_project": a["entry"].pk, "expert": free.pk}))
    assert Assignment.objects.filter(expert=free).count() == 1
    # Another district's expert is not a choice; an expert does not assign.
    other = world["x"]["expert"].pk
    assert "expert" in errors(api.post("/api/v1/assignments/", {"round_project": a["entry"].pk, "expert": other}))
    response = api_for("expert").post("/api/v1/assignments/", {"round_project": a["entry"].pk, "expert": free.pk})
    assert response.status_code == 403


def test_expert_saves_and_submits_scores_then_they_lock(world, api_for):
    a = world["a"]
    scoring(world)
    indicator = quality(a["scheme"])
    api = api_for("expert")
    payload = {"assignment": a["assignment"].pk, "values": {str(indicator.pk): {"value": "88.5", "comment": "扎实"}}}
    response = api.post("/api/v1/scores/", payload, format="json")
    assert response.status_code == 200, response.content
    assert [(row["indicator"], row["value"], row["comment"]) for row in response.json()] == [
        (indicator.pk, "88.50", "扎实")
    ]
    # Out of range: the field named by indicator, in Chinese, nothing saved.
    bad = {"assignment": a["assignment"].pk, "values": {str(indicator.pk): {"value": "101"}}}
    assert f"score_{indicator.pk}" in errors(api.post("/api/v1/scores/", bad, format="json"))
    bad = {"assignment": a["assignment"].pk, "values": {"abc": {"value": "1"}}}
    assert "values" in errors(api.post("/api/v1/scores/", bad, format="json"))
    assert "values" in errors(api.post("/api/v1/scores/", {"assignment": a["assignment"].pk}, format="json"))
    assert Score.objects.get(assignment=a["assignment"]).value == Decimal("88.50")
    # Another expert's assignment is not the expert's to name; staff read scores but do not write.
    other = {**payload, "assignment": a["other_assignment"].pk}
    assert "assignment" in errors(api.post("/api/v1/scores/", other, format="json"))
    assert api_for("bureau_staff").post("/api/v1/scores/", payload, format="json").status_code == 403
    # The other expert does not submit this expert's assignment; staff neither.
    url = f"/api/v1/assignments/{a['assignment'].pk}/transitions/"
    assert api_for("bureau_staff").post(url, {"name": "submit"}).status_code == 403
    response = api.post(url, {"name": "submit"})
    assert response.status_code == 200, response.content
    assert response.json()["status"] == AssignmentStatus.SUBMITTED and response.json()["transitions"] == []
    response = api.post("/api/v1/scores/", payload, format="json")
    assert response.status_code in (400, 403) and "锁定" in str(response.json())
    assert api.post(url, {"name": "submit"}).status_code in (400, 403, 409)


def test_submit_with_missing_scores_is_refused(world, api_for):
    scoring(world)
    url = f"/api/v1/assignments/{world['a']['assignment'].pk}/transitions/"
    response = api_for("expert").post(url, {"name": "submit"})
    assert response.status_code == 400 and CHINESE.search(str(response.json()["errors"]))
    assert Assignment.objects.get(pk=world["a"]["assignment"].pk).status == AssignmentStatus.ASSIGNED


# ------------------------------------------------------------------------------------- survey


def survey_url(entry, token=None):
    return f"/api/v1/surveys/{token or entry.survey.token}/responses/"


ANSWER = {"knew": True, "took_part": False, "satisfaction": 4, "comment": "很好"}


def test_anonymous_survey_answer_without_session_or_csrf(world):
    entry = world["a"]["entry"]
    client = Client(enforce_csrf_checks=True)
    response = client.post(survey_url(entry), ANSWER, content_type="application/json")
    assert response.status_code == 201, response.content
    assert response.json() == {"received": True}
    answer = SurveyResponse.objects.get(survey=entry.survey)
    assert (answer.knew, answer.took_part, answer.satisfaction, answer.channel) == (True, False, 4, "online")
    assert client.get(survey_url(entry)).status_code == 405
    assert client.post(survey_url(entry, "no-such-token"), ANSWER, content_type="application/json").status_code == 404
    assert client.post(survey_url(entry, "x" * 500), ANSWER, content_type="application/json").status_code == 404


def test_survey_bad_input_is_refused_in_chinese(world):
    client = APIClient()
    url = survey_url(world["a"]["entry"])
    found = errors(client.post(url, {"satisfaction": 9, "knew": "perhaps"}, format="json"))
    assert {"satisfaction", "knew", "took_part"} <= set(found)
    assert "comment" in errors(client.post(url, {**ANSWER, "comment": "长" * 5000}, format="json"))
    assert not SurveyResponse.objects.exists()


def test_a_respondent_code_answers_once(world):
    from evaluation.services.feedback import codes_issue

    entry = world["a"]["entry"]
    (code,) = codes_issue(entry.survey, by=None, count=1)
    client = APIClient()
    first = client.post(survey_url(entry), {**ANSWER, "code": code.code}, format="json")
    assert first.status_code == 201, first.content
    second = client.post(survey_url(entry), {**ANSWER, "code": code.code}, format="json")
    assert "code" in errors(second)
    assert SurveyResponse.objects.filter(survey=entry.survey).count() == 1
    assert SurveyResponse.objects.get(survey=entry.survey).channel == "code"


def test_a_flood_is_set_aside_but_the_resident_is_told_the_same(world, settings):
    settings.EVALUATION_FLOOD_LIMIT = 2
    entry = world["a"]["entry"]
    client = APIClient()
    answers = [client.post(survey_url(entry), ANSWER, format="json") for _ in range(4)]
    assert [r.status_code for r in answers] == [201] * 4
    assert {r.content for r in answers} == {answers[0].content}
    statuses = list(SurveyResponse.objects.filter(survey=entry.survey).values_list("status", flat=True))
    assert statuses.count("held") >= 1 and statuses.count("counted") >= 1


def test_a_published_round_takes_no_more_answers(world):
    publicize(world)
    response = APIClient().post(survey_url(world["a"]["entry"]), ANSWER, format="json")
    assert response.status_code == 400 and CHINESE.search(str(response.json()["errors"]))


# ------------------------------------------------------------------------ results, objections


def test_results_are_seen_by_the_organization_once_published(world, api_for):
    a = world["a"]
    org_api = api_for(make_org_user(a["org"]))
    assert ids(org_api.get("/api/v1/round-results/")) == set()
    publicize(world, stars=4, score="85.0")
    rows = org_api.get("/api/v1/round-results/").json()["results"]
    assert [(r["id"], r["final_score"], r["stars"]) for r in rows] == [(a["entry"].pk, "85.0", 4)]
    assert rows[0]["computation"] == {"indicators": []} and rows[0]["organization"]["name"] == a["org"].name
    staff = api_for("bureau_staff")
    assert ids(staff.get("/api/v1/round-results/", {"stars": 4})) == {a["entry"].pk}
    assert ids(staff.get("/api/v1/round-results/", {"stars": 5})) == set()
    assert ids(staff.get("/api/v1/round-results/", {"round": a["round"].pk})) == {a["entry"].pk}
    assert staff.get("/api/v1/round-results/", {"stars": 9}).status_code == 400
    assert staff.get("/api/v1/round-results/", {"round": world["x"]["round"].pk}).status_code == 400


def test_objection_lodged_by_the_organization_and_answered_by_the_bureau(world, api_for):
    a = world["a"]
    org_api = api_for(make_org_user(a["org"]))
    data = {"round_project": a["entry"].pk, "content": "满意度统计有误"}
    # Not in publicity yet: the draft round's result is not even offered to the organization.
    assert "round_project" in errors(org_api.post("/api/v1/objections/", data, format="json"))
    publicize(world)
    response = org_api.post("/api/v1/objections/", data, format="json")
    assert response.status_code == 201, response.content
    objection = response.json()
    assert objection["status"] == ObjectionStatus.OPEN and objection["name"]
    again = org_api.post("/api/v1/objections/", data, format="json")
    assert "content" in errors(again) and "相同" in again.json()["errors"]["content"][0]
    assert ids(org_api.get("/api/v1/objections/")) == {objection["id"]}
    # Another organization's account neither lodges nor reads it.
    stranger = api_for(make_org_user(make_organization(a["org"].region, name="旁观协会")))
    assert ids(stranger.get("/api/v1/objections/")) == set()
    assert "round_project" in errors(stranger.post("/api/v1/objections/", data, format="json"))
    assert api_for("bureau_staff").post("/api/v1/objections/", data, format="json").status_code == 403
    url = f"/api/v1/objections/{objection['id']}/transitions/"
    assert org_api.post(url, {"name": "answer", "reason": "x", "outcome": "maintained"}).status_code == 403
    staff = api_for("bureau_staff")
    assert "reason" in errors(staff.post(url, {"name": "answer", "outcome": "maintained"}))
    assert "outcome" in errors(staff.post(url, {"name": "answer", "reason": "经复核无误", "outcome": "both"}))
    response = staff.post(url, {"name": "answer", "reason": "经复核无误", "outcome": "maintained"})
    assert response.status_code == 200, response.content
    assert (response.json()["status"], response.json()["answer"]) == ("answered", "经复核无误")
    assert staff.post(url, {"name": "answer", "reason": "再答", "outcome": "revised"}).status_code == 409
    assert api_for("other_district_admin").post(url, {"name": "answer", "reason": "x"}).status_code == 404
    assert Objection.objects.get(pk=objection["id"]).outcome == "maintained"


# --------------------------------------------------------------------- grades, community reviews


def test_grade_award_filters_and_scope(places, api_for):
    org = make_organization(places.community11, name="评级协会")
    api = api_for("bureau_staff")
    awarded = timezone.localdate().replace(month=1, day=1) - dt.timedelta(days=365 * 4)
    data = {"organization": org.pk, "score": "856.5", "grade": 4, "awarded_on": awarded.isoformat(),
            "decision_number": "民评〔2022〕1号"}  # fmt: skip
    response = api.post("/api/v1/org-grades/", data, format="json")
    assert response.status_code == 201, response.content
    grade = response.json()
    assert grade["grade_display"] == "4A" and grade["valid_from"] == f"{awarded.year + 1}-01-01"
    assert grade["valid_until"] == f"{awarded.year + 5}-12-31"
    year = timezone.localdate().year
    future = OrgGrade.objects.create(
        organization=org, score=900, grade=5, awarded_on=timezone.localdate() - dt.timedelta(days=10),
        valid_from=dt.date(year + 1, 1, 1), valid_until=dt.date(year + 5, 12, 31),
    )  # fmt: skip
    assert ids(api.get("/api/v1/org-grades/", {"current": "true"})) == {grade["id"]}
    assert ids(api.get("/api/v1/org-grades/", {"current": "false"})) == {future.pk}
    assert ids(api.get("/api/v1/org-grades/", {"expiring": "true"})) == (
        {grade["id"]} if dt.date.fromisoformat(grade["valid_until"]) - timezone.localdate() <= dt.timedelta(180)
        else set()
    )  # fmt: skip
    assert ids(api_for(make_org_user(org)).get("/api/v1/org-grades/")) == {grade["id"], future.pk}
    assert api_for("other_district_admin").get(f"/api/v1/org-grades/{grade['id']}/").status_code == 404
    assert api_for("street_officer").post("/api/v1/org-grades/", data, format="json").status_code == 403
    found = errors(api.post("/api/v1/org-grades/", {**data, "score": "1200", "grade": 7}, format="json"))
    assert {"score", "grade"} <= set(found)
    filed = make_organization(places.community11, legal_form="community_filed", name="备案队")
    assert "organization" in errors(api.post("/api/v1/org-grades/", {**data, "organization": filed.pk}, format="json"))


def test_community_review_scored_by_the_street_and_opinion_by_the_party(places, users, api_for):
    org = make_organization(places.community11, legal_form="community_filed", name="邻里互助队")
    street = api_for("street_officer")
    year = timezone.localdate().year - 1
    data = {"organization": org.pk, "year": year, "governance": 24, "activities": 23, "contribution": 22,
            "residents_view": 23, "street_opinion": "运行规范"}  # fmt: skip
    response = street.post("/api/v1/community-reviews/", data, format="json")
    assert response.status_code == 201, response.content
    review = response.json()
    assert (review["total"], review["conclusion"], review["status"]) == (92, "excellent", "scored")
    assert errors(street.post("/api/v1/community-reviews/", data, format="json"))  # one a year
    found = errors(street.post("/api/v1/community-reviews/", {**data, "governance": 30, "year": 1900}, format="json"))
    assert {"governance", "year"} <= set(found)
    response = street.patch(f"/api/v1/community-reviews/{review['id']}/", {"activities": 13}, format="json")
    assert response.status_code == 200 and response.json()["total"] == 82
    url = f"/api/v1/community-reviews/{review['id']}/transitions/"
    assert street.post(url, {"name": "give_opinion", "reason": "同意"}).status_code == 403
    party = api_for("community_party")
    assert "reason" in errors(party.post(url, {"name": "give_opinion"}))
    response = party.post(url, {"name": "give_opinion", "reason": "同意街道意见"})
    assert response.status_code == 200, response.content
    assert (response.json()["status"], response.json()["party_opinion"]) == ("final", "同意街道意见")
    assert api_for("other_street_officer").get(f"/api/v1/community-reviews/{review['id']}/").status_code == 404
    assert api_for("bureau_staff").post("/api/v1/community-reviews/", data, format="json").status_code == 403


# ------------------------------------------------------------------------------ query counts


_extra = itertools.count(1)


def _more(world, places, users, n):
    a = world["a"]
    for _i in range(n):
        i = next(_extra)
        org = make_organization(places.community12, name=f"加量协会{i}")
        entry = RoundProjectFactory(a["round"], make_project(org, places.district))
        assignment = AssignmentFactory(entry, a["expert"])
        Score.objects.create(assignment=assignment, indicator=quality(a["scheme"]), value=i % 100)
        Objection.objects.create(round_project=entry, name="居民", contact="138", content=f"异议{i}")
        OrgGrade.objects.create(
            organization=org, score=800, grade=3, awarded_on=dt.date(2024, 5, 1),
            valid_from=dt.date(2025, 1, 1), valid_until=dt.date(2029, 12, 31),
        )  # fmt: skip
        district_scheme(places.district)
        ExpertFactory(places.district, dimension=Dimension.MEDIA)
        RoundFactory(places.district, name=f"加量轮次{i}")


LISTS = (
    ("bureau_staff", "evaluation-schemes"),
    ("bureau_staff", "experts"),
    ("bureau_staff", "evaluation-rounds"),
    ("bureau_staff", "round-results"),
    ("bureau_staff", "assignments"),
    ("expert", "assignments"),
    ("bureau_staff", "scores"),
    ("expert", "scores"),
    ("bureau_staff", "objections"),
    ("bureau_staff", "org-grades"),
)


@pytest.mark.parametrize(("role", "resource"), LISTS)
def test_list_queries_do_not_grow_with_rows(
    world, places, users, api_for, django_assert_max_num_queries, role, resource
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    api = api_for(role)
    url = f"/api/v1/{resource}/"
    _more(world, places, users, 1)
    with CaptureQueriesContext(connection) as few:
        assert api.get(url).status_code == 200
    _more(world, places, users, 4)
    with django_assert_max_num_queries(len(few)):
        response = api.get(url)
    assert response.json()["count"] >= 5


def test_community_review_list_queries_do_not_grow(places, api_for, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from evaluation.models import CommunityReview

    street_user = make_user(Role.STREET_OFFICER, places.street1)

    def add(n):
        for _i in range(n):
            org = make_organization(places.community11, legal_form="community_filed")
            CommunityReview.objects.create(
                organization=org, year=2025, governance=20, activities=20, contribution=20, residents_view=20,
                total=80, conclusion="qualified", street_opinion="好", scored_by=street_user,
            )  # fmt: skip

    api = api_for("community_party")
    add(1)
    with CaptureQueriesContext(connection) as few:
        assert api.get("/api/v1/community-reviews/").status_code == 200
    add(4)
    with django_assert_max_num_queries(len(few)):
        assert api.get("/api/v1/community-reviews/").json()["count"] == 5


# ------------------------------------------------------------------------------------ schema


def test_openapi_schema_is_valid_without_warnings(tmp_path):
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yml"))
    schema = (tmp_path / "schema.yml").read_text()
    for path in ("/api/v1/evaluation-schemes/{id}/copy/", "/api/v1/evaluation-rounds/{id}/auto-assign/",
                 "/api/v1/surveys/{token}/responses/", "/api/v1/scores/", "/api/v1/org-grades/"):  # fmt: skip
        assert path in schema
