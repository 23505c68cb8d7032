"""A filter over many organizations in Chromium: the clerk types two characters in its search box,
picks one of the options the endpoint answers (keyboard, then mouse at phone width), and the list
shows that organization's rows only. The select never held the other organizations."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from accounts.choices import Role
from tests.accounts.factories import PASSWORD, Jurisdiction, make_user
from tests.party.factories import make_contact
from tests.registry.factories import make_organization

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROWS = "#object-list tbody tr"


def _data():
    places = Jurisdiction()
    silver = make_organization(places.community11, name="银龄互助会")
    make_organization(places.community12, name="银杏读书会")
    sunshine = make_organization(places.community21, name="阳光志愿队")
    make_organization(places.other_community, name="银河合唱团")  # another district's: never offered
    make_contact(silver, topics="了解银龄互助会党建")
    make_contact(sunshine, topics="了解阳光志愿队党建")
    make_user(Role.BUREAU_STAFF, places.district, username="clerk", full_name="李晓梅")
    return silver, sunshine


def test_type_two_characters_pick_an_organization_and_the_list_filters(page, login):
    silver, _sunshine = _data()
    login(page, "clerk", PASSWORD)
    page.goto("/party/contacts/")
    expect(page.locator(ROWS)).to_have_count(2)
    expect(page.locator("#id_organization option")).to_have_count(1)  # 全部 only

    search = page.get_by_role("combobox", name="搜索社会组织")
    expect(search).to_be_visible()
    listbox = page.locator("#id_organization_listbox")
    search.fill("银")
    expect(listbox.get_by_role("option")).to_have_count(2)  # not the other district's 银河合唱团
    assert sorted(listbox.get_by_role("option").all_inner_texts())[0].startswith("银杏读书会")
    search.fill("银龄")
    expect(listbox.get_by_role("option")).to_have_text([f"银龄互助会（{silver.uscc}）"])
    expect(search).to_have_attribute("aria-expanded", "true")
    # The open combobox and its listbox pass axe (the crawl of every page sees them closed).
    violations = Axe().run(page).response["violations"]
    assert [v["id"] for v in violations if v["impact"] in ("serious", "critical")] == []

    # Keyboard: the arrow marks the option (aria-activedescendant), Enter picks it.
    search.press("ArrowDown")
    expect(listbox.locator("[aria-selected=true]")).to_have_count(1)
    assert search.get_attribute("aria-activedescendant") == listbox.locator("[aria-selected=true]").get_attribute("id")
    search.press("Enter")
    page.wait_for_url(lambda url: f"organization={silver.pk}" in url)
    expect(listbox).to_be_hidden()
    expect(search).to_have_attribute("aria-expanded", "false")
    expect(page.locator(ROWS)).to_have_count(1)
    expect(page.locator(ROWS)).to_contain_text("银龄互助会")
    expect(page.locator("#id_organization option:checked")).to_have_text(f"银龄互助会（{silver.uscc}）")


def test_pick_with_the_mouse_at_phone_width(page, login):
    _silver, sunshine = _data()
    page.set_viewport_size({"width": 375, "height": 740})
    login(page, "clerk", PASSWORD)
    page.goto("/party/contacts/")
    search = page.get_by_role("combobox", name="搜索社会组织")
    search.fill("阳光")
    option = page.locator("#id_organization_listbox").get_by_role("option", name=f"阳光志愿队（{sunshine.uscc}）")
    expect(option).to_be_visible()
    box = option.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 375
    option.click()
    page.wait_for_url(lambda url: f"organization={sunshine.pk}" in url)
    expect(page.locator(ROWS)).to_have_count(1)
    expect(page.locator(ROWS)).to_contain_text("阳光志愿队")
    # Reloaded from its URL (no JavaScript needed for that), the filter shows the chosen one.
    page.reload()
    expect(page.locator("#id_organization option:checked")).to_have_text(f"阳光志愿队（{sunshine.uscc}）")
    expect(page.locator("#id_organization option")).to_have_count(2)
