"""Factories for annual reports and listings; every write goes through the services."""

from supervision import services
from supervision.choices import ListingReason

REPORT_DATA = {
    "activities": "开展助老服务12次",
    "activity_count": 12,
    "beneficiaries": 300,
    "income": "12000.50",
    "expenditure": "10000",
    "net_assets": "2000.50",
    "staff_count": 3,
    "volunteer_count": 20,
    "party_status": "instructor",
    "party_member_count": 1,
}


def make_report(organization, year=2025, by=None, **fields):
    return services.annual_report_create(organization=organization, year=year, by=by, **{**REPORT_DATA, **fields})


def make_submitted_report(organization, year=2025, by=None, **fields):
    report = make_report(organization, year, by, **fields)
    return services.annual_report_submit(report=report, by=by)


def make_listing(organization, reason=ListingReason.UNREACHABLE, by=None, **extra):
    return services.abnormal_listing_create(
        organization=organization, reason=reason, note=extra.pop("note", "实地核查无法联系"), by=by, **extra
    )
