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
    assert AnnualReport.objects.get(organization__name="宝石社区邻里互助会").status == "draft"
    serious = SeriousViolationListing.objects.get()
    assert serious.organization.name == "保俶塔社区文体队"
    assert AbnormalListing.objects.filter(ended_on__isnull=True).count() == 2
