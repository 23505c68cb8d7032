"""The bureau's evaluation pages: schemes (list, detail with the rules, the form with its formsets,
copy; the default scheme only copied), the expert pool, rounds (detail with the panel per project,
choosing projects, assigning experts, completion, steps), navigation and to-dos. Who sees what:
bureau roles of the district; another district 404; other roles 403."""

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from core.testing import assert_role_matrix
from evaluation.choices import AssignmentStatus, Dimension, ObjectionStatus, RoundStatus
from evaluation.models import Assignment, Expert, Objection, Round, RoundProject, Scheme

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


class World:
    """District A: organization org11 (community 1-1) with two projects in a draft round on a copy of
    the default scheme; a technical and a department expert with accounts, a media and a resident
    expert without; the technical expert assigned to both projects, the department expert to the
    first. District B: its own scheme, round and project."""

    def __init__(self, places, users):
        self.places = places
        self.org = make_organization(places.community11, name="一社区夕阳红服务队")
        self.org_user = make_org_user(self.org)
        self.project1 = make_project(self.org, places.district, title="助老服务项目")
        self.project2 = make_project(self.org, places.district, title="青少年课堂项目")
        self.scheme = district_scheme(places.district, name="甲区星级评定方案")
        self.tech = ExpertFactory(places.district, dimension=Dimension.TECHNICAL, with_user=True, name="王技术")
        self.dept = ExpertFactory(places.district, dimension=Dimension.DEPARTMENT, with_user=True, name="李部门")
        self.media = ExpertFactory(places.district, dimension=Dimension.MEDIA, name="赵媒体")
        self.resident = ExpertFactory(places.district, dimension=Dimension.RESIDENT, name="钱居民")
        self.round = RoundFactory(places.district, scheme=self.scheme, name="2026年度星级评定")
        self.entry1 = RoundProjectFactory(self.round, self.project1)
        self.entry2 = RoundProjectFactory(self.round, self.project2)
        self.a_tech1 = AssignmentFactory(self.entry1, self.tech)
        self.a_dept1 = AssignmentFactory(self.entry1, self.dept)
        self.a_tech2 = AssignmentFactory(self.entry2, self.tech)
        other_org = make_organization(places.other_community, name="乙区志愿者协会")
        self.other_project = make_project(other_org, places.other_district, title="乙区项目")
        self.other_scheme = district_scheme(places.other_district, name="乙区方案")
        self.other_expert = ExpertFactory(places.other_district, name="乙区专家", with_user=True)
        self.other_round = RoundFactory(places.other_district, scheme=self.other_scheme, name="乙区评定")
        self.other_entry = RoundProjectFactory(self.other_round, self.other_project)
        self.other_assignment = AssignmentFactory(self.other_entry, self.other_expert)


def set_status(round_, status):
    Round.objects.filter(pk=round_.pk).update(status=status)
    round_.refresh_from_db()


