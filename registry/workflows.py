"""The application workflow as data (core.workflows): which step moves an application from which
state to which, who takes it, and whether a reason is required.

    draft ─submit→ street_review (filings) ─approve→ bureau_review ─approve→ approved
                   └──────────── (registrations) ──────┘            ├reject→ rejected
    each review step: reject (reason) → rejected; return (reason) → returned ─resubmit→ first review

The services move an application with `APPLICATION.apply` (registry.services.applications);
the detail page and the API list `APPLICATION.offers`.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from core.choices import Role
from core.workflows import Transition, Workflow

from . import permissions
from .choices import (  # noqa: F401 - the sets of states are read from here too
    EDITABLE_STATES,
    FINAL_STATES,
    OPEN_STATES,
    REQUIRED_ATTACHMENTS,
    REVIEW_STATES,
    ApplicationAction,
    ApplicationState,
)
from .models import Application

S = ApplicationState
A = ApplicationAction


def first_review(application) -> str:
    """Filings are reviewed by the street first; registrations go straight to the bureau."""
    return S.STREET_REVIEW if application.is_filing else S.BUREAU_REVIEW


FIRST_REVIEWS = frozenset({S.STREET_REVIEW, S.BUREAU_REVIEW})


def audience(application) -> list:
    """Who is told of a decision: the organization's accounts and the organization account that
    applied (an establishment or filing has no organization until it is approved)."""
    users = []
    if application.organization_id:
        users.extend(application.organization.accounts())
    if application.applicant.role == Role.ORG_USER:
        users.append(application.applicant)
    return users


def visited(application) -> set[str]:
    """The states the application has been in (its steps)."""
    return {state for pair in application.steps.values_list("from_state", "to_state") for state in pair if state}


APPLICATION = Workflow(
    Application,
    (
        Transition(
            A.SUBMIT,
            {S.DRAFT},
            first_review,
            _("Submit"),
            permission=permissions.may_submit,
            targets=FIRST_REVIEWS,
        ),
        Transition(
            A.RESUBMIT,
            {S.RETURNED},
            first_review,
            _("Resubmit"),
            permission=permissions.may_submit,
            targets=FIRST_REVIEWS,
        ),
        Transition(
            A.APPROVE,
            {S.STREET_REVIEW},
            S.BUREAU_REVIEW,
            _("Pass to the bureau"),
            button="success",
            decides=True,
            permission=permissions.may_review_as_street,
        ),
        Transition(
            A.RETURN,
            {S.STREET_REVIEW},
            S.RETURNED,
            _("Return for correction"),
            button="warning",
            needs_reason=True,
            decides=True,
            permission=permissions.may_review_as_street,
        ),
        Transition(
            A.REJECT,
            {S.STREET_REVIEW},
            S.REJECTED,
            _("Reject"),
            button="danger",
            needs_reason=True,
            decides=True,
            permission=permissions.may_review_as_street,
        ),
        Transition(
            A.APPROVE,
            {S.BUREAU_REVIEW},
            S.APPROVED,
            _("Approve"),
            button="success",
            decides=True,
            permission=permissions.may_review_as_bureau,
        ),
        Transition(
            A.RETURN,
            {S.BUREAU_REVIEW},
            S.RETURNED,
            _("Return for correction"),
            button="warning",
            needs_reason=True,
            decides=True,
            permission=permissions.may_review_as_bureau,
        ),
        Transition(
            A.REJECT,
            {S.BUREAU_REVIEW},
            S.REJECTED,
            _("Reject"),
            button="danger",
            needs_reason=True,
            decides=True,
            permission=permissions.may_review_as_bureau,
        ),
    ),
    field="state",
    kind="registry.application",
    audience=audience,
    url_name="registry:application_transition",
    lock_related=("organization", "region", "district"),
    visited=visited,
)

# Every step's name, for the routes that take one.
ACTIONS = APPLICATION.names

# Steps the applicant's side takes (the page words their card differently).
APPLICANT_STEPS = frozenset({A.SUBMIT, A.RESUBMIT})


def step_label(step) -> str:
    """An ApplicationStep as the workflow names it (the street's "approve" passes to the bureau)."""
    transition = APPLICATION.find(step.action, step.from_state)
    return str(transition.label) if transition is not None else step.get_action_display()
