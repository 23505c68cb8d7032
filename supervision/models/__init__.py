"""Supervision's models; every model is re-exported here."""

from .annual_reports import AnnualReport
from .listings import AbnormalListing, SeriousViolationListing

__all__ = ["AbnormalListing", "AnnualReport", "SeriousViolationListing"]
