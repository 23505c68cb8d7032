"""Every write of supervision, one module per aggregate; the public names are re-exported here."""

from .annual_reports import (
    REPORT_FIELDS,
    STATUS_REPORT_FIELDS,
    annual_report_conclude,
    annual_report_create,
    annual_report_due_on,
    annual_report_return,
    annual_report_submit,
    annual_report_update,
    fields_for,
    overdue_year,
    report_kind_for,
)
from .clock import abnormal_clock_start, months_after, serious_removable_from, years_after
from .listings import (
    abnormal_listing_create,
    abnormal_listing_keep,
    abnormal_listing_remove,
    serious_listing_create,
    serious_listing_remove,
)
from .nightly import (
    list_missing_reports,
    listings_daily_run,
    move_long_listings,
    organizations_missing_report,
    propose_removals,
    remind_status_reports,
)

__all__ = [
    "REPORT_FIELDS",
    "STATUS_REPORT_FIELDS",
    "abnormal_clock_start",
    "abnormal_listing_create",
    "abnormal_listing_keep",
    "abnormal_listing_remove",
    "annual_report_conclude",
    "annual_report_create",
    "annual_report_due_on",
    "annual_report_return",
    "annual_report_submit",
    "annual_report_update",
    "fields_for",
    "list_missing_reports",
    "listings_daily_run",
    "months_after",
    "move_long_listings",
    "organizations_missing_report",
    "overdue_year",
    "propose_removals",
    "remind_status_reports",
    "report_kind_for",
    "serious_listing_create",
    "serious_listing_remove",
    "serious_removable_from",
    "years_after",
]
