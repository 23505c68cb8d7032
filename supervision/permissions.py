"""Who may act on annual reports and list entries: each rule returns
(allowed, reason), so a page can say why a button is missing and a service can refuse with it.
Which rows a user sees at all is the models' AccessPolicy; these rules decide actions on a row."""

from __future__ import annotations

from django.utils.translation import gettext as _

from core.choices import Role
from core.reviews import authors_of, may_decide
from core.scoping import city_refusal
from registry.choices import OrganizationStatus

from .choices import AnnualReportStatus, ReportKind

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


def reviews_at_street(user, organization) -> Result:
    """The street officer over the organization's place (a filed organization's annual status
    report is the street's to review)."""
    if user is None:
        return OK
    if not (user.is_superuser or user.role == Role.STREET_OFFICER):
        return False, _("The street officer of the organization's street reviews an annual status report.")
    if refusal := city_refusal(user):
        return False, refusal
    if not _in_jurisdiction(user, organization.region):
        return False, _("This is outside your jurisdiction.")
    return OK


def can_decide_report(user, report) -> Result:
    """Conclude or return: the bureau for a work report, the street officer for a filed
    organization's status report — never whoever wrote or submitted the report."""
    if report.kind == ReportKind.STATUS_REPORT:
        allowed, reason = reviews_at_street(user, report.organization)
    else:
        allowed, reason = reviews(user, report.organization)
    if not allowed:
        return allowed, reason
    return may_decide(user, authors_of(report))


def can_review_report(user, report) -> Result:
    if report.status != AnnualReportStatus.SUBMITTED:
        reviewer = reviews_at_street if report.kind == ReportKind.STATUS_REPORT else reviews
        allowed, reason = reviewer(user, report.organization)
        return (False, _("Only a submitted report can be concluded or returned.")) if allowed else (allowed, reason)
    return can_decide_report(user, report)


def can_list(user, organization) -> Result:
    """The lists apply to registered organizations (社会组织信用信息管理办法); a filed community
    organization that misses its status report is followed up by its street instead."""
    allowed, reason = reviews(user, organization)
    if not allowed:
        return allowed, reason
    if organization.status != OrganizationStatus.ACTIVE:
        return False, _("Only an active organization can be listed.")
    if organization.is_filed:
        return False, _(
            "A filed community organization is not entered in the abnormal-activity or serious-violation "
            "lists; its street follows it up."
        )
    return OK


def can_remove_listing(user, listing) -> Result:
    allowed, reason = reviews(user, listing.organization)
    if not allowed:
        return allowed, reason
    if not listing.is_active:
        return False, _("This listing has already ended.")
    return OK


# ---- revocations (撤销登记 / 吊销登记证书) ----


def can_propose_revocation(user, organization) -> Result:
    """The bureau over the organization proposes revoking a registered, active organization; a filed
    community organization has no registration to revoke."""
    allowed, reason = reviews(user, organization)
    if not allowed:
        return allowed, reason
    if organization.is_filed:
        return False, _(
            "A filed community organization holds no registration to revoke nor certificate to withdraw; "
            "cancel its filing instead."
        )
    if organization.status != OrganizationStatus.ACTIVE:
        return False, _("Only an active organization can have its registration revoked.")
    return OK


def can_edit_revocation(user, revocation) -> Result:
    allowed, reason = reviews(user, revocation.organization)
    if not allowed:
        return allowed, reason
    if not revocation.is_editable:
        return False, _("A proposed or decided revocation cannot be changed.")
    return OK


def may_propose_revocation(user, revocation) -> Result:
    """The workflow's rule for proposing: the bureau over the organization."""
    return reviews(user, revocation.organization)


def may_decide_revocation(user, revocation) -> Result:
    """Decide, return or reject: the bureau over the organization, but never whoever drafted or
    proposed it (four eyes)."""
    allowed, reason = reviews(user, revocation.organization)
    if not allowed:
        return allowed, reason
    return may_decide(user, authors_of(revocation))
