"""Who may act on annual reports and list entries: each rule returns
(allowed, reason), so a page can say why a button is missing and a service can refuse with it.
Which rows a user sees at all is the models' AccessPolicy; these rules decide actions on a row."""

from __future__ import annotations

from django.utils.translation import gettext as _

from core.choices import Role
from core.reviews import authors_of, may_decide
from core.scoping import city_refusal
from registry.choices import OrganizationStatus

from .choices import AnnualReportStatus

Result = tuple[bool, str]
OK: Result = (True, "")
REVIEWING_ROLES = frozenset({Role.BUREAU_ADMIN, Role.BUREAU_STAFF})


def _in_jurisdiction(user, region) -> bool:
    return user.is_superuser or (user.region is not None and region is not None and user.region.contains(region))


def acts_for(user, organization) -> Result:
    """The user is the organization's own account, or bureau staff over it."""
    if user is None:  # system jobs
        return OK
    if not user.is_authenticated or not user.is_active:
        return False, _("Log in first.")
    if user.role == Role.ORG_USER:
        if organization.pk != user.organization_id:
            return False, _("You may act only for your own organization.")
        return OK
    if user.is_superuser or user.role in REVIEWING_ROLES:
        if refusal := city_refusal(user):
            return False, refusal
        if not _in_jurisdiction(user, organization.region):
            return False, _("This is outside your jurisdiction.")
        return OK
    return False, _("Only the organization or the bureau may do this.")


def reviews(user, organization) -> Result:
    """Bureau administrators and clerks of the organization's district."""
    if user is None:
        return OK
    if not (user.is_superuser or user.role in REVIEWING_ROLES):
        return False, _("Only the bureau may do this.")
    if refusal := city_refusal(user):
        return False, refusal
    if not _in_jurisdiction(user, organization.region):
        return False, _("This is outside your jurisdiction.")
    return OK


def can_create_report(user, organization) -> Result:
    allowed, reason = acts_for(user, organization)
    if not allowed:
        return allowed, reason
    if organization.status != OrganizationStatus.ACTIVE:
        return False, _("Only an active organization files annual reports.")
    return OK


def can_edit_report(user, report) -> Result:
    allowed, reason = acts_for(user, report.organization)
    if not allowed:
        return allowed, reason
    if not report.is_editable:
        return False, _("A submitted report cannot be changed.")
    return OK


can_submit_report = can_edit_report


def may_submit(user, report) -> Result:
    """The workflow's rule for submitting: the organization or the bureau over it (the state is the
    workflow's to check)."""
    return acts_for(user, report.organization)


def can_decide_report(user, report) -> Result:
    """Conclude or return: the reviewing bureau, but not whoever wrote or submitted the report."""
    allowed, reason = reviews(user, report.organization)
    if not allowed:
        return allowed, reason
    return may_decide(user, authors_of(report))


def can_review_report(user, report) -> Result:
    if report.status != AnnualReportStatus.SUBMITTED:
        allowed, reason = reviews(user, report.organization)
        return (False, _("Only a submitted report can be concluded or returned.")) if allowed else (allowed, reason)
    return can_decide_report(user, report)


def can_list(user, organization) -> Result:
    allowed, reason = reviews(user, organization)
    if not allowed:
        return allowed, reason
    if organization.status != OrganizationStatus.ACTIVE:
        return False, _("Only an active organization can be listed.")
    return OK


def can_remove_listing(user, listing) -> Result:
    allowed, reason = reviews(user, listing.organization)
    if not allowed:
        return allowed, reason
    if not listing.is_active:
        return False, _("This listing has already ended.")
    return OK
