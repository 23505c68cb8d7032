"""The demo bureau administrator logs in, sees the home page in Chinese, and logs out."""

import os

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_demo_admin_logs_in_sees_chinese_home_and_logs_out(seeded_demo, page, login, logout, tmp_path):
    login(page, "admin", "Demo@2026")
    title = page.locator("#home-title")
    assert "欢迎" in title.inner_text()
    assert "王建国" in title.inner_text()
    body = page.locator("body").inner_text()
    assert "区民政局管理员" in body
    assert "用户" in body and "行政区划" in body
    page.screenshot(path=str(tmp_path / "home.png"), full_page=True)
    if os.environ.get("SCREENSHOT_DIR"):
        page.screenshot(path=os.path.join(os.environ["SCREENSHOT_DIR"], "home.png"), full_page=True)
    assert (tmp_path / "home.png").stat().st_size > 10_000
    logout(page)
    assert "登录" in page.locator("h1").inner_text()
    # After logging out the home page is no longer reachable.
    page.goto("/")
    assert "/accounts/login/" in page.url
