"""Real concurrent transactions on annual reports, listings and imports: exactly one transition,
one audit record; the loser gets a clear Chinese message."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from core.models import AuditRecord
from core.testing import run_concurrently, split_outcomes
from registry import services_import
from registry.models import Organization
from supervision import services
from supervision.models import AbnormalListing

from ..registry.factories import make_organization
from ..registry.rosters import generated_roster
from .factories import make_report

pytestmark = pytest.mark.django_db(transaction=True)


def test_report_submitted_twice_at_once(places):
    report = make_report(make_organization(places.community11))
    done, errors = split_outcomes(
        run_concurrently(*[lambda: services.annual_report_submit(report=report, by=None)] * 2)
    )
    assert len(done) == 1
    assert len(errors) == 1
    assert isinstance(errors[0], ValidationError)
    assert errors[0].message_dict == {"status": ["该年度报告已报送。"]}
    assert AuditRecord.objects.filter(content_type__model="annualreport", object_id=str(report.pk),
                                      action="transition").count() == 1  # fmt: skip


def test_same_listing_made_twice_at_once(places, users):
    org = make_organization(places.community11, name="并发组织")

    def listing():
        return services.abnormal_listing_create(
            organization=org, reason="unreachable", note="无法联系", by=users["bureau_staff"]
        )

    done, errors = split_outcomes(run_concurrently(listing, listing))
    assert len(done) == 1
    assert errors[0].message_dict == {"reason": ["并发组织 已因该事由列入活动异常名录。"]}
    assert AbnormalListing.objects.count() == 1


def test_import_confirmed_twice_at_once(places, users):
    staff = users["bureau_staff"]
    roster_import = services_import.roster_import_start(
        file=SimpleUploadedFile("名册.xlsx", generated_roster(20, ["一街道"])), by=staff
    )
    confirm = lambda: services_import.roster_import_confirm(roster_import=roster_import, by=staff)  # noqa: E731
    done, errors = split_outcomes(run_concurrently(confirm, confirm))
    assert len(done) == 1
    assert errors[0].message_dict == {"status": ["该名册已确认导入。"]}
    assert Organization.objects.count() == 20
