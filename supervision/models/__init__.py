"""Supervision's models; every model is re-exported here."""

from .annual_reports import AnnualReport
from .listings import AbnormalListing, SeriousViolationListing
from .revocations import Revocation

__all__ = ["AbnormalListing", "AnnualReport", "Revocation", "SeriousViolationListing"]
