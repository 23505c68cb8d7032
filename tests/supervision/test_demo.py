"""The demo's annual reports and list entries: realistic states, idempotent."""

import io

import pytest
from django.core.management import call_command

from supervision import demo
from supervision.models import AbnormalListing, AnnualReport, SeriousViolationListing


@pytest.mark.django_db
def test_demo_reports_and_listings_are_idempotent():
    call_command("seed_demo", stdout=io.StringIO())
    context = {"stdout": io.StringIO()}
    demo.seed(context)
    counts = (AnnualReport.objects.count(), AbnormalListing.objects.count(), SeriousViolationListing.objects.count())
    demo.seed(context)
    assert counts == (
        AnnualReport.objects.count(),
        AbnormalListing.objects.count(),
        SeriousViolationListing.objects.count(),
    )
    assert set(AnnualReport.objects.values_list("status", flat=True)) == {"draft", "submitted", "returned", "concluded"}
    draft = AnnualReport.objects.get(organization__name="宝石社区邻里互助会")
    assert (draft.status, draft.kind) == ("draft", "status_report")  # a filed organization, to its street
    status_reports = AnnualReport.objects.filter(kind="status_report")
    assert set(status_reports.values_list("status", flat=True)) == {"draft", "submitted", "concluded"}
    assert status_reports.get(status="concluded").reviewed_by.username == "street"
    # The lists hold registered organizations only.
    assert not AbnormalListing.objects.filter(organization__registration_level="filed").exists()
    assert not SeriousViolationListing.objects.filter(organization__registration_level="filed").exists()
    moved = SeriousViolationListing.objects.get(reason="abnormal_two_years")
    assert moved.organization.name == "嘉绿苑社区老年协会"
    assert AbnormalListing.objects.filter(ended_on__isnull=True).count() == 4
    # Two removals await the bureau's decision: nothing to rectify for six months, the report filed since.
    proposed = AbnormalListing.objects.filter(ended_on__isnull=True).exclude(removal_proposal="")
    assert set(proposed.values_list("removal_proposal", flat=True)) == {"nothing_to_rectify", "report_filed"}
