"""Ending a listing (社会组织信用信息管理办法, 2018): filing the missing annual report proposes the removal
to the bureau; six months on the list with nothing to rectify is proposed by the nightly job — a
to-do, decided by a person; a serious-violation listing ends only two years after it began with no
new listing since (a new listing restarts the clock). Dates, never sleeping."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import formats, timezone
from rest_framework.test import APIClient

from core.models import AuditRecord
from supervision import services
from supervision.choices import ListingEndReason, ListingReason, RemovalProposal
from supervision.models import AbnormalListing, SeriousViolationListing

from ..registry.factories import make_org_user, make_organization
from .factories import make_listing, make_report, make_submitted_report

pytestmark = pytest.mark.django_db

TODO = "待决定移出的活动异常名录"


@pytest.fixture
def org(places):
    return make_organization(places.community11, name="一社区志愿者协会", established_on=dt.date(2019, 1, 1))


@pytest.fixture
def org_user(org):
    return make_org_user(org)


def todo_count(client) -> int:
    todos = {todo["label"]: todo for todo in client.get("/").context["todos"]}
    return todos[TODO]["count"] if TODO in todos else 0


def chinese_date(day: dt.date) -> str:
    return formats.date_format(day, "DATE_FORMAT")


# ------------------------------------------------------------- the missing report filed at last


def test_filing_the_missing_report_proposes_the_removal_and_a_person_decides(org, org_user, users, client_for):
    services.listings_daily_run(today=dt.date(2026, 6, 2))
    listing = AbnormalListing.objects.get(organization=org)
    assert (listing.reason, listing.report_year, listing.removal_proposal) == ("no_annual_report", 2025, "")
    report = services.annual_report_submit(report=make_report(org, 2025, by=org_user), by=org_user)
    listing.refresh_from_db()
    assert listing.removal_pending and listing.is_active  # proposed, not removed
    assert (listing.removal_proposal, listing.removal_proposed_on) == (
        RemovalProposal.REPORT_FILED,
        timezone.localdate(),
    )
    assert AuditRecord.objects.filter(
        object_id=str(listing.pk), content_type__model="abnormallisting", message="建议移出：缺报的年度报告已补报"
    ).exists()
    assert todo_count(client_for("bureau_staff")) == 1
    assert todo_count(client_for("street_officer")) == 0
    # The report is returned: nothing is proposed any more; resubmitted: proposed again.
    report = services.annual_report_return(report=report, by=users["bureau_staff"], reason="收支不符")
    listing.refresh_from_db()
    assert not listing.removal_pending and listing.removal_proposal == ""
    assert todo_count(client_for("bureau_staff")) == 0
    services.annual_report_submit(report=report, by=org_user)
    assert todo_count(client_for("bureau_staff")) == 1
    # The bureau removes it; the proposal's reason is the form's choice.
    page = client_for("bureau_staff").get(listing.get_absolute_url()).content.decode()
    assert 'id="removal-pending"' in page and 'value="report_filed" selected' in page
    client_for("bureau_staff").post(
        reverse("supervision:abnormallisting_remove", args=[listing.pk]),
        {"end_reason": "report_filed", "end_note": "已补报2025年度工作报告"},
    )
    listing.refresh_from_db()
    assert (listing.is_active, listing.end_reason) == (False, ListingEndReason.REPORT_FILED)
    assert todo_count(client_for("bureau_staff")) == 0


def test_the_report_filed_is_a_reason_only_once_it_is(org, users):
    staff = users["bureau_staff"]
    listing = make_listing(org, ListingReason.NO_ANNUAL_REPORT, by=staff, report_year=2025, note="未报送")
    make_report(org, 2025)  # a draft is no report
    with pytest.raises(ValidationError) as error:
        services.abnormal_listing_remove(listing=listing, by=staff, end_reason="report_filed", note="已补报")
    assert error.value.message_dict == {"end_reason": ["2025 年度报告尚未报送。"]}
    other = make_listing(org, ListingReason.UNREACHABLE, by=staff)
    with pytest.raises(ValidationError) as error:
        services.abnormal_listing_remove(listing=other, by=staff, end_reason="report_filed", note="已补报")
    assert error.value.message_dict == {"end_reason": ["只有因未报送年度报告而列入的，才能以已补报为由移出。"]}


def test_the_nightly_job_catches_a_report_filed_before_the_listing(org, org_user, users):
    services.annual_report_submit(report=make_report(org, 2024, by=org_user), by=org_user)
    listing = make_listing(org, ListingReason.NO_ANNUAL_REPORT, by=users["bureau_staff"], report_year=2024)
    assert listing.removal_proposal == ""
    assert services.propose_removals(today=timezone.localdate()) == 1
    assert services.propose_removals(today=timezone.localdate()) == 0
    listing.refresh_from_db()
    assert listing.removal_proposal == RemovalProposal.REPORT_FILED


# --------------------------------------------------------------------- six months, nothing to do


def test_six_months_with_nothing_to_rectify_is_proposed_by_the_nightly_job(org, users, places, client_for):
    staff = users["bureau_staff"]
    warned = make_listing(org, ListingReason.WARNED_OR_FINED, by=staff, listed_on=dt.date(2026, 1, 31), note="警告")
    other = make_organization(places.community12, name="另一协会")
    unreachable = make_listing(other, ListingReason.UNREACHABLE, by=staff, listed_on=dt.date(2026, 1, 31))
    for filed in (org, other):  # in time: nothing else is listed that night
        make_submitted_report(filed, 2025)
    assert services.listings_daily_run(today=dt.date(2026, 7, 30))["proposed"] == 0  # due 31 July
    assert services.listings_daily_run(today=dt.date(2026, 7, 31))["proposed"] == 1
    assert services.listings_daily_run(today=dt.date(2026, 7, 31))["proposed"] == 0  # idempotent
    warned.refresh_from_db()
    unreachable.refresh_from_db()
    assert warned.is_active and warned.removal_proposal == RemovalProposal.NOTHING_TO_RECTIFY  # not removed
    assert warned.removal_proposed_on == dt.date(2026, 7, 31)
    assert unreachable.removal_proposal == ""  # there is something to rectify
    record = AuditRecord.objects.get(object_id=str(warned.pk), content_type__model="abnormallisting", actor=None,
                                     action="transition")  # fmt: skip
    assert record.message == "建议移出：列入满六个月且无需整改"
    assert todo_count(client_for("bureau_staff")) == 1
    # A person decides: here, to keep it listed — with the grounds; the job does not propose it again.
    with pytest.raises(ValidationError) as error:
        services.abnormal_listing_keep(listing=warned, by=staff, note=" ")
    assert error.value.message_dict == {"removal_decline_note": ["请填写继续列入的依据。"]}
    for name in ("street_officer", "bureau_viewer", "other_district_staff", "community_party"):
        with pytest.raises(PermissionDenied):
            services.abnormal_listing_keep(listing=warned, by=users[name], note="不同意")
    services.abnormal_listing_keep(listing=warned, by=staff, note="处罚决定尚在复议期")
    with pytest.raises(ValidationError) as error:  # a second click finds nothing to decide
        services.abnormal_listing_keep(listing=warned, by=staff, note="处罚决定尚在复议期")
    assert error.value.message_dict == {"removal_proposal": ["该名录记录没有待决定的移出建议。"]}
    warned.refresh_from_db()
    assert (warned.removal_declined_by, warned.removal_decline_note) == (staff, "处罚决定尚在复议期")
    assert services.listings_daily_run(today=dt.date(2026, 8, 1))["proposed"] == 0
    assert todo_count(client_for("bureau_staff")) == 0
    rows = client_for("bureau_staff").get(reverse("supervision:abnormallisting_list"), {"removal": "kept"})
    assert [row.record for row in rows.context["table"].page.object_list] == [warned]


def test_a_new_listing_restarts_the_six_months(org, users):
    staff = users["bureau_staff"]
    warned = make_listing(org, ListingReason.WARNED_OR_FINED, by=staff, listed_on=dt.date(2026, 1, 1), note="罚款")
    make_listing(org, ListingReason.UNREACHABLE, by=staff, listed_on=dt.date(2026, 4, 1))
    assert services.propose_removals(today=dt.date(2026, 7, 2)) == 0
    with pytest.raises(ValidationError) as error:
        services.abnormal_listing_remove(
            listing=warned, by=staff, end_reason="nothing_to_rectify", note="满六个月", on=dt.date(2026, 9, 30)
        )
    assert "2026-10-01" in error.value.message_dict["end_reason"][0]
    assert services.propose_removals(today=dt.date(2026, 10, 1)) == 1
    services.abnormal_listing_remove(
        listing=warned, by=staff, end_reason="nothing_to_rectify", note="满六个月", on=dt.date(2026, 10, 1)
    )


def test_the_keep_page_and_its_refusals(org, users, client_for):
    warned = make_listing(org, ListingReason.WARNED_OR_FINED, by=users["bureau_staff"], listed_on=dt.date(2026, 1, 1))
    services.propose_removals(today=dt.date(2026, 7, 1))
    url = reverse("supervision:abnormallisting_keep", args=[warned.pk])
    page = client_for("bureau_staff").get(warned.get_absolute_url()).content.decode()
    assert 'id="keep-form"' in page and 'value="nothing_to_rectify" selected' in page
    assert 'id="keep-form"' not in client_for("bureau_viewer").get(warned.get_absolute_url()).content.decode()
    assert client_for("other_district_staff").post(url, {"note": "越权"}).status_code == 404
    assert client_for("street_officer").post(url, {"note": "越权"}).status_code == 404
    response = client_for("bureau_staff").post(url, {"note": ""}, follow=True)
    assert "请填写继续列入的依据。" in response.content.decode()
    client_for("bureau_staff").post(url, {"note": "复议中"})
    warned.refresh_from_db()
    assert warned.removal_declined_on == timezone.localdate()


def test_the_api_tells_and_takes_the_decision(org, users):
    warned = make_listing(org, ListingReason.WARNED_OR_FINED, by=users["bureau_staff"], listed_on=dt.date(2026, 1, 1))
    services.propose_removals(today=dt.date(2026, 7, 1))
    api = APIClient()
    api.force_authenticate(users["bureau_admin"])
    api.credentials(HTTP_ACCEPT_LANGUAGE="zh-hans")
    listed = api.get("/api/v1/abnormal-listings/", {"removal": "proposed"}).json()["results"]
    assert [(row["id"], row["removal_proposal"], row["removal_pending"]) for row in listed] == [
        (warned.pk, "nothing_to_rectify", True)
    ]
    response = api.post(f"/api/v1/abnormal-listings/{warned.pk}/keep/", {"note": ""})
    assert response.status_code == 400 and response.json()["errors"] == {
        "removal_decline_note": ["请填写继续列入的依据。"]
    }
    response = api.post(f"/api/v1/abnormal-listings/{warned.pk}/keep/", {"note": "复议中"})
    assert response.json()["removal_pending"] is False and response.json()["removal_decline_note"] == "复议中"
    assert api.get("/api/v1/abnormal-listings/", {"removal": "proposed"}).json()["results"] == []


# ------------------------------------------------------------------ the serious list: two years


def test_a_serious_listing_ends_only_two_years_after_it_began(org, users, client_for):
    staff, today = users["bureau_staff"], timezone.localdate()
    begun = services.years_after(today, -2) + dt.timedelta(days=1)
    serious = services.serious_listing_create(organization=org, note="严重违法", by=staff, listed_on=begun)
    with pytest.raises(ValidationError) as error:
        services.serious_listing_remove(listing=serious, by=staff, end_reason="rectified", note="已整改")
    tomorrow = chinese_date(today + dt.timedelta(days=1))
    assert error.value.message_dict == {
        "end_reason": [f"严重违法失信名单自列入之日起满两年且期间未被再次列入，方可移出：{tomorrow}起可以移出。"]
    }
    page = client_for("bureau_staff").get(serious.get_absolute_url()).content.decode()
    assert tomorrow in page
    api = APIClient()
    api.force_authenticate(users["bureau_viewer"])
    assert (
        api.get(f"/api/v1/serious-violation-listings/{serious.pk}/").json()["removable_from"]
        == (today + dt.timedelta(days=1)).isoformat()
    )
    # A listing in error is corrected at once.
    services.serious_listing_remove(listing=serious, by=staff, end_reason="listed_in_error", note="主体认定错误")
    again = services.serious_listing_create(
        organization=org, note="严重违法", by=staff, listed_on=services.years_after(today, -2)
    )
    services.serious_listing_remove(listing=again, by=staff, end_reason="rectified", note="满两年且已整改")
    assert not SeriousViolationListing.objects.filter(ended_on__isnull=True).exists()


def test_a_new_listing_restarts_the_two_years(org, users):
    staff, today = users["bureau_staff"], timezone.localdate()
    serious = services.serious_listing_create(
        organization=org, note="严重违法", by=staff, listed_on=services.years_after(today, -3)
    )
    assert services.serious_removable_from(serious) == services.years_after(today, -1)
    relisted_on = today - dt.timedelta(days=100)
    make_listing(org, ListingReason.UNREACHABLE, by=staff, listed_on=relisted_on)
    restarted = services.years_after(relisted_on, 2)
    assert services.serious_removable_from(serious) == restarted
    with pytest.raises(ValidationError) as error:
        services.serious_listing_remove(listing=serious, by=staff, end_reason="rectified", note="已整改")
    assert f"{chinese_date(restarted)}起可以移出" in error.value.messages[0]
    # A listing older than the serious one does not restart it.
    other = make_organization(org.region, name="另一协会")
    make_listing(other, ListingReason.UNREACHABLE, by=staff, listed_on=services.years_after(today, -4))
    serious_other = services.serious_listing_create(
        organization=other, note="严重违法", by=staff, listed_on=services.years_after(today, -2)
    )
    services.serious_listing_remove(listing=serious_other, by=staff, end_reason="rectified", note="满两年")


def test_a_listing_moved_into_the_serious_list_restarts_its_clock(org, users):
    staff, today = users["bureau_staff"], timezone.localdate()
    serious = services.serious_listing_create(
        organization=org, note="严重违法", by=staff, listed_on=services.years_after(today, -3)
    )
    old = make_listing(org, ListingReason.UNREACHABLE, by=staff, listed_on=services.years_after(today, -4))
    moved_on = today - dt.timedelta(days=10)
    assert services.move_long_listings(today=moved_on) == 1
    old.refresh_from_db()
    assert old.serious_listing == serious  # into the listing in force, no second one
    assert services.serious_removable_from(serious) == services.years_after(moved_on, 2)


def test_moving_is_set_based_and_idempotent(places, users, django_assert_max_num_queries):
    staff, today = users["bureau_staff"], dt.date(2026, 6, 10)
    long_ago = dt.date(2024, 6, 1)
    a = make_organization(places.community11, name="甲协会")
    b = make_organization(places.community12, name="乙协会")
    c = make_organization(places.community21, name="丙协会")
    make_listing(a, ListingReason.UNREACHABLE, by=staff, listed_on=long_ago)
    make_listing(a, ListingReason.NO_PARTY_ORGANIZATION, by=staff, listed_on=dt.date(2024, 6, 5))
    make_listing(b, ListingReason.RECTIFICATION_OVERDUE, by=staff, listed_on=long_ago)
    already = services.serious_listing_create(organization=b, note="严重违法", by=staff, listed_on=dt.date(2025, 1, 1))
    make_listing(c, ListingReason.UNREACHABLE, by=staff, listed_on=dt.date(2025, 1, 1))  # not two years yet
    with django_assert_max_num_queries(12):
        assert services.move_long_listings(today=today) == 3
    assert services.move_long_listings(today=today) == 0
    serious = {s.organization.name: s for s in SeriousViolationListing.objects.filter(ended_on__isnull=True)}
    assert set(serious) == {"甲协会", "乙协会"} and serious["乙协会"] == already
    assert serious["甲协会"].listing_note == "自 2024-06-01 起列入活动异常名录（通过登记的住所无法取得联系）。"
    moved = AbnormalListing.objects.filter(end_reason=ListingEndReason.MOVED_TO_SERIOUS)
    assert {(m.organization.name, m.serious_listing_id) for m in moved} == {
        ("甲协会", serious["甲协会"].pk),
        ("乙协会", already.pk),
    }
    assert AbnormalListing.objects.get(organization=c).is_active
    assert AuditRecord.objects.filter(content_type__model="abnormallisting", action="transition").count() == 3


def test_the_daily_run_is_one_transaction_and_idempotent_on_a_busy_day(org, org_user, users):
    staff = users["bureau_staff"]
    make_listing(org, ListingReason.WARNED_OR_FINED, by=staff, listed_on=dt.date(2025, 12, 1))
    first = services.listings_daily_run(today=dt.date(2026, 6, 2))
    # Listed for the missing report that night: a new listing, which restarts the warning's six months.
    assert first == {"listed": 1, "reminded": 0, "moved": 0, "proposed": 0}
    assert services.listings_daily_run(today=dt.date(2026, 6, 2)) == {
        "listed": 0, "reminded": 0, "moved": 0, "proposed": 0}  # fmt: skip
    services.annual_report_submit(report=make_report(org, 2025, by=org_user), by=org_user)
    proposed = AbnormalListing.objects.filter(removal_proposal__gt="", ended_on__isnull=True)
    assert list(proposed.values_list("reason", flat=True)) == ["no_annual_report"]
    assert services.listings_daily_run(today=dt.date(2026, 12, 2))["proposed"] == 1  # six months on
