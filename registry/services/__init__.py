"""Every write to the registry: atomic, validated, audited. One module per aggregate; every public
name is re-exported here, so `from registry import services; services.organization_create(...)`."""

from .applications import (
    application_approve,
    application_create,
    application_reject,
    application_resubmit,
    application_return,
    application_submit,
    application_transition,
    application_update,
    lock,
)
from .attachments import attachment_add, attachment_remove
from .founders import MIN_FOUNDERS, clean_founders, founders_as_rows
from .organizations import (
    ORGANIZATION_FIELDS,
    check_may,
    clean_uscc,
    district_of,
    next_filing_number,
    organization_apply_changes,
    organization_create,
    organization_member_link,
    organization_member_unlink,
    organization_set_status,
)
from .proposals import CHANGEABLE_FIELDS, NEW_ORGANIZATION_FIELDS, REQUIRED_FOR_NEW, proposed_values

__all__ = [
    "CHANGEABLE_FIELDS",
    "MIN_FOUNDERS",
    "NEW_ORGANIZATION_FIELDS",
    "ORGANIZATION_FIELDS",
    "REQUIRED_FOR_NEW",
    "application_approve",
    "application_create",
    "application_reject",
    "application_resubmit",
    "application_return",
    "application_submit",
    "application_transition",
    "application_update",
    "attachment_add",
    "attachment_remove",
    "check_may",
    "clean_founders",
    "clean_uscc",
    "district_of",
    "founders_as_rows",
    "lock",
    "next_filing_number",
    "organization_apply_changes",
    "organization_create",
    "organization_member_link",
    "organization_member_unlink",
    "organization_set_status",
    "proposed_values",
]
