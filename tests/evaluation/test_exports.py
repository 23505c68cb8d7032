"""Exports: the round's result workbook (one row per project with typed numbers, a sheet per rated
dimension, frozen headers) and the lists' xlsx exports, where an expert gets only their own rows."""

import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from evaluation.choices import IndicatorSource, RoundStatus

from .test_pages import World, client_of, set_status
from .test_results_pages import publish, score

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(places, users):
    w = World(places, users)
    w.quality = w.scheme.indicators.get(source=IndicatorSource.EXPERT)
    score(w.a_tech1, w.quality, "80")
    score(w.a_dept1, w.quality, "70")
    score(w.a_tech2, w.quality, "90")
    publish(w.round)
    return w


def workbook(response):
    assert response.status_code == 200, response
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return load_workbook(io.BytesIO(b"".join(response.streaming_content)))


def test_round_workbook(world, client_for):
    book = workbook(client_for("bureau_staff").get(reverse("evaluation:round_export", args=[world.round.pk])))
    assert book.sheetnames[:5] == ["评定结果", "技术专家", "职能部门", "新闻媒体", "居民代表"], book.sheetnames
    results = book["评定结果"]
    rows = list(results.iter_rows(values_only=True))
    header, body = rows[0], rows[1:]
    assert len(body) == 2
    assert header[0] and "项目质量" in "".join(str(h) for h in header)
    first = next(r for r in body if r[1] == "助老服务项目")
    world.entry1.refresh_from_db()
    assert first[2] == "一社区夕阳红服务队"
    assert isinstance(first[-2], (int, float)) and Decimal(str(first[-2])) == world.entry1.final_score
    assert first[-1] == world.entry1.stars
    assert results.freeze_panes == "A2"
    technical = list(book["技术专家"].iter_rows(values_only=True))
    assert len(technical) == 1 + 2  # one row per project and expert indicator
    row = next(r for r in technical[1:] if r[1] == "助老服务项目")
    assert row[3] == 1 and row[4] == "80.00" and Decimal(str(row[6])) == Decimal(80)


def test_round_workbook_refused_to_others(world, client_for):
    url = reverse("evaluation:round_export", args=[world.round.pk])
    assert client_of(world.tech.user).get(url).status_code == 403
    assert client_for("org_user").get(url).status_code == 403
    assert client_for("other_district_staff").get(url).status_code == 404


def test_expert_exports_only_own_assignments(world):
    set_status(world.round, RoundStatus.SCORING)
    response = client_of(world.dept.user).get(reverse("evaluation:assignment_list"), {"export": "xlsx"})
    rows = list(workbook(response).worksheets[0].iter_rows(values_only=True))
    assert len(rows) == 2 and rows[1][4] == "李部门"


@pytest.mark.parametrize(
    "name", ["scheme_list", "expert_list", "round_list", "assignment_list", "result_list", "objection_list"]
)
def test_lists_export(world, client_for, name):
    response = client_for("bureau_staff").get(reverse(f"evaluation:{name}"), {"export": "xlsx"})
    book = workbook(response)
    assert book.worksheets[0].max_row >= 1
