"""The demo's annual reports and list entries: realistic states, idempotent. (seed_demo run a second
time changes no row of any table: tests/core/test_frame.py.)"""

import io

from core.models import AuditRecord
from supervision import demo
from supervision.models import AbnormalListing, AnnualReport, Revocation, SeriousViolationListing


def counts():
    return (
        AnnualReport.objects.count(),
        AbnormalListing.objects.count(),
        SeriousViolationListing.objects.count(),
        Revocation.objects.count(),
        AuditRecord.objects.count(),
    )


def test_demo_reports_and_listings_are_idempotent(seeded_demo):
    before = counts()
    # Supervision's part run again on the demo adds nothing.
    demo.seed({"stdout": io.StringIO()})
    assert counts() == before
    assert set(AnnualReport.objects.values_list("status", flat=True)) == {"draft", "submitted", "returned", "concluded"}
    draft = AnnualReport.objects.get(organization__name="宝石社区邻里互助会")
    assert (draft.status, draft.kind) == ("draft", "status_report")  # a filed organization, to its street
    status_reports = AnnualReport.objects.filter(kind="status_report")
    assert set(status_reports.values_list("status", flat=True)) == {"draft", "submitted", "concluded"}
    assert status_reports.get(status="concluded").reviewed_by.username == "street"
    # The lists hold registered organizations only.
    assert not AbnormalListing.objects.filter(organization__registration_level="filed").exists()
    assert not SeriousViolationListing.objects.filter(organization__registration_level="filed").exists()
    # The revoked and the licence-revoked organizations, each on the serious-violation list by its decision.
    for name, status in (("北山街道书画协会", "revoked"), ("西溪街道家政服务培训中心", "licence_revoked")):
        revocation = Revocation.objects.select_related("organization", "serious_listing").get(organization__name=name)
        assert (revocation.status, revocation.organization.status) == ("approved", status)
        assert revocation.organization.status_document == revocation.decision_number
        assert revocation.serious_listing.is_active and revocation.serious_listing.reason == "revoked"
        assert revocation.created_by.username == "staff" and revocation.reviewed_by.username == "admin"
    assert Revocation.objects.count() == 2
    moved = SeriousViolationListing.objects.get(reason="abnormal_two_years")
    assert moved.organization.name == "嘉绿苑社区老年协会"
    assert AbnormalListing.objects.filter(ended_on__isnull=True).count() == 4
    # Two removals await the bureau's decision: nothing to rectify for six months, the report filed since.
    proposed = AbnormalListing.objects.filter(ended_on__isnull=True).exclude(removal_proposal="")
    assert set(proposed.values_list("removal_proposal", flat=True)) == {"nothing_to_rectify", "report_filed"}
