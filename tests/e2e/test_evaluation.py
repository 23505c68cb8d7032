"""A star-rating round from start to finish in Chromium: the bureau's clerk opens a round, adds the
projects found by a filter, assigns the experts automatically and starts scoring; two experts log in,
score and submit; residents answer the survey on a phone (one with a respondent code from the
printed slips); the clerk publishes; the public publicity page shows the stars; the organization's
account lodges an objection and the clerk answers it; once publicity is over the clerk closes the
round and the public register shows the organization's rating."""

import datetime as dt
import os

import pytest
from django.utils import timezone

from accounts.choices import Role
from evaluation.choices import Dimension, IndicatorSource
from evaluation.defaults import ensure_default_scheme
from evaluation.models import Round, RoundProject
from evaluation.services.schemes import scheme_create
from tests.accounts.factories import PASSWORD, Jurisdiction, make_user
from tests.evaluation.factories import ExpertFactory, make_expert_user
from tests.projects.factories import make_project
from tests.registry.factories import make_org_user, make_organization

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def _shot(page, tmp_path, name):
    page.screenshot(path=str(tmp_path / name), full_page=True)
    if os.environ.get("SCREENSHOT_DIR"):
        page.screenshot(path=os.path.join(os.environ["SCREENSHOT_DIR"], name), full_page=True)


def _world():
    places = Jurisdiction()
    ensure_default_scheme()  # an earlier transactional test's flush removed the migration's
    # The district rates quality by two dimensions only: technical experts and residents' representatives.
    scheme = scheme_create(
        by=None,
        region=places.district,
        name="甲区星级评定方案",
        indicators=[
            {"name": "项目质量", "source": IndicatorSource.EXPERT, "weight": 50},
            {"name": "进度", "source": IndicatorSource.PROGRESS, "weight": 10},
            {"name": "群众知晓率", "source": IndicatorSource.AWARENESS, "weight": 10},
            {"name": "参与率", "source": IndicatorSource.PARTICIPATION, "weight": 10},
            {"name": "满意度", "source": IndicatorSource.SATISFACTION, "weight": 20},
        ],
        dimensions=[
            {"dimension": Dimension.TECHNICAL, "weight": 60},
            {"dimension": Dimension.DEPARTMENT, "weight": 0},
            {"dimension": Dimension.MEDIA, "weight": 0},
            {"dimension": Dimension.RESIDENT, "weight": 40},
        ],
    )
    helpers = make_organization(places.community11, name="一社区邻里互助会")
    kitchen = make_organization(places.community12, name="二社区老年协会")
    youth = make_organization(places.community21, name="二街道青少年服务社")
    make_project(helpers, places.district, title="一社区助老陪伴项目")
    make_project(kitchen, places.district, title="二社区助老送餐项目")
    make_project(youth, places.district, title="二街道青少年课堂")
    make_user(Role.BUREAU_STAFF, places.district, username="clerk", full_name="钱科员")
    ExpertFactory(
        places.district, name="王教授", dimension=Dimension.TECHNICAL,
        user=make_expert_user(places.district, username="prof", full_name="王教授"),
    )  # fmt: skip
    ExpertFactory(
        places.district, name="李阿姨", dimension=Dimension.RESIDENT,
        user=make_expert_user(places.district, username="resident", full_name="李阿姨"),
    )  # fmt: skip
    make_org_user(helpers, username="helpers", full_name="周会计")
    return scheme, helpers


def _tab(page, name):
    """A tab of the round's pages."""
    page.get_by_role("navigation", name="轮次页面").get_by_role("link", name=name, exact=True).click()
    page.wait_for_load_state()


def _message(page) -> str:
    return page.inner_text("main")


