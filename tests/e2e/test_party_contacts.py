"""The party secretary opens the list of organizations overdue for a contact, records a contact for
one of them, and the list shrinks by that organization. At phone width too."""

import datetime as dt
import os

import pytest

from tests.accounts.factories import PASSWORD, Jurisdiction
from tests.party.factories import make_area_body, make_secretary
from tests.registry.factories import make_organization

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _shot(page, tmp_path, name):
    page.screenshot(path=str(tmp_path / name), full_page=True)
    if os.environ.get("SCREENSHOT_DIR"):
        page.screenshot(path=os.path.join(os.environ["SCREENSHOT_DIR"], name), full_page=True)


def _overdue_names(page) -> list[str]:
    return [name.strip() for name in page.locator("#object-list tbody tr td:first-child").all_inner_texts()]


def test_secretary_records_a_contact_and_the_overdue_list_shrinks(page, login, tmp_path):
    places = Jurisdiction()
    long_ago = dt.date(2019, 5, 1)
    make_organization(places.community11, name="一社区夕阳红服务队", established_on=long_ago)
    make_organization(places.community12, name="二社区邻里互助会", established_on=long_ago)
    make_organization(places.community21, name="二街道文体协会", established_on=long_ago)
    make_area_body(places.street1, name="一街道党工委")
    make_secretary(places.street1, username="streetparty", full_name="周书记")

    login(page, "streetparty", PASSWORD)
    page.goto("/")
    # The to-do on the home page leads to the overdue list.
    page.click("text=逾期未联系的社会组织")
    page.wait_for_url("**/party/contacts/overdue/**")
    assert page.inner_text("h1") == "逾期未联系的社会组织"
    names = _overdue_names(page)
    assert sorted(names) == ["一社区夕阳红服务队", "二社区邻里互助会"]  # the street's communities only
    assert "一街道党工委" in page.inner_text("#object-list")
    _shot(page, tmp_path, "party-overdue.png")

    row = page.locator("#object-list tbody tr", has_text="二社区邻里互助会")
    row.locator(".record-contact").click()
    page.wait_for_selector("#party-form")
    page.fill("#id_contacted_on", dt.date.today().isoformat())
    page.select_option("#id_form", "visit")
    page.fill("#id_topics", "走访了解党员队伍和换届准备情况")
    page.fill("#id_issues", "活动场地不足")
    page.click("#save")
    page.wait_for_url("**/party/contacts/overdue/**")
    assert "联系情况已登记。" in page.inner_text("main")
    assert _overdue_names(page) == ["一社区夕阳红服务队"]

    # At phone width the list still reads (the table scrolls sideways) and the button is reachable.
    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    button = page.locator(".record-contact").first
    button.scroll_into_view_if_needed()
    assert button.is_visible()
    _shot(page, tmp_path, "party-overdue-phone.png")
