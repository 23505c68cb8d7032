"""Who may do what with organizations and applications, each rule returning (allowed, reason)
so a page can say why an action is not offered. Scoping (which rows a user sees at all) is the
models' AccessPolicy; these rules decide the actions on a row the user already sees."""

from __future__ import annotations

from django.utils.translation import gettext as _

from core.choices import Role
from core.reviews import may_decide
from core.scoping import city_refusal

from .choices import (
    EDITABLE_STATES,
    OPEN_STATES,
    ApplicationAction,
    ApplicationKind,
    ApplicationState,
    LegalForm,
    OrganizationStatus,
)
from .models import Application

Result = tuple[bool, str]

OK: Result = (True, "")
APPLYING_BUREAU_ROLES = frozenset({Role.BUREAU_ADMIN, Role.BUREAU_STAFF})
APPLYING_ROLES = APPLYING_BUREAU_ROLES | {Role.ORG_USER}
KINDS_FOR_NEW = {
    ApplicationKind.ESTABLISH: (LegalForm.SOCIAL_GROUP, LegalForm.SOCIAL_SERVICE),
    ApplicationKind.FILE: (LegalForm.COMMUNITY_FILED,),
}


def _in_jurisdiction(user, region) -> bool:
    return user.is_superuser or (user.region is not None and region is not None and user.region.contains(region))


def can_apply(user, kind: str, organization=None) -> Result:
    """Whether `user` may start an application of `kind` (for `organization` when it exists)."""
    if not user.is_authenticated:
        return False, _("Log in first.")
    new = kind in KINDS_FOR_NEW
    if new and organization is not None:
        return False, _("An establishment or filing is for a new organization.")
    if not new:
        if organization is None:
            return False, _("Choose the organization the application is for.")
        if organization.status != OrganizationStatus.ACTIVE:
            return False, _("The organization is no longer active.")
        if Application.objects.filter(organization=organization, state__in=OPEN_STATES).exists():
            return False, _("The organization already has an application in progress.")
    if user.role == Role.ORG_USER:
        if new:
            if user.organization_id:
                return False, _("Your account already acts for an organization.")
            return OK
        if organization.pk != user.organization_id:
            return False, _("You may apply only for your own organization.")
        return OK
    if user.is_superuser or user.role in APPLYING_BUREAU_ROLES:
        if refusal := city_refusal(user):
            return False, refusal
        if organization is not None and not _in_jurisdiction(user, organization.region):
            return False, _("This is outside your jurisdiction.")
        return OK
    return False, _("Only the organization or the bureau may apply.")


def is_applicant_side(user, application) -> Result:
    if user.role == Role.ORG_USER:
        if application.applicant_id == user.pk or (
            application.organization_id and application.organization_id == user.organization_id
        ):
            return OK
        return False, _("This is not your organization's application.")
    if user.is_superuser or user.role in APPLYING_BUREAU_ROLES:
        if refusal := city_refusal(user):
            return False, refusal
        if _in_jurisdiction(user, application.region):
            return OK
        return False, _("This is outside your jurisdiction.")
    return False, _("Only the applicant or the bureau may change an application.")


def can_edit(user, application) -> Result:
    if application.state not in EDITABLE_STATES:
        return False, _("Only a draft or a returned application can be changed.")
    return is_applicant_side(user, application)


def authors(application) -> set[int]:
    """Who created the application or submitted it (each submission is a step); computed once per
    loaded application."""
    cached = application.__dict__.get("_author_ids")
    if cached is None:
        submitters = application.steps.filter(
            action__in=(ApplicationAction.SUBMIT, ApplicationAction.RESUBMIT)
        ).values_list("actor_id", flat=True)
        cached = {application.applicant_id, application.created_by_id, *submitters} - {None}
        application.__dict__["_author_ids"] = cached
    return cached


# Who takes each step of registry.workflows.APPLICATION. None depends on the application's state
# (the workflow asks it only of the steps leaving the state), only on who the user is and what
# the application is.


def may_submit(user, application) -> Result:
    """The workflow's rule for submitting and resubmitting: the applicant's side."""
    if user is None or not user.is_authenticated:
        return False, _("Log in first.")
    return is_applicant_side(user, application)


def may_review_as_street(user, application) -> Result:
    """The street's review of a filing: the street officer over the organization's place, not an author."""
    if user is None or not user.is_authenticated:
        return False, _("Log in first.")
    if not application.is_filing:
        return False, _("The bureau reviews a registration; the street reviews filings only.")
    if not (user.is_superuser or (user.role == Role.STREET_OFFICER and _in_jurisdiction(user, application.region))):
        return False, _("The street officer of the organization's street reviews this step.")
    return may_decide(user, authors(application))


def may_review_as_bureau(user, application) -> Result:
    """The bureau's review: its administrators and clerks over the organization's place, not an author."""
    if user is None or not user.is_authenticated:
        return False, _("Log in first.")
    if not (user.is_superuser or (user.role in APPLYING_BUREAU_ROLES and _in_jurisdiction(user, application.region))):
        return False, _("The bureau reviews this step.")
    return may_decide(user, authors(application))


def can_print_receipt(user, application) -> Result:
    if application.state != ApplicationState.APPROVED:
        return False, _("A receipt is issued only for an approved application.")
    return OK


def can_import(user) -> Result:
    """Roster import: bureau administrators and clerks of a district."""
    if not (user.is_authenticated and user.is_active):
        return False, _("Log in first.")
    if not (user.is_superuser or user.role in APPLYING_BUREAU_ROLES):
        return False, _("Only the bureau may import rosters.")
    if user.region is None or user.region.level != "district":
        return False, _("A roster is imported by the district bureau.")
    return OK
