"""The party statistics page in Chromium: ECharts draws both charts under the Content-Security-Policy
(no violation, no script error), each chart is described for screen readers (aria-label from ECharts'
aria option) and its data table is there."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from accounts.choices import Role
from party.models import PartyCoverage, PartyOrganization
from registry.choices import PartyForm
from tests.accounts.factories import PASSWORD, Jurisdiction, make_user
from tests.e2e.test_csp import REPORT_VIOLATIONS
from tests.registry.factories import make_organization

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_statistics_charts_render_described_without_policy_violation(page, login):
    places = Jurisdiction()
    admin = make_user(Role.BUREAU_ADMIN, places.district, username="stats-admin")
    founded = dt.date(2015, 1, 1)
    covered = make_organization(places.community11, established_on=founded)
    make_organization(places.community21, established_on=founded)
    body = PartyOrganization.objects.create(
        name="互助会党支部", level="branch", formation="standalone", region=places.community11,
        established_on=dt.date(2019, 1, 1), full_member_count=3,
    )  # fmt: skip
    PartyCoverage.objects.create(
        organization=covered, form=PartyForm.STANDALONE, party_organization=body, full_party_members=3,
        valid_from=dt.date(2020, 1, 1),
    )  # fmt: skip

    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append((message.text, message.location)))
    page.on("pageerror", lambda error: errors.append((str(error), {})))
    page.context.add_init_script(REPORT_VIOLATIONS)
    login(page, admin.username, PASSWORD)
    page.goto("/party/statistics/?date=2026-06-01")

    expect(page.locator("#statistics-table caption")).to_contain_text("党建覆盖情况")
    expect(page.locator("#statistics-table tbody tr[data-kind=total] th")).to_have_text("合计")
    for chart in ("#chart-rates", "#chart-formations"):
        expect(page.locator(f"{chart} canvas")).to_have_count(1)
        assert page.locator(f"{chart} canvas").bounding_box()["height"] > 100
    rates = page.locator("#chart-rates").get_attribute("aria-label")
    assert "一街道：党组织覆盖率 100.0%，党的工作覆盖率 100.0%" in rates and "二街道：党组织覆盖率 0.0%" in rates
    assert "单独组建 1" in page.locator("#chart-formations").get_attribute("aria-label")
    page.click("#chart-rates-title ~ details summary")
    expect(page.locator("#chart-rates-table tbody tr")).to_have_count(2)
    # The browser's request for /favicon.ico (there is none) is the one error expected.
    assert [text for text, location in errors if not location.get("url", "").endswith("/favicon.ico")] == []
