"""Under the Content-Security-Policy the site still works in Chromium and the browser reports no
violation: language switcher, htmx sorting and filtering, progress bars, Cancel links, API docs."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from accounts.choices import Role
from projects import services as project_services
from tests.accounts.factories import PASSWORD, Jurisdiction, make_user
from tests.projects.factories import make_project
from tests.registry.factories import make_org_user, make_organization

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Chromium logs a refused script or style to the console; the securitypolicyviolation event is
# logged too, so a violation whose console line changes wording is still caught.
REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", function (event) {
  console.error("CSP violation: " + event.violatedDirective + " " + event.blockedURI + " " + event.sourceFile);
});
"""


def test_pages_work_without_any_policy_violation(page, login):
    places = Jurisdiction()
    officer = make_user(Role.STREET_OFFICER, places.street1, username="street1", full_name="陈街道")
    for name in ("甲乙互助会", "丙丁志愿队", "戊己文体社"):
        make_organization(places.community11, name=name)
    organization = make_organization(places.community11, name="银龄服务社")
    project = make_project(organization, places.street1, title="银龄互助项目")
    project_services.expenditure_create(
        project=project,
        by=make_org_user(organization),
        budget_line=project.budget_lines.get(name="活动费"),
        date=dt.date(2026, 2, 1),
        amount="15000.00",
        payee="文具店",
        voucher_number="P-001",
    )

    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append((message.text, message.location)))
    page.on("pageerror", lambda error: errors.append((str(error), {})))
    page.context.add_init_script(REPORT_VIOLATIONS)

    login(page, officer.username, PASSWORD)

    # The language select submits its form from app.js (no onchange attribute).
    page.select_option("select[name=language]", "en")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert "Log out" in page.inner_text("body") or "Change password" in page.content()
    page.select_option("select[name=language]", "zh-hans")
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")

    # Sorting a list is an htmx request: the page is not reloaded, the rows come back sorted.
    page.goto("/registry/organizations/")
    page.evaluate("window.__notReloaded = true")
    names = page.locator("#object-list tbody tr td:first-child")
    assert names.count() == 4
    page.click("#object-list thead a:has-text('名称')")
    page.wait_for_url("**sort=name**")
    page.click("#object-list thead a:has-text('名称')")
    page.wait_for_url("**sort=-name**")
    expect(names.first).to_have_text("银龄服务社")
    assert page.evaluate("window.__notReloaded") is True
    # The filter form is driven by htmx too (keyup with a delay).
    # (typing Chinese through an input method sends no key events: fill, then a key is released.)
    page.fill("#id_q", "互助")
    page.press("#id_q", "End")
    expect(names).to_have_count(1)
    assert page.evaluate("window.__notReloaded") is True

    # Progress bars take their width from data-progress (no style attribute).
    page.goto(f"/projects/{project.pk}/")
    bar = page.locator("#budget .progress-bar").first
    expect(bar).to_have_text("25%")
    assert bar.evaluate("element => element.style.width") == "25%"
    assert bar.bounding_box()["width"] > 0

    # Cancel goes back without a javascript: link.
    page.goto(f"/projects/{project.pk}/edit/")
    page.click("a:has-text('取消')")
    page.wait_for_url(f"**/projects/{project.pk}/")

    # Swagger UI renders under its own page's policy (scripts still 'self').
    page.goto("/api/docs/")
    page.wait_for_selector(".swagger-ui .information-container")

    # The browser's request for /favicon.ico (there is none) is the one error expected.
    errors = [text for text, location in errors if not location.get("url", "").endswith("/favicon.ico")]
    assert not [text for text in errors if "Content Security Policy" in text or "CSP" in text], errors
    assert not errors, errors
