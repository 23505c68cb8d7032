"""The registry's models; every model is re-exported here."""

from .applications import Application, ApplicationStep, Attachment, Founder
from .imports import RosterImport
from .organizations import Organization, OrganizationMember

__all__ = [
    "Application",
    "ApplicationStep",
    "Attachment",
    "Founder",
    "Organization",
    "OrganizationMember",
    "RosterImport",
]