def client_of(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def world(places, users):
    return World(places, users)


BUREAU_READ = {"bureau_admin": 200, "bureau_staff": 200, "bureau_viewer": 200}
OTHERS_REFUSED = {"street_officer": 403, "org_user": 403, "expert": 403, "community_party": 403}


# ------------------------------------------------------------------------------------------ schemes


def test_scheme_pages_by_role(world, client_for):
    detail = reverse("evaluation:scheme_detail", args=[world.scheme.pk])
    assert_role_matrix(client_for, "get", reverse("evaluation:scheme_list"), {**BUREAU_READ, **OTHERS_REFUSED})
    assert_role_matrix(client_for, "get", detail, {**BUREAU_READ, "other_district_admin": 404, "org_user": 403})
    # The default scheme is read by every district.
    assert_role_matrix(
        client_for,
        "get",
        reverse("evaluation:scheme_detail", args=[default_scheme().pk]),
        {"bureau_staff": 200, "other_district_admin": 200},
    )
    assert_role_matrix(
        client_for,
        "get",
        reverse("evaluation:scheme_create"),
        {"bureau_admin": 200, "bureau_staff": 403, "bureau_viewer": 403},
    )


def test_scheme_list_shows_rows_and_exports(world, client_for):
    response = client_for("bureau_staff").get(reverse("evaluation:scheme_list"))
    text = response.content.decode()
    assert "甲区星级评定方案" in text and "星级评定默认方案" in text
    assert "乙区方案" not in text


def test_scheme_detail_shows_indicators_rules_dimensions_thresholds(world, client_for):
    response = client_for("bureau_admin").get(reverse("evaluation:scheme_detail", args=[world.scheme.pk]))
    text = response.content.decode()
    for words in ("项目质量", "满意度", "≥ 90", "≥ 60"):
        assert words in text
    assert response.context["indicators"][0][1]  # the source's rule in words
    assert len(response.context["dimensions"]) == 4
    assert [r.pk for r in response.context["rounds"]] == [world.round.pk]
    assert response.context["in_use"] is True
    assert response.context["can_edit"] is False  # in use: copy only
    assert 'id="copy-scheme"' in text and 'id="edit-scheme"' not in text


def test_default_scheme_offers_only_copy(world, client_for):
    response = client_for("bureau_admin").get(reverse("evaluation:scheme_detail", args=[default_scheme().pk]))
    text = response.content.decode()
    assert 'id="copy-scheme"' in text and 'id="edit-scheme"' not in text
    assert client_for("bureau_admin").get(
        reverse("evaluation:scheme_update", args=[default_scheme().pk])
    ).status_code in (403, 404)
    # Staff read, and are offered nothing.
    text = client_for("bureau_staff").get(reverse("evaluation:scheme_detail", args=[world.scheme.pk])).content.decode()
    assert 'id="copy-scheme"' not in text


def scheme_post(name="新方案", indicators=None, dimensions=None, **thresholds):
    indicators = (
        indicators if indicators is not None else [("项目质量", "expert", "60"), ("满意度", "satisfaction", "40")]
    )
    dimensions = (
        dimensions
        if dimensions is not None
        else [("technical", "50"), ("department", "50"), ("media", ""), ("resident", "")]
    )
    data = {
        "name": name, "description": "",
        "five_star_min": "90", "four_star_min": "80", "three_star_min": "70", "two_star_min": "60",
        "indicators-TOTAL_FORMS": str(len(indicators) + 1), "indicators-INITIAL_FORMS": "0",
        "indicators-MIN_NUM_FORMS": "0", "indicators-MAX_NUM_FORMS": "30",
        "dimensions-TOTAL_FORMS": str(len(dimensions)), "dimensions-INITIAL_FORMS": "0",
        "dimensions-MIN_NUM_FORMS": "0", "dimensions-MAX_NUM_FORMS": "4",
    }  # fmt: skip
    data.update(thresholds)
    for i, (n, source, weight) in enumerate(indicators):
        data.update({f"indicators-{i}-name": n, f"indicators-{i}-source": source, f"indicators-{i}-weight": weight})
    for i, (dimension, weight) in enumerate(dimensions):
        data.update({f"dimensions-{i}-dimension": dimension, f"dimensions-{i}-weight": weight})
    return data


def test_scheme_create_and_update(world, places, client_for):
    client = client_for("bureau_admin")
    data = {**scheme_post(), "region": places.district.pk}
    response = client.post(reverse("evaluation:scheme_create"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    scheme = Scheme.objects.get(name="新方案")
    assert scheme.region == places.district
    assert [(i.name, i.source, i.weight) for i in scheme.indicators.order_by("sequence")] == [
        ("项目质量", "expert", Decimal(60)), ("满意度", "satisfaction", Decimal(40))
    ]  # fmt: skip
    assert {d.dimension: d.weight for d in scheme.dimensions.all()} == {"technical": 50, "department": 50}
    page = client.get(reverse("evaluation:scheme_update", args=[scheme.pk])).content.decode()
    assert "项目质量" in page
    data = scheme_post(name="新方案二", indicators=[("项目质量", "expert", "100")], five_star_min="95")
    response = client.post(reverse("evaluation:scheme_update", args=[scheme.pk]), data)
    assert response.status_code == 302
    scheme.refresh_from_db()
    assert scheme.name == "新方案二" and scheme.five_star_min == 95
    assert list(scheme.indicators.values_list("name", flat=True)) == ["项目质量"]


def test_scheme_bad_weights_show_chinese_message_and_change_nothing(world, places, client_for):
    client = client_for("bureau_admin")
    before = Scheme.objects.count()
    data = {**scheme_post(indicators=[("项目质量", "expert", "60"), ("满意度", "satisfaction", "30")]),
            "region": places.district.pk}  # fmt: skip
    response = client.post(reverse("evaluation:scheme_create"), data)
    assert response.status_code == 200
    text = response.content.decode()
    assert "指标" in text and "100" in text
    assert Scheme.objects.count() == before
    # Thresholds not decreasing: named.
    data = {**scheme_post(four_star_min="95"), "region": places.district.pk}
    response = client.post(reverse("evaluation:scheme_create"), data)
    assert response.status_code == 200
    assert "form-errors" in response.content.decode()
    assert Scheme.objects.count() == before


def test_scheme_in_use_cannot_be_edited_but_copied(world, client_for):
    client = client_for("bureau_admin")
    assert client.get(reverse("evaluation:scheme_update", args=[world.scheme.pk])).status_code == 403
    response = client.post(reverse("evaluation:scheme_copy", args=[world.scheme.pk]), {"name": "复制的方案"})
    copy = Scheme.objects.get(name="复制的方案")
    assert response.status_code == 302 and response.url == reverse("evaluation:scheme_update", args=[copy.pk])
    assert copy.indicators.count() == world.scheme.indicators.count()
    assert client_for("bureau_staff").post(reverse("evaluation:scheme_copy", args=[world.scheme.pk])).status_code == 403
    assert (
        client_for("other_district_admin").post(reverse("evaluation:scheme_copy", args=[world.scheme.pk])).status_code
        == 404
    )


# ------------------------------------------------------------------------------------------ experts


def test_expert_pages_by_role(world, client_for):
    assert_role_matrix(client_for, "get", reverse("evaluation:expert_list"), {**BUREAU_READ, "org_user": 403})
    detail = reverse("evaluation:expert_detail", args=[world.tech.pk])
    assert_role_matrix(client_for, "get", detail, {**BUREAU_READ, "other_district_staff": 404, "org_user": 403})
    assert_role_matrix(
        client_for,
        "get",
        reverse("evaluation:expert_create"),
        {"bureau_staff": 200, "bureau_viewer": 403, "org_user": 403},
    )


def test_expert_list_filters(world, client_for):
    client = client_for("bureau_staff")
    response = client.get(reverse("evaluation:expert_list"), {"dimension": "technical"})
    text = response.content.decode()
    assert "王技术" in text and "李部门" not in text and "乙区专家" not in text
    Expert.objects.filter(pk=world.media.pk).update(is_active=False)
    text = client.get(reverse("evaluation:expert_list"), {"is_active": "false"}).content.decode()
    assert "赵媒体" in text and "王技术" not in text
    assert client.get(reverse("evaluation:expert_list"), {"dimension": "bogus"}).status_code == 200


def test_expert_detail_shows_assignments(world, client_for):
    text = client_for("bureau_staff").get(reverse("evaluation:expert_detail", args=[world.tech.pk])).content.decode()
    assert "助老服务项目" in text and "青少年课堂项目" in text


def test_expert_create_with_account_and_update(world, places, client_for):
    # The clerk keeps the pool; accounts are the administrator's (the clerk's form has no user name).
    assert 'name="username"' not in client_for("bureau_staff").get(reverse("evaluation:expert_create")).content.decode()
    client = client_for("bureau_admin")
    data = {"region": places.district.pk, "name": "孙新闻", "dimension": "media", "affiliation_kind": "other",
            "affiliation": "区融媒体中心", "is_active": "on", "username": "sunxinwen"}  # fmt: skip
    response = client.post(reverse("evaluation:expert_create"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    expert = Expert.objects.get(name="孙新闻")
    assert expert.user is not None and expert.user.username == "sunxinwen" and expert.user.role == "expert"
    data = {"name": "孙新闻", "dimension": "media", "affiliation_kind": "other", "affiliation": "区日报社"}
    assert client.post(reverse("evaluation:expert_update", args=[expert.pk]), data).status_code == 302
    expert.refresh_from_db()
    assert expert.affiliation == "区日报社" and expert.is_active is False


def test_expert_bad_input_named_in_chinese(world, places, client_for):
    before = Expert.objects.count()
    data = {"region": places.district.pk, "name": "", "dimension": "media", "affiliation_kind": "organization"}
    response = client_for("bureau_staff").post(reverse("evaluation:expert_create"), data)
    assert response.status_code == 200
    assert "form-errors" in response.content.decode()
    assert Expert.objects.count() == before


# ------------------------------------------------------------------------------------------- rounds


def test_round_pages_by_role(world, client_for):
    pk = world.round.pk
    for name in ("round_detail", "round_projects", "round_assign", "round_completion"):
        url = reverse(f"evaluation:{name}", args=[pk])
        assert_role_matrix(client_for, "get", url, {**BUREAU_READ, **OTHERS_REFUSED, "other_district_staff": 404})
    assert_role_matrix(client_for, "get", reverse("evaluation:round_list"), {**BUREAU_READ, **OTHERS_REFUSED})
    # The expert sitting in the round still reads only their assignments.
    assert client_of(world.tech.user).get(reverse("evaluation:round_detail", args=[pk])).status_code == 403


def test_round_list_shows_rows(world, client_for):
    text = client_for("bureau_viewer").get(reverse("evaluation:round_list")).content.decode()
    assert "2026年度星级评定" in text and "乙区评定" not in text


def test_round_detail_shows_panel_per_project(world, client_for):
    response = client_for("bureau_staff").get(reverse("evaluation:round_detail", args=[world.round.pk]))
    text = response.content.decode()
    assert "助老服务项目" in text and "王技术" in text and "李部门" in text
    rows = response.context["rows"]
    first = next(r for r in rows if r["entry"].pk == world.entry1.pk)
    assert [len(p) for p in first["panels"]] == [1, 1, 0, 0]  # technical, department, media, resident
    assert 'id="transition-start_scoring"' in text


def test_round_detail_queries_do_not_grow(world, places, client_for, django_assert_max_num_queries):
    client = client_for("bureau_staff")
    url = reverse("evaluation:round_detail", args=[world.round.pk])
    client.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for n in range(3):
        entry = RoundProjectFactory(world.round, make_project(world.org, places.district, title=f"加项目{n}"))
        AssignmentFactory(entry, world.tech)
        AssignmentFactory(entry, world.media)
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)


def test_round_create_and_update(world, places, client_for):
    client = client_for("bureau_staff")
    data = {"region": places.district.pk, "name": "2027年度星级评定", "year": "2027", "scheme": world.scheme.pk,
            "experts_per_dimension": "2", "publicity_days": "7", "notes": ""}  # fmt: skip
    response = client.post(reverse("evaluation:round_create"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    round_ = Round.objects.get(name="2027年度星级评定")
    assert round_.status == RoundStatus.DRAFT and round_.experts_per_dimension == 2
    data = {**data, "experts_per_dimension": "3"}
    assert client.post(reverse("evaluation:round_update", args=[round_.pk]), data).status_code == 302
    round_.refresh_from_db()
    assert round_.experts_per_dimension == 3
    # Bad input: named in Chinese, nothing saved.
    before = Round.objects.count()
    response = client.post(reverse("evaluation:round_create"), {**data, "name": "坏", "year": "99999"})
    assert response.status_code == 200 and "form-errors" in response.content.decode()
    assert Round.objects.count() == before
    # Not a draft: not edited.
    set_status(round_, RoundStatus.SCORING)
    assert client.get(reverse("evaluation:round_update", args=[round_.pk])).status_code == 403
    assert client_for("bureau_viewer").get(reverse("evaluation:round_create")).status_code == 403


def test_round_projects_filter_add_remove(world, places, client_for):
    client = client_for("bureau_staff")
    extra = make_project(world.org, places.district, title="新加入项目")
    url = reverse("evaluation:round_projects", args=[world.round.pk])
    response = client.get(url, {"q": "新加入"})
    page = list(response.context["page"])
    assert page == [extra]
    assert client.get(url, {"street": places.street2.pk}).context["page"].paginator.count == 0
    assert client.get(url, {"year": "abc"}).status_code == 200  # a form error, not a 500
    response = client.post(url, {"action": "add", "projects": [extra.pk]})
    assert response.status_code == 302
    assert RoundProject.objects.filter(round=world.round, project=extra).exists()
    assert client.post(url, {"action": "add", "projects": ["x1"]}).status_code == 400
    entry = RoundProject.objects.get(round=world.round, project=extra)
    assert client.post(url, {"action": "remove", "round_project": entry.pk}).status_code == 302
    assert not RoundProject.objects.filter(pk=entry.pk).exists()
    # Another district's project is not offered nor added.
    client.post(url, {"action": "add", "projects": [world.other_project.pk]})
    assert not RoundProject.objects.filter(round=world.round, project=world.other_project).exists()
    # The viewer reads, does not change.
    assert client_for("bureau_viewer").post(url, {"action": "add", "projects": [extra.pk]}).status_code == 403


def test_round_assign_auto_and_manual(world, client_for):
    client = client_for("bureau_staff")
    url = reverse("evaluation:round_assign", args=[world.round.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"action": "auto"}, follow=True)
    text = response.content.decode()
    assert response.status_code == 200
    # Media and resident dimensions: one expert each in the pool, none more, both projects staffed.
    assert Assignment.objects.filter(round=world.round, expert=world.media).count() == 2
    messages = [str(m) for m in response.context["messages"]]
    created = Assignment.objects.filter(round=world.round).count() - 3
    assert created and any(str(created) in m for m in messages), messages
    assert "王技术" in text and "赵媒体" in text


def test_round_assign_refuses_conflict_with_reason(world, places, client_for):
    conflicted = ExpertFactory(
        places.district, dimension=Dimension.MEDIA, affiliation_kind="organization", organization=world.org,
        name="冲突专家",
    )  # fmt: skip
    client = client_for("bureau_staff")
    url = reverse("evaluation:round_assign", args=[world.round.pk])
    response = client.post(
        url, {"action": "assign", "round_project": world.entry1.pk, "expert": conflicted.pk}, follow=True
    )
    messages = [str(m) for m in response.context["messages"]]
    assert messages and not Assignment.objects.filter(expert=conflicted).exists()
    assert any(world.org.name in m or "利益" in m or "回避" in m for m in messages), messages
    response = client.post(url, {"action": "assign", "round_project": world.entry1.pk, "expert": world.media.pk})
    assert response.status_code == 302
    assert Assignment.objects.filter(expert=world.media, round_project=world.entry1).exists()
    assert client.post(url, {"action": "assign", "round_project": "abc", "expert": world.media.pk}).status_code == 400
    assert client.post(url, {"action": "assign", "round_project": world.other_entry.pk,
                             "expert": world.media.pk}).status_code == 404  # fmt: skip


def test_round_completion_and_reminder(world, client_for):
    set_status(world.round, RoundStatus.SCORING)
    Assignment.objects.filter(pk=world.a_dept1.pk).update(status=AssignmentStatus.SUBMITTED)
    client = client_for("bureau_staff")
    url = reverse("evaluation:round_completion", args=[world.round.pk])
    response = client.get(url)
    rows = {row["expert"].pk: row for row in response.context["rows"]}
    assert (rows[world.tech.pk]["assigned"], rows[world.tech.pk]["pending"]) == (2, 2)
    assert rows[world.dept.pk]["submitted"] == 1
    assert 'id="remind-laggards"' in response.content.decode()
    response = client.post(url, follow=True)
    assert response.status_code == 200
    assert client_for("bureau_viewer").post(url).status_code == 403


def test_round_transition_refusal_is_shown(world, client_for):
    client = client_for("bureau_staff")
    url = reverse("evaluation:round_transition", args=[world.round.pk, "start_scoring"])
    response = client.post(url, follow=True)  # media and resident not staffed: refused with the reason
    world.round.refresh_from_db()
    assert world.round.status == RoundStatus.DRAFT
    assert [str(m) for m in response.context["messages"]]
    assert client.post(reverse("evaluation:round_transition", args=[world.round.pk, "bogus"])).status_code == 404
    assert client_for("bureau_viewer").post(url).status_code in (403, 404)
    assert client_for("other_district_staff").post(url).status_code == 404


# ------------------------------------------------------------------------------------ navigation


def test_menu_and_todos(world, client_for):
    set_status(world.round, RoundStatus.SCORING)
    expert_home = client_of(world.tech.user).get("/")
    todos = {t["label"]: t["count"] for t in expert_home.context["todos"]}
    assert todos.get("待评分的项目") == 2 or 2 in todos.values(), todos
    staff_home = client_for("bureau_staff").get("/")
    labels = [item["label"] for group in staff_home.context["menu"] for item in group["items"]]
    assert "评定轮次" in [str(x) for x in labels] or any("轮次" in str(x) for x in labels), labels
    # A round whose publicity is over and with no open objection: a to-do to close it.
    Round.objects.filter(pk=world.round.pk).update(
        status=RoundStatus.PUBLICITY,
        publicity_starts_on=dt.date(2026, 1, 1),
        publicity_ends_on=timezone.localdate() - dt.timedelta(days=1),
    )
    Objection.objects.create(
        round_project=world.entry1, name="张三", contact="138", content="不服", status=ObjectionStatus.OPEN
    )
    staff_home = client_for("bureau_staff").get("/")
    counts = [t["count"] for t in staff_home.context["todos"] if "evaluation" in t["url"]]
    assert 1 in counts  # the open objection; the round waits for it