def _score_and_submit(page, value):
    page.goto("/evaluation/assignments/")
    links = page.locator("#object-list tbody a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assignment_links = list(dict.fromkeys(href for href in links if "/evaluation/assignments/" in href))
    assert len(assignment_links) == 2  # both projects, in the expert's own dimension, and nobody else's
    for href in assignment_links:
        page.goto(href)
        assert page.inner_text("#assignment-status") == "评分中"
        page.fill("input[name^=score_]", value)
        page.fill("textarea[name^=comment_]", "服务记录完整，成效明显。")
        page.click("#submit")
        page.wait_for_selector("#confirm-box")
        page.click("#confirm-submit")
        page.wait_for_selector("#locked")
        assert "锁定" in page.inner_text("#locked")
        assert page.locator("input[name^=score_]").is_disabled() and page.locator("#save").count() == 0


def test_a_round_from_opening_to_the_public_register(page, browser, live_server, login, logout, tmp_path):
    scheme, helpers = _world()

    # The clerk opens a round on the district's scheme.
    login(page, "clerk", PASSWORD)
    page.goto("/evaluation/rounds/new/")
    page.fill("#id_name", "2026年度社区公益项目星级评定")
    page.fill("#id_year", "2026")
    page.select_option("#id_scheme", label=scheme.name)
    page.fill("#id_publicity_days", "7")
    page.click("#save")
    page.wait_for_selector("#round-status")
    round_ = Round.objects.get(name="2026年度社区公益项目星级评定")
    assert page.inner_text("#round-status") == "草稿"

    # Projects: the filter finds the two 助老 projects, both are added.
    _tab(page, "项目")
    page.fill("#id_q", "助老")
    page.click("#filter-form button[type=submit]")
    candidates = page.inner_text("#candidates")
    assert "一社区助老陪伴项目" in candidates and "二社区助老送餐项目" in candidates
    assert "二街道青少年课堂" not in candidates
    for checkbox in page.locator("#candidates input[name=projects]").all():
        checkbox.check()
    page.click("#add-selected")
    assert "已添加 2 个项目。" in _message(page)
    assert "一社区助老陪伴项目" in page.inner_text("#round-entries")

    # Experts, automatically: one per rated dimension and project; then scoring starts.
    _tab(page, "专家")
    page.click("#auto-assign-button")
    rows = page.locator("#assign-table tbody tr")
    assert rows.count() == 2
    for row in rows.all():
        technical, resident = row.locator("td").nth(0).inner_text(), row.locator("td").nth(1).inner_text()
        assert "王教授" in technical and "自动" in technical and "李阿姨" in resident
    _tab(page, "概览")
    page.click("#transition-start_scoring")
    page.wait_for_selector("#round-status")
    assert page.inner_text("#round-status") == "评分中"
    _shot(page, tmp_path, "evaluation-round-scoring.png")
    logout(page)

    # Two experts score and submit; the scores lock.
    for username, value in (("prof", "92"), ("resident", "88")):
        login(page, username, PASSWORD)
        _score_and_submit(page, value)
        logout(page)

    # The clerk prints respondent codes for the first project's survey and reads its public link.
    entry = RoundProject.objects.select_related("survey").get(round=round_, project__organization=helpers)
    login(page, "clerk", PASSWORD)
    page.goto(f"/evaluation/surveys/{entry.survey.pk}/")
    public_url = page.get_attribute("#public-url", "href")
    assert entry.survey.token in public_url
    page.click("#survey-codes")
    page.fill("#issue-codes input[name=count]", "5")
    page.click("#issue")
    code = page.get_attribute(".slip >> nth=0", "data-code")
    assert code and len(code) == 8

    # Residents answer on a phone: one without a code, one with the code from a slip.
    phone = browser.new_context(
        base_url=live_server.url, locale="zh-CN", viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2
    )
    resident = phone.new_page()
    for with_code in (False, True):
        resident.goto(public_url)
        assert resident.inner_text("#survey-project") == "一社区助老陪伴项目"
        assert resident.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        resident.click("label[for=id_knew_0]")
        resident.click("label[for=id_took_part_0]")
        resident.click("label[for=id_satisfaction_4]")
        if with_code:
            resident.fill("#id_code", code.lower())
        else:
            resident.fill("#id_comment", "陪伴老人很用心。")
            _shot(resident, tmp_path, "evaluation-survey-phone.png")
        resident.click("#survey-submit")
        resident.wait_for_selector("#survey-thanks")
        assert "感谢" in resident.inner_text("h1")
    page.goto(f"/evaluation/surveys/{entry.survey.pk}/")
    assert page.inner_text("#count-counted") == "2"
    assert page.inner_text("#codes-used").replace(" ", "") == "5/1"

    # The clerk publishes: the results are computed, publicity starts.
    page.goto(f"/evaluation/rounds/{round_.pk}/")
    page.click("#transition-publish")
    page.wait_for_selector("#round-status")
    assert page.inner_text("#round-status") == "公示中"
    assert page.locator("#round-projects tbody .text-warning").count() == 2  # each project's stars
    logout(page)

    # The public publicity page shows each project's stars and score; the survey takes no more answers.
    resident.goto(f"/public/evaluation/rounds/{round_.pk}/")
    entry.refresh_from_db()
    result = resident.inner_text(f"#result-{entry.pk}")
    assert "★" * entry.stars in result and str(entry.final_score) in result
    resident.goto(public_url)
    assert resident.locator("#survey-form").count() == 0
    phone.close()

    # The organization's account lodges an objection to its result.
    login(page, "helpers", PASSWORD)
    page.goto(f"/evaluation/results/{entry.pk}/")
    page.click("#lodge-objection")
    page.fill("#id_content", "满意度问卷样本过少，请补充入户调查。")
    page.click("#save")
    page.wait_for_selector("#objection-status")
    assert page.inner_text("#objection-status") == "待答复"
    objection_url = page.url
    logout(page)

    # The clerk answers it (the outcome: the result is maintained).
    login(page, "clerk", PASSWORD)
    page.goto(objection_url)
    page.fill("#reason-answer", "问卷数量符合方案要求，评定结果维持。")
    page.select_option("#outcome-answer", "maintained")
    page.click("#transition-answer")
    page.wait_for_selector("#objection-answer")
    assert page.inner_text("#objection-status") == "已答复"
    assert "评定结果维持" in page.inner_text("#objection-answer")

    # Before publicity is over the round does not close; after it (time moved in the database), it does.
    page.goto(f"/evaluation/rounds/{round_.pk}/")
    page.click("#transition-close")
    assert page.inner_text("#round-status") == "公示中"
    assert "公示期满后才能结束本轮次" in _message(page)
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    Round.objects.filter(pk=round_.pk).update(
        publicity_starts_on=yesterday - dt.timedelta(days=6), publicity_ends_on=yesterday
    )
    page.goto(f"/evaluation/rounds/{round_.pk}/")
    page.click("#transition-close")
    page.wait_for_selector("#round-status")
    assert page.inner_text("#round-status") == "已结束"
    _shot(page, tmp_path, "evaluation-round-closed.png")
    logout(page)

    # The public register shows the organization's rating.
    page.goto(f"/public/organizations/{helpers.pk}/")
    ratings = page.inner_text("#public-ratings")
    assert "一社区助老陪伴项目" in ratings and "★" * entry.stars in ratings and str(entry.final_score) in ratings
