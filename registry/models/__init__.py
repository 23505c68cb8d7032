"""The registry's models; every model is re-exported here."""

from .annual_reports import AnnualReport
from .applications import Application, ApplicationStep, Attachment
from .imports import RosterImport
from .listings import AbnormalListing, SeriousViolationListing
from .organizations import Organization, OrganizationMember

__all__ = [
    "AbnormalListing",
    "AnnualReport",
    "Application",
    "ApplicationStep",
    "Attachment",
    "Organization",
    "OrganizationMember",
    "RosterImport",
    "SeriousViolationListing",
]
