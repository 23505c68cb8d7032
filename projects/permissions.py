"""Who may do what to a project and its records; each rule answers (allowed, reason) so a page can
say why a button is missing and a service can refuse with the same words."""

from __future__ import annotations

from django.utils.translation import gettext as _

from accounts.choices import RegionLevel
from core import reviews
from core.choices import Role
from core.scoping import city_refusal

from .choices import PROJECT_ACTIVE, ProjectStatus

FUNDER_BUREAU_ROLES = frozenset({Role.BUREAU_ADMIN, Role.BUREAU_STAFF})
OK = (True, "")


def _within(user, region) -> bool:
    return user.region is not None and region is not None and region.path.startswith(user.region.path)


def may_manage_project(user, organization, funder) -> tuple[bool, str]:
    """Set up or change a project: the bureau for its district, a street officer for its street's
    organizations with the street as funder."""
    if user is None or user.is_superuser:
        return OK
    if user.role in FUNDER_BUREAU_ROLES:
        if refusal := city_refusal(user):
            return False, refusal
        if _within(user, organization.region) and _within(user, funder):
            return OK
        return False, _("The organization or the funder is outside your district.")
    if user.role == Role.STREET_OFFICER:
        if not _within(user, organization.region):
            return False, _("The organization is outside your street.")
        if funder is None or funder.pk != user.region_id:
            return False, _("A street officer sets up projects funded by their own street.")
        return OK
    return False, _("Your role may not set up projects.")


def is_funder(user, project) -> bool:
    """The funder's people: bureau administrators and clerks of a funding district, the street
    officer of a funding street."""
    if user is None:
        return True
    funder = project.funder
    if user.region_id != funder.pk:
        return False
    if funder.level == RegionLevel.DISTRICT:
        return user.role in FUNDER_BUREAU_ROLES
    return user.role == Role.STREET_OFFICER


def may_manage(user, project) -> tuple[bool, str]:
    """Move a project along its workflow: those who may set it up."""
    return may_manage_project(user, project.organization, project.funder)


def may_review(user, project) -> tuple[bool, str]:
    """Accept or return ledger entries and quarters, decide budget adjustments."""
    if is_funder(user, project):
        return OK
    return False, _("Only the funder (%(funder)s) may review this project.") % {"funder": project.funder.name}


def may_decide(user, item) -> tuple[bool, str]:
    """Accept or return a ledger entry or quarter, decide a budget adjustment: the funder, and not
    the person who created or submitted the item."""
    allowed, reason = may_review(user, item.project)
    if not allowed:
        return allowed, reason
    return reviews.may_decide(user, reviews.authors_of(item))


def may_record_item(user, item) -> tuple[bool, str]:
    """Submit a ledger entry or resubmit a quarter: the project's organization."""
    return may_record(user, item.project)


def may_record(user, project) -> tuple[bool, str]:
    """Record ledger entries, expenditures and quarterly submissions: the organization itself."""
    if user is None:
        return OK
    if user.role == Role.ORG_USER and user.organization_id == project.organization_id:
        return OK
    return False, _("Only the project's organization may record its ledger.")


def may_review_major_activity(user, report) -> tuple[bool, str]:
    if user is None:
        return OK
    if refusal := city_refusal(user):
        return False, refusal
    if user.role in FUNDER_BUREAU_ROLES and _within(user, report.organization.region):
        return OK
    return False, _("Only the bureau may acknowledge or object to a major-activity report.")


def may_report_major_activity(user, organization=None) -> tuple[bool, str]:
    """Report a major activity: an organization's own account, for its own organization."""
    if user is None:
        return OK
    own = organization is None or organization.pk == user.organization_id
    if user.role == Role.ORG_USER and user.organization_id and own:
        return OK
    return False, _("Only the organization itself may report its major activities.")


# Adding records to a project. The add pages enforce these and the project's page asks them for its
# links, so a link is shown only to those who may follow it (core.views.generic.ObjectEditView).


def _ledger_open(project) -> tuple[bool, str]:
    if project.status in PROJECT_ACTIVE:
        return OK
    return False, _("Project: the project is “%(status)s”; its ledger is not open.") % {
        "status": project.get_status_display()
    }


def may_add_to_ledger(user, project) -> tuple[bool, str]:
    """Add ledger entries (one by one or by workbook) and expenditures: the organization, while the
    project runs."""
    allowed, reason = may_record(user, project)
    return _ledger_open(project) if allowed else (allowed, reason)


def may_propose_adjustment(user, project) -> tuple[bool, str]:
    """Propose a budget adjustment: the organization or the funder, while the project runs."""
    if not (may_record(user, project)[0] or is_funder(user, project)):
        return False, _("Only the organization or the funder may propose a budget adjustment.")
    return _ledger_open(project)


def may_add_budget_line(user, project) -> tuple[bool, str]:
    """Add a budget line: those who manage the project, before approval (then only by adjustment)."""
    allowed, reason = may_manage_project(user, project.organization, project.funder)
    if allowed and project.status != ProjectStatus.APPLIED:
        return False, _("Budget lines: after approval the budget changes only through an approved budget adjustment.")
    return allowed, reason


def may_add_indicator(user, project) -> tuple[bool, str]:
    """Add an indicator: those who manage the project, until it is closed or terminated."""
    allowed, reason = may_manage_project(user, project.organization, project.funder)
    if allowed and project.status in (ProjectStatus.CLOSED, ProjectStatus.TERMINATED):
        return False, _("Status: a closed or terminated project cannot be changed.")
    return allowed, reason
