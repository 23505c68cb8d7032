"""The abnormal and serious-violation lists: listing, removal, refusals, and the daily job."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from core.models import AuditRecord
from registry import selectors
from registry.models import Organization
from registry.services import organization_set_status
from supervision import services
from supervision.choices import ListingEndReason, ListingReason
from supervision.models import AbnormalListing, SeriousViolationListing

from ..registry.factories import make_org_user, make_organization
from .factories import make_listing, make_report, make_submitted_report

pytestmark = pytest.mark.django_db


def ran(**counts) -> dict:
    """What a run of the nightly job reports: zero of everything but `counts`."""
    return {"listed": 0, "reminded": 0, "moved": 0, "proposed": 0, **counts}


@pytest.fixture
def org(places):
    return make_organization(places.community11, name="邻里守望社", established_on=dt.date(2019, 1, 1))


def test_staff_lists_and_removes_with_reasons(org, users):
    staff = users["bureau_staff"]
    listing = make_listing(org, ListingReason.UNREACHABLE, by=staff, note="两次实地核查无人")
    assert listing.is_active
    assert listing.listed_by == staff
    assert AuditRecord.objects.filter(
        object_id=str(listing.pk), content_type__model="abnormallisting", action="create", message="两次实地核查无人"
    ).exists()
    listing = services.abnormal_listing_remove(
        listing=listing, by=staff, end_reason=ListingEndReason.RECTIFIED, note="已恢复联系"
    )
    assert not listing.is_active
    assert listing.ended_by == staff
    assert AbnormalListing.objects.filter(pk=listing.pk).exists()  # ended, never erased
    # The same reason can be listed again once the earlier listing ended.
    make_listing(org, ListingReason.UNREACHABLE, by=staff)
    assert AbnormalListing.objects.filter(organization=org).count() == 2


def test_listing_refusals(org, users, places):
    staff = users["bureau_staff"]
    with pytest.raises(ValidationError) as error:
        make_listing(org, "bad_reason", by=staff)
    assert error.value.message_dict == {"reason": ["请选择列入事由。"]}
    with pytest.raises(ValidationError) as error:
        make_listing(org, ListingReason.UNREACHABLE, by=staff, note="")
    assert error.value.message_dict == {"listing_note": ["请填写列入依据。"]}
    make_listing(org, ListingReason.UNREACHABLE, by=staff)
    with pytest.raises(ValidationError) as error:
        make_listing(org, ListingReason.UNREACHABLE, by=staff)
    assert error.value.message_dict == {"reason": ["邻里守望社 已因该事由列入活动异常名录。"]}
    for name in ("bureau_viewer", "street_officer", "community_party", "expert", "other_district_staff"):
        with pytest.raises(PermissionDenied):
            make_listing(org, ListingReason.NO_PARTY_ORGANIZATION, by=users[name])
    with pytest.raises(PermissionDenied):
        make_listing(org, ListingReason.NO_PARTY_ORGANIZATION, by=make_org_user(org))
    gone = make_organization(places.community12)
    organization_set_status(org=gone, by=users["bureau_admin"], status="deregistered")
    with pytest.raises(PermissionDenied):
        make_listing(Organization.objects.get(pk=gone.pk), ListingReason.UNREACHABLE, by=staff)


def test_removal_refusals(org, users):
    staff = users["bureau_staff"]
    listing = make_listing(org, by=staff)
    with pytest.raises(ValidationError) as error:
        services.abnormal_listing_remove(listing=listing, by=staff, end_reason="rectified", note="")
    assert error.value.message_dict == {"end_note": ["请填写移出依据。"]}
    with pytest.raises(ValidationError) as error:
        services.abnormal_listing_remove(listing=listing, by=staff, end_reason="moved_to_serious", note="x")
    assert "end_reason" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.abnormal_listing_remove(listing=listing, by=staff, end_reason="nothing_to_rectify", note="x")
    assert "六个月" in error.value.message_dict["end_reason"][0]
    with pytest.raises(PermissionDenied):
        services.abnormal_listing_remove(listing=listing, by=users["street_officer"], end_reason="rectified", note="x")
    services.abnormal_listing_remove(listing=listing, by=staff, end_reason="listed_in_error", note="误列")
    with pytest.raises(ValidationError) as error:
        services.abnormal_listing_remove(listing=listing, by=staff, end_reason="rectified", note="x")
    assert "end_reason" in error.value.message_dict


def test_six_months_without_rectification(org, users):
    staff = users["bureau_staff"]
    listing = make_listing(org, by=staff, listed_on=dt.date.today() - dt.timedelta(days=190))
    listing = services.abnormal_listing_remove(
        listing=listing, by=staff, end_reason=ListingEndReason.NOTHING_TO_RECTIFY, note="满六个月"
    )
    assert listing.get_end_reason_display() == "列入满六个月且无需整改"


def test_daily_job_lists_missed_reports_once(places, users):
    late = make_organization(places.community11, name="未报送组织", established_on=dt.date(2020, 1, 1))
    filed = make_organization(places.community12, name="已报送组织", established_on=dt.date(2020, 1, 1))
    make_submitted_report(filed, 2025)
    draft_only = make_organization(places.community21, name="只有草稿", established_on=dt.date(2020, 1, 1))
    make_report(draft_only, 2025)
    young = make_organization(places.community21, name="新成立组织", established_on=dt.date(2026, 2, 1))

    # The 2025 reports are due Monday 1 June 2026 (31 May is a Sunday): nobody is listed on it.
    before_deadline = services.listings_daily_run(today=dt.date(2026, 6, 1))
    assert before_deadline == ran()

    result = services.listings_daily_run(today=dt.date(2026, 6, 2))
    listed = set(AbnormalListing.objects.filter(ended_on__isnull=True).values_list("organization__name", flat=True))
    assert listed == {"未报送组织", "只有草稿"}
    assert result == ran(listed=2)
    listing = AbnormalListing.objects.get(organization=late)
    assert listing.reason == ListingReason.NO_ANNUAL_REPORT
    assert listing.report_year == 2025
    assert listing.listed_by is None
    assert listing.listed_by_display == "每日任务"
    assert AuditRecord.objects.filter(object_id=str(listing.pk), content_type__model="abnormallisting").count() == 1

    # Idempotent: the next days list nobody twice, even after a removal.
    assert services.listings_daily_run(today=dt.date(2026, 6, 3)) == ran()
    services.abnormal_listing_remove(
        listing=listing, by=users["bureau_staff"], end_reason="listed_in_error", note="已补报"
    )
    assert services.listings_daily_run(today=dt.date(2026, 6, 4)) == ran()
    assert AbnormalListing.objects.filter(organization=late).count() == 1
    assert not AbnormalListing.objects.filter(organization=young).exists()


def test_daily_job_moves_two_year_listings_to_serious_list(org, users):
    staff = users["bureau_staff"]
    old = make_listing(org, ListingReason.UNREACHABLE, by=staff, listed_on=dt.date(2024, 6, 1))
    make_submitted_report(org, 2025)
    assert services.listings_daily_run(today=dt.date(2026, 5, 31)) == ran()
    assert services.listings_daily_run(today=dt.date(2026, 6, 1)) == ran(moved=1)
    old.refresh_from_db()
    assert old.end_reason == ListingEndReason.MOVED_TO_SERIOUS
    serious = SeriousViolationListing.objects.get(organization=org)
    assert old.serious_listing == serious
    assert serious.is_active
    assert serious.get_reason_display() == "列入活动异常名录满两年"
    assert services.listings_daily_run(today=dt.date(2026, 6, 2)) == ran()
    assert SeriousViolationListing.objects.count() == 1
    # Removing from the serious list needs a reason and two years (tests/supervision/test_ending_listings);
    # a listing in error is corrected at once. It ends, it is not erased.
    with pytest.raises(ValidationError):
        services.serious_listing_remove(listing=serious, by=staff, end_reason="listed_in_error", note="")
    services.serious_listing_remove(listing=serious, by=staff, end_reason="listed_in_error", note="误列")
    assert SeriousViolationListing.objects.filter(ended_on__isnull=False).count() == 1


def test_overlay_selector(org, places, users):
    clean = make_organization(places.community12, name="无列入组织")
    make_listing(org, by=users["bureau_staff"])
    serious_org = make_organization(places.community21, name="严重失信组织")
    services.serious_listing_create(organization=serious_org, note="严重违法", by=users["bureau_staff"])
    base = Organization.objects.all()

    def names(overlay):
        return set(selectors.filter_by_overlay(base, overlay).values_list("name", flat=True))

    assert names("abnormal") == {"邻里守望社"}
    assert names("serious") == {"严重失信组织"}
    assert names("any") == {"邻里守望社", "严重失信组织"}
    assert names("none") == {clean.name}
    annotated = {o.name: (o.in_abnormal_list, o.in_serious_list) for o in selectors.with_overlays(base)}
    assert annotated["邻里守望社"] == (True, False)
    assert annotated["严重失信组织"] == (False, True)
    assert annotated[clean.name] == (False, False)


def test_daily_job_is_scheduled_and_the_task_calls_the_service(org, settings):
    from core import periodic
    from supervision import tasks

    job = periodic.get("supervision-listings-daily")
    assert job.task == tasks.listings_daily.name == "supervision.tasks.listings_daily"
    from django.utils import timezone

    today = timezone.localdate()
    result = tasks.listings_daily()  # the org has no report on last year
    assert result["listed"] == (1 if today > services.annual_report_due_on(today.year - 1) else 0)
    assert tasks.listings_daily() == ran()


def test_stored_schedules_of_the_old_task_name_follow_it(transactional_db):
    """supervision 0002 points schedules stored under the old name at supervision.tasks."""
    from importlib import import_module

    from django.apps import apps
    from django_celery_beat.models import CrontabSchedule, PeriodicTask

    crontab = CrontabSchedule.objects.create(minute="30", hour="1")
    PeriodicTask.objects.create(name="registry-listings-daily", task="registry.tasks.listings_daily", crontab=crontab)
    PeriodicTask.objects.create(name="夜间名录", task="registry.tasks.listings_daily", crontab=crontab)
    import_module("supervision.migrations.0002_listing_job_task_name").forwards(apps, None)
    # (the seeded schedules, core.periodic, have their own crontab)
    assert list(PeriodicTask.objects.filter(crontab=crontab).values_list("name", "task")) == [
        ("夜间名录", "supervision.tasks.listings_daily")
    ]


def test_an_older_filed_report_does_not_excuse_the_missing_one(org):
    make_submitted_report(org, 2023)
    make_report(org, 2025)  # a draft only
    assert services.listings_daily_run(today=dt.date(2026, 6, 2))["listed"] == 1
