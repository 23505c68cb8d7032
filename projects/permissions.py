"""Who may do what to a project and its records; each rule answers (allowed, reason) so a page can
say why a button is missing and a service can refuse with the same words."""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext as _

from core import reviews
from core.choices import Role
from core.scoping import city_refusal

from .choices import PROJECT_ACTIVE, FunderKind, ProjectStatus, ReviewStage

FUNDER_BUREAU_ROLES = frozenset({Role.BUREAU_ADMIN, Role.BUREAU_STAFF})
OK = (True, "")


def _within(user, region) -> bool:
    return user.region is not None and region is not None and region.path.startswith(user.region.path)


# Funders whose own office acts for them: the district bureau for itself and the welfare-lottery
# fund it administers, a street officer for the street office and the communities of the street.
# Departments, foundations and enterprises act through their funder accounts only.
BUREAU_ACTS_FOR = frozenset({FunderKind.CIVIL_AFFAIRS_BUREAU, FunderKind.WELFARE_LOTTERY})
STREET_ACTS_FOR = frozenset({FunderKind.STREET_OFFICE, FunderKind.COMMUNITY})


def may_manage_project(user, organization, funder) -> tuple[bool, str]:
    """Set up or change a project: the bureau for its district, a street officer for its street's
    organizations funded by the street office or one of its communities."""
    if user is None or user.is_superuser:
        return OK
    funder_region = getattr(funder, "region", None)
    if user.role in FUNDER_BUREAU_ROLES:
        if refusal := city_refusal(user):
            return False, refusal
        if _within(user, organization.region) and _within(user, funder_region):
            return OK
        return False, _("The organization or the funder is outside your district.")
    if user.role == Role.STREET_OFFICER:
        if not _within(user, organization.region):
            return False, _("The organization is outside your street.")
        if funder is None or funder.kind not in STREET_ACTS_FOR or not _within(user, funder_region):
            return False, _("A street officer sets up projects funded by their own street or its communities.")
        return OK
    return False, _("Your role may not set up projects.")


def acts_for_funder(user, funder) -> bool:
    """The funder's people: its funder accounts; for the bureau and the welfare-lottery fund the
    bureau's administrators and clerks of its district; for a street office or a community the
    street's officer."""
    if user is None:
        return True
    if user.role == Role.FUNDER_USER:
        return user.funder_id == funder.pk
    if funder.kind in BUREAU_ACTS_FOR:
        return user.role in FUNDER_BUREAU_ROLES and user.region_id == funder.region_id
    if funder.kind == FunderKind.STREET_OFFICE:
        return user.role == Role.STREET_OFFICER and user.region_id == funder.region_id
    if funder.kind == FunderKind.COMMUNITY:
        return user.role == Role.STREET_OFFICER and _within(user, funder.region)
    return False


def funders_acted_for(user, prefix: str = "") -> Q | None:
    """acts_for_funder as a filter over the rows whose funder is at `prefix`+"funder" (None: no
    rows), for the lists of what awaits the funder."""
    if user is None or user.region_id is None:
        return None
    f = f"{prefix}funder"
    if user.role == Role.FUNDER_USER:
        return Q(**{f"{f}_id": user.funder_id}) if user.funder_id else None
    if user.role in FUNDER_BUREAU_ROLES:
        return Q(**{f"{f}__kind__in": BUREAU_ACTS_FOR, f"{f}__region_id": user.region_id})
    if user.role == Role.STREET_OFFICER:
        return Q(**{f"{f}__kind": FunderKind.STREET_OFFICE, f"{f}__region_id": user.region_id}) | Q(
            **{f"{f}__kind": FunderKind.COMMUNITY, f"{f}__region__parent_id": user.region_id}
        )
    return None


def funder_people(funder) -> list:
    """The active users who act for the funder (acts_for_funder, as a query): told when a milestone
    awaits their acceptance."""
    from accounts.models import User

    people = Q(role=Role.FUNDER_USER, funder_membership__funder=funder)
    if funder.kind in BUREAU_ACTS_FOR:
        people |= Q(role__in=FUNDER_BUREAU_ROLES, region_id=funder.region_id)
    elif funder.kind == FunderKind.STREET_OFFICE:
        people |= Q(role=Role.STREET_OFFICER, region_id=funder.region_id)
    elif funder.kind == FunderKind.COMMUNITY:
        people |= Q(role=Role.STREET_OFFICER, region_id=funder.region.parent_id)
    return list(User.objects.filter(people, is_active=True).distinct().order_by("pk"))


def is_funder(user, project) -> bool:
    """Whether the user acts for the project's funder (acts_for_funder)."""
    return acts_for_funder(user, project.funder)


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


# Oversight: the funder's reviews, supervision visits and their rectifications, and closing a
# project only after its final review (projects.services.oversight, projects.workflows.PROJECT).

