"""Every write of supervision, one module per aggregate; the public names are re-exported here."""

from .annual_reports import (
    REPORT_FIELDS,
    annual_report_conclude,
    annual_report_create,
    annual_report_due_on,
    annual_report_return,
    annual_report_submit,
    annual_report_update,
)
from .listings import (
    abnormal_listing_create,
    abnormal_listing_remove,
    list_missing_reports,
    listings_daily_run,
    move_long_listings,
    organizations_missing_report,
    serious_listing_create,
    serious_listing_remove,
)

__all__ = [
    "REPORT_FIELDS",
    "abnormal_listing_create",
    "abnormal_listing_remove",
    "annual_report_conclude",
    "annual_report_create",
    "annual_report_due_on",
    "annual_report_return",
    "annual_report_submit",
    "annual_report_update",
    "list_missing_reports",
    "listings_daily_run",
    "move_long_listings",
    "organizations_missing_report",
    "serious_listing_create",
    "serious_listing_remove",
]
