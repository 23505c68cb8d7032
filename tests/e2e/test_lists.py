"""Lists in Chromium: a record opened from any list is its own page, the export holds what the
filtered, sorted page shows, and on a phone the menu folds away and tables scroll sideways."""

import datetime as dt
import io
from urllib.parse import urlparse

import openpyxl
import pytest
from playwright.sync_api import expect

from accounts.choices import Role
from registry import services as registry_services
from registry.choices import Category
from tests.accounts.factories import PASSWORD, Jurisdiction, make_user
from tests.projects.factories import make_entry, make_project
from tests.registry.factories import make_application, make_org_user, make_organization

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

RECORD_LINK = "#object-list tbody a"


class District:
    def __init__(self):
        self.places = places = Jurisdiction()
        self.staff = make_user(Role.BUREAU_STAFF, places.district, username="clerk", full_name="李晓梅")
        self.viewer = make_user(Role.BUREAU_VIEWER, places.district, username="leader", full_name="周主任")
        self.officer = make_user(Role.STREET_OFFICER, places.street1, username="street1", full_name="陈街道")
        names = ("银龄互助会", "阳光志愿队", "邻里议事会", "书香读书会", "乐龄合唱团")
        self.street1_orgs = [
            make_organization(
                (places.community11, places.community12)[n % 2],
                name=f"一街道{name}",
                category=(Category.MUTUAL_AID, Category.CHARITY)[n % 2],
                established_on=dt.date(2019, 5, 1),
            )
            for n, name in enumerate(names)
        ]
        for name in ("二街道舞蹈队", "二街道棋牌社", "二街道助残队"):
            make_organization(places.community21, name=name, category=Category.MUTUAL_AID)
        organization = self.street1_orgs[0]
        author = make_org_user(organization, username="yinling")
        self.project = make_project(organization, places.street1, title="银龄互助项目")
        for n in range(3):
            make_entry(self.project, author, title=f"敬老活动{n + 1}", date=dt.date(2026, 3, 10 + n), submit=True)
        applicant = make_user(Role.ORG_USER, places.community11, username="newcomer")
        application = make_application(applicant, name="一街道新成立的互助队")
        registry_services.application_submit(application=application, by=applicant)


def assert_is_the_record_page(page, href):
    """The browser shows the record's own page: its URL, one top bar, one menu, no list around it."""
    page.wait_for_url(lambda url: urlparse(url).path == href)
    page.wait_for_load_state("load")
    expect(page.locator("nav.navbar")).to_have_count(1)
    expect(page.locator("main")).to_have_count(1)
    expect(page.locator("h1")).to_have_count(1)
    assert urlparse(page.url).path == href


def open_first_record(page, list_url, sort_header=None):
    page.goto(list_url)
    if sort_header:
        # Sorting swaps the table in place; the record links in the new table must still navigate.
        page.click(f"#object-list thead a:has-text('{sort_header}')")
        page.wait_for_url("**sort=**")
    link = page.locator(RECORD_LINK).first
    href = link.get_attribute("href")
    link.click()
    assert_is_the_record_page(page, href)
    return href