# The states in which the funder records each review: mid-term while the project runs or is in
# mid-term review, final in final review.
REVIEW_STAGE_STATES = {
    ReviewStage.MID_TERM: frozenset({ProjectStatus.IN_PROGRESS, ProjectStatus.MID_TERM_REVIEW}),
    ReviewStage.FINAL: frozenset({ProjectStatus.FINAL_REVIEW}),
}
# A running project: supervisors visit it (an approved project has not started yet).
PROJECT_RUNNING = frozenset({ProjectStatus.IN_PROGRESS, ProjectStatus.MID_TERM_REVIEW, ProjectStatus.FINAL_REVIEW})


def may_close(user, project) -> tuple[bool, str]:
    """Close a project: those who manage it, once the funder has recorded the final review."""
    allowed, reason = may_manage(user, project)
    if allowed and not project.reviews.filter(stage=ReviewStage.FINAL).exists():
        return False, _("Close: the funder has not recorded the final review conclusion yet; record it first.")
    return allowed, reason


def may_review_as_funder(user, project) -> tuple[bool, str]:
    """Record the funder's mid-term or final review: the funder's people, never the organization."""
    if user is None:
        return OK
    if refusal := city_refusal(user):
        return False, refusal
    if is_funder(user, project):
        return OK
    return False, _("Reviews: only the funder (%(funder)s) records its review of the project.") % {
        "funder": project.funder.name
    }


def open_review_stages(project) -> list[str]:
    """The review stages the project's state allows and that are not recorded yet."""
    done = set(project.reviews.values_list("stage", flat=True))
    return [stage for stage, states in REVIEW_STAGE_STATES.items() if project.status in states and stage not in done]


def may_add_review(user, project) -> tuple[bool, str]:
    """The review page's link and rule: the funder, with a stage open and not yet recorded."""
    allowed, reason = may_review_as_funder(user, project)
    if allowed and not open_review_stages(project):
        return False, _(
            "Reviews: nothing to record now — the mid-term review is recorded while the project is in progress "
            "or in mid-term review, the final review in final review, each once (the project is “%(status)s”)."
        ) % {"status": project.get_status_display()}
    return allowed, reason


def may_supervise(user, project) -> tuple[bool, str]:
    """Record supervision visits to a project and mark rectifications done: the bureau's administrators
    and clerks of the organization's district, the officer of its street."""
    if user is None:
        return OK
    if refusal := city_refusal(user):
        return False, refusal
    region = project.organization.region
    if user.role in (*FUNDER_BUREAU_ROLES, Role.STREET_OFFICER) and _within(user, region):
        return OK
    return False, _("Supervision visits: only the bureau or the officer of the organization's street records them.")


def may_add_visit(user, project) -> tuple[bool, str]:
    """Record a visit: the supervisors (may_supervise), while the project runs."""
    allowed, reason = may_supervise(user, project)
    if allowed and project.status not in PROJECT_RUNNING:
        return False, _("Project: the project is “%(status)s”; supervision visits are recorded while it runs.") % {
            "status": project.get_status_display()
        }
    return allowed, reason


def may_rectify(user, visit) -> tuple[bool, str]:
    """Report a rectification done: the organization itself, or a supervisor marks it rectified."""
    if may_record(user, visit.project)[0] or may_supervise(user, visit.project)[0]:
        return OK
    return False, _("Rectification: only the organization or its supervisors report it done.")


# Purchase of services: the contract is set up by those who manage the project; its milestones are
# delivered by the organization and accepted by the funder, who alone records payments.


def may_set_up_contract(user, project) -> tuple[bool, str]:
    """Set up or amend a project's contract: those who manage the project, until it is closed."""
    allowed, reason = may_manage(user, project)
    if allowed and project.status in (ProjectStatus.CLOSED, ProjectStatus.TERMINATED):
        return False, _("Status: a closed or terminated project cannot be changed.")
    return allowed, reason


def may_deliver_milestone(user, milestone) -> tuple[bool, str]:
    """Report a milestone delivered: the project's organization."""
    if user is None or (user.role == Role.ORG_USER and user.organization_id == milestone.project.organization_id):
        return OK
    return False, _("Only the project's organization reports a milestone delivered.")


def may_decide_milestone(user, milestone) -> tuple[bool, str]:
    """Accept or return a delivered milestone: the funder, and not whoever reported the delivery."""
    if not is_funder(user, milestone.project):
        return False, _("Only the funder (%(funder)s) accepts or returns a milestone.") % {
            "funder": milestone.project.funder.name
        }
    return reviews.may_decide(user, reviews.authors_of(milestone, ("submitted_by",)))


def may_record_payment(user, project) -> tuple[bool, str]:
    """Record or reverse a payment (拨付): the funder's people."""
    if user is not None and (refusal := city_refusal(user)):
        return False, refusal
    if is_funder(user, project):
        return OK
    return False, _("Payments: only the funder (%(funder)s) records payments.") % {"funder": project.funder.name}
