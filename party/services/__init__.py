"""Every write of the party app, one module per aggregate; the public names are re-exported here.
Each function takes the acting user first, asks party.permissions (PermissionDenied with the reason),
checks the values (ValidationError by field, messages naming the field), runs in one transaction and
writes an audit record (core.audit)."""

from .activities import (
    activity_record,
    activity_update,
    decision_add,
    decision_complete,
    meeting_record,
    meeting_update,
)
from .contacts import CONTACT_FIELDS, contact_attach, contact_record, contact_update
from .coverage import COVERAGE_FIELDS, coverage_record, current_coverage, form_for
from .organizations import (
    PARTY_ORGANIZATION_FIELDS,
    covered_organizations,
    party_organization_create,
    party_organization_dissolve,
    party_organization_update,
)

__all__ = [
    "CONTACT_FIELDS",
    "COVERAGE_FIELDS",
    "PARTY_ORGANIZATION_FIELDS",
    "activity_record",
    "activity_update",
    "contact_attach",
    "contact_record",
    "contact_update",
    "coverage_record",
    "covered_organizations",
    "current_coverage",
    "decision_add",
    "decision_complete",
    "form_for",
    "meeting_record",
    "meeting_update",
    "party_organization_create",
    "party_organization_dissolve",
    "party_organization_update",
]