def test_a_record_opened_from_any_list_is_its_own_page(page, login, logout):
    district = District()

    login(page, district.staff.username, PASSWORD)
    assert open_first_record(page, "/registry/organizations/").startswith("/registry/organizations/")
    assert open_first_record(page, "/registry/organizations/", sort_header="名称").startswith(
        "/registry/organizations/"
    )
    assert open_first_record(page, "/registry/applications/").startswith("/registry/applications/")
    assert open_first_record(page, "/projects/") == district.project.get_absolute_url()
    assert open_first_record(page, "/projects/entries/").startswith("/projects/entries/")
    # The pager swaps the table too; links in the page it brings still navigate.
    page.goto("/projects/entries/?sort=date")
    page.click("#object-list thead a:has-text('日期')")
    page.wait_for_url("**sort=-date**")
    link = page.locator(RECORD_LINK).first
    href = link.get_attribute("href")
    link.click()
    assert_is_the_record_page(page, href)
    logout(page)

    # From the home page's to-do link to the list, then to the record.
    login(page, district.officer.username, PASSWORD)
    page.goto("/")
    page.click("#todos a[href^='/registry/applications/']")
    page.wait_for_url("**/registry/applications/?awaiting_me=true")
    link = page.locator(RECORD_LINK).first
    href = link.get_attribute("href")
    link.click()
    assert_is_the_record_page(page, href)
    assert "一街道新成立的互助队" in page.inner_text("main")
    logout(page)

    # The public register, anonymously, after a search in place.
    page.goto("/public/")
    page.fill("#id_q", "一街道")
    page.press("#id_q", "End")
    expect(page.locator("#object-list tbody tr")).to_have_count(5)
    link = page.locator(RECORD_LINK).first
    href = link.get_attribute("href")
    link.click()
    assert_is_the_record_page(page, href)
    assert href.startswith("/public/organizations/")


def test_the_export_holds_the_rows_of_the_filtered_sorted_page_in_its_order(page, login):
    district = District()
    login(page, district.viewer.username, PASSWORD)
    page.goto("/registry/organizations/")
    names = page.locator("#object-list tbody tr td:first-child")
    expect(names).to_have_count(8)

    # Filter to street 1 and sort by name, descending: both in place (htmx), no reload.
    page.evaluate("window.__notReloaded = true")
    page.select_option("#id_street", str(district.places.street1.pk))
    expect(names).to_have_count(5)
    page.click("#object-list thead a:has-text('名称')")
    page.wait_for_url("**sort=name**")
    page.click("#object-list thead a:has-text('名称')")
    page.wait_for_url("**sort=-name**")
    expect(names.first).to_have_text(max(org.name for org in district.street1_orgs))
    # Changing the filter again keeps the chosen sort.
    page.select_option("#id_category", Category.MUTUAL_AID)
    expect(names).to_have_count(3)
    assert "sort=-name" in page.url and "category=mutual_aid" in page.url
    assert page.evaluate("window.__notReloaded") is True
    shown = names.all_inner_texts()
    assert shown == sorted(shown, reverse=True)

    with page.expect_download() as download_info:
        page.click("#export-xlsx")
    workbook = openpyxl.load_workbook(io.BytesIO(download_info.value.path().read_bytes()))
    rows = list(workbook.worksheets[0].iter_rows(values_only=True))
    assert rows[0][0] == "名称"
    assert [row[0] for row in rows[1:]] == shown


def test_on_a_phone_the_menu_folds_away_and_tables_scroll_sideways(browser, live_server, login):
    district = District()
    context = browser.new_context(
        base_url=live_server.url, locale="zh-CN", viewport={"width": 390, "height": 844}, is_mobile=True
    )
    context.set_default_timeout(15000)
    page = context.new_page()
    try:
        login(page, district.staff.username, PASSWORD)
        page.goto("/registry/organizations/")

        # The content starts on the first screen; the menu is behind the toggle.
        assert page.locator("h1").bounding_box()["y"] < 300
        sidebar = page.locator("#sidebar")
        expect(sidebar).to_be_hidden()
        page.click("#menu-toggle")
        expect(sidebar).to_be_visible()
        expect(sidebar.locator("a.nav-link").first).to_be_visible()
        page.click("#sidebar .btn-close")
        expect(sidebar).to_be_hidden()

        # The table scrolls inside its container, not the page; names stay on a readable line.
        name = page.locator("#object-list tbody tr td:first-child").first
        assert name.bounding_box()["width"] > 6 * 16
        assert name.bounding_box()["height"] < 3 * 24
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        scroller = page.locator("#object-list .table-responsive")
        assert scroller.evaluate("element => element.scrollWidth > element.clientWidth")
    finally:
        context.close()
