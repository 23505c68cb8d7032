"""An organization files online, the street officer and the bureau approve, and the
organization appears on the public register."""

import os

import pytest

from accounts.choices import Role
from tests.accounts.factories import PASSWORD, Jurisdiction, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
NAME = "一街道一社区银龄互助队"


def _shot(page, tmp_path, name):
    page.screenshot(path=str(tmp_path / name), full_page=True)
    if os.environ.get("SCREENSHOT_DIR"):
        page.screenshot(path=os.path.join(os.environ["SCREENSHOT_DIR"], name), full_page=True)


def test_filing_is_reviewed_and_published(page, login, logout, tmp_path):
    places = Jurisdiction()
    applicant = make_user(Role.ORG_USER, places.community11, username="yinling", full_name="钱桂英")
    make_user(Role.STREET_OFFICER, places.street1, username="street1", full_name="陈街道")
    make_user(Role.BUREAU_STAFF, places.district, username="clerk", full_name="李晓梅")
    articles, identity = tmp_path / "章程.pdf", tmp_path / "负责人身份证.pdf"
    articles.write_bytes(PDF)
    identity.write_bytes(PDF)

    # The organization fills the filing form and attaches its documents.
    login(page, applicant.username, PASSWORD)
    page.goto("/registry/organizations/")
    page.click("#apply-file")
    page.fill("#id_name", NAME)
    page.select_option("#id_category", "mutual_aid")
    page.select_option("#id_region", str(places.community11.pk))
    page.fill("#id_legal_representative", "钱桂英")
    page.fill("#id_phone", "13805710001")
    page.fill("#id_address", "一街道一社区服务中心二楼")
    page.fill("#id_member_count", "18")
    page.click("#save-application")
    page.wait_for_selector("#application-state")
    assert "草稿" in page.inner_text("#application-state")
    for kind, path in (("articles", articles), ("identity", identity)):
        page.select_option("#id_kind", kind)
        page.set_input_files("#id_file", str(path))
        page.click("#upload-attachment")
        page.wait_for_selector(f"#attachment-list >> text={path.name}")
    page.click("#transition-submit")
    page.wait_for_selector("#application-state >> text=街道初审")
    application_url = page.url
    _shot(page, tmp_path, "registry-filing-submitted.png")
    logout(page)

    # The street officer passes it to the bureau.
    login(page, "street1", PASSWORD)
    page.goto("/registry/applications/?awaiting_me=true")
    assert NAME in page.inner_text("#object-list")
    page.click("#object-list tbody a")
    page.wait_for_url(application_url)
    assert "章程.pdf" in page.inner_text("#attachment-list")
    page.fill("#reason-approve", "材料齐全，同意备案。")
    page.click("#transition-approve")
    page.wait_for_selector("#application-state >> text=民政局审核")
    logout(page)

    # The bureau approves; the receipt carries the filing number.
    login(page, "clerk", PASSWORD)
    page.goto(application_url)
    page.click("#transition-approve")
    page.wait_for_selector("#application-state >> text=已核准")
    path = page.inner_text("#application-path")
    assert "陈街道" in path and "李晓梅" in path and "材料齐全" in path
    _shot(page, tmp_path, "registry-filing-approved.png")
    with page.expect_popup() as popup_info:
        page.click("#print-receipt")
    receipt = popup_info.value
    receipt.wait_for_load_state()
    assert "备案证明" in receipt.inner_text("#receipt")
    assert f"{places.district.code}-" in receipt.inner_text("#receipt")
    # Under the Content-Security-Policy the receipt is styled by its stylesheet and printed by app.js.
    assert receipt.locator("h1").evaluate("element => getComputedStyle(element).textAlign") == "center"
    receipt.evaluate("window.print = () => { window.printed = true; }")
    receipt.click("button[data-print]")
    assert receipt.evaluate("window.printed") is True
    receipt.close()
    logout(page)

    # Anyone finds it on the public register by part of its name.
    page.goto("/public/")
    page.fill("#id_q", "银龄互助")
    page.click("#public-search")
    page.wait_for_selector(f"#object-list >> text={NAME}")
    page.click(f"#object-list >> text={NAME}")
    page.wait_for_selector("#public-status")
    assert "正常" in page.inner_text("#public-status")
    assert "钱桂英" in page.inner_text("#public-fields")
    assert "13805710001" not in page.inner_text("body")  # the phone is not public
    _shot(page, tmp_path, "registry-public-page.png")
