"""The dashboard in Chromium: a bureau leader (viewer) opens it, every chart draws under the
Content-Security-Policy with its aria description, a click on a bar lands on the filtered list whose
rows are the bar's figure; at phone width (390 px) the page reads without sideways scrolling."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from accounts.choices import Role
from registry.choices import Category
from tests.accounts.factories import PASSWORD, Jurisdiction, make_user
from tests.e2e.test_csp import REPORT_VIOLATIONS
from tests.registry.factories import make_organization

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def leader():
    places = Jurisdiction()
    founded = dt.date(2015, 1, 1)
    for region, category in (
        (places.community11, Category.CHARITY),
        (places.community11, Category.CHARITY),
        (places.community12, Category.CHARITY),
        (places.community21, Category.MUTUAL_AID),
        (places.other_community, Category.CHARITY),  # another district: never counted
    ):
        make_organization(region, established_on=founded, category=category)
    return make_user(Role.BUREAU_VIEWER, places.district, username="dash-leader")


def _errors(page):
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append((message.text, message.location)))
    page.on("pageerror", lambda error: errors.append((str(error), {})))
    page.context.add_init_script(REPORT_VIOLATIONS)
    return errors


def test_leader_clicks_a_bar_and_lands_on_the_filtered_list(page, login, leader):
    errors = _errors(page)
    login(page, leader.username, PASSWORD)
    page.goto("/reports/dashboard/")
    expect(page.locator("h1")).to_contain_text("数据看板")
    for chart in ("#chart-legal-form", "#chart-category", "#chart-status", "#chart-trend"):
        expect(page.locator(f"{chart} canvas")).to_have_count(1)
        assert page.locator(f"{chart} canvas").bounding_box()["height"] > 100
    description = page.locator("#chart-category").get_attribute("aria-label")
    assert "公益慈善 3" in description and "邻里互助 1" in description
    # The bar of 公益慈善 (the second category): click its middle.
    page.locator("#chart-category").scroll_into_view_if_needed()
    box = page.locator("#chart-category canvas").bounding_box()
    chart = page.evaluate(
        """() => {
            const chart = echarts.getInstanceByDom(document.getElementById('chart-category'));
            const point = chart.convertToPixel({seriesIndex: 0}, [1, 1.5]);
            return point;
        }"""
    )
    page.mouse.click(box["x"] + chart[0], box["y"] + chart[1])
    page.wait_for_url("**/registry/organizations/**")
    assert "category=charity" in page.url and "status=active" in page.url
    expect(page.locator("table tbody tr")).to_have_count(3)
    # The table under a chart, behind its toggle.
    page.go_back()
    page.click("#chart-category-title ~ details summary")
    expect(page.locator("#chart-category-table tbody tr")).to_have_count(len(Category.values))
    # The browser's request for /favicon.ico (there is none) is the one error expected.
    unexpected = [(text[:80], where) for text, where in errors if not where.get("url", "").endswith("/favicon.ico")]
    assert unexpected == []


def test_phone_width_reads_without_sideways_scrolling(browser, live_server, login, leader, tmp_path):
    context = browser.new_context(base_url=live_server.url, locale="zh-CN", viewport={"width": 390, "height": 844})
    page = context.new_page()
    try:
        login(page, leader.username, PASSWORD)
        page.goto("/reports/dashboard/")
        expect(page.locator("#chart-category canvas")).to_have_count(1)
        widths = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
        assert widths[0] <= widths[1], widths
        canvas = page.locator("#chart-category canvas").bounding_box()
        assert 250 < canvas["width"] <= 390
        page.screenshot(path=str(tmp_path / "dashboard-390.png"), full_page=True)
        assert (tmp_path / "dashboard-390.png").stat().st_size > 10_000
        # The home page leads with the same headline figures.
        page.goto("/")
        expect(page.locator("#home-headline [data-card=organizations] [data-value]")).to_have_text("4")
    finally:
        context.close()


def test_dashboard_and_home_have_no_serious_accessibility_violation(page, login, leader):
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    login(page, leader.username, PASSWORD)
    failures = []
    for url in ("/reports/dashboard/", "/reports/dashboard/?quarter=2025Q1", "/"):
        page.goto(url)
        for summary in page.locator("details summary").all():
            summary.click()  # the tables behind the toggles are checked too
        for violation in axe.run(page).response["violations"]:
            if violation["impact"] in ("serious", "critical"):
                failures.append((url, violation["id"], [node["target"] for node in violation["nodes"][:3]]))
    assert failures == []
