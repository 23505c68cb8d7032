"""The application workflow as data: which action moves an application from which state to
which, who takes it, and whether a reason is required.

    draft ─submit→ street_review (filings) ─approve→ bureau_review ─approve→ approved
                   └──────────── (registrations) ──────┘            ├reject→ rejected
    each review step: reject (reason) → rejected; return (reason) → returned ─resubmit→ first review
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from .choices import ApplicationAction, ApplicationKind, ApplicationState, AttachmentKind

# Who may take a transition: the applicant's side, the street officer, the bureau.
APPLICANT = "applicant"
STREET = "street"
BUREAU = "bureau"

# Target meaning "the application's first review step".
FIRST_REVIEW = "first_review"

OPEN_STATES = frozenset(
    {
        ApplicationState.DRAFT,
        ApplicationState.STREET_REVIEW,
        ApplicationState.BUREAU_REVIEW,
        ApplicationState.RETURNED,
    }
)
EDITABLE_STATES = frozenset({ApplicationState.DRAFT, ApplicationState.RETURNED})
REVIEW_STATES = frozenset({ApplicationState.STREET_REVIEW, ApplicationState.BUREAU_REVIEW})
FINAL_STATES = frozenset({ApplicationState.APPROVED, ApplicationState.REJECTED})


@dataclass(frozen=True)
class Transition:
    action: str
    source: str
    target: str
    actor: str
    needs_reason: bool = False
    label: str = ""
    button: str = "primary"


TRANSITIONS: tuple[Transition, ...] = (
    Transition(ApplicationAction.SUBMIT, ApplicationState.DRAFT, FIRST_REVIEW, APPLICANT, label=_("Submit")),
    Transition(ApplicationAction.RESUBMIT, ApplicationState.RETURNED, FIRST_REVIEW, APPLICANT, label=_("Resubmit")),
    Transition(
        ApplicationAction.APPROVE,
        ApplicationState.STREET_REVIEW,
        ApplicationState.BUREAU_REVIEW,
        STREET,
        label=_("Pass to the bureau"),
        button="success",
    ),
    Transition(
        ApplicationAction.RETURN,
        ApplicationState.STREET_REVIEW,
        ApplicationState.RETURNED,
        STREET,
        needs_reason=True,
        label=_("Return for correction"),
        button="warning",
    ),
    Transition(
        ApplicationAction.REJECT,
        ApplicationState.STREET_REVIEW,
        ApplicationState.REJECTED,
        STREET,
        needs_reason=True,
        label=_("Reject"),
        button="danger",
    ),
    Transition(
        ApplicationAction.APPROVE,
        ApplicationState.BUREAU_REVIEW,
        ApplicationState.APPROVED,
        BUREAU,
        label=_("Approve"),
        button="success",
    ),
    Transition(
        ApplicationAction.RETURN,
        ApplicationState.BUREAU_REVIEW,
        ApplicationState.RETURNED,
        BUREAU,
        needs_reason=True,
        label=_("Return for correction"),
        button="warning",
    ),
    Transition(
        ApplicationAction.REJECT,
        ApplicationState.BUREAU_REVIEW,
        ApplicationState.REJECTED,
        BUREAU,
        needs_reason=True,
        label=_("Reject"),
        button="danger",
    ),
)

ACTIONS = tuple(dict.fromkeys(t.action for t in TRANSITIONS))

# Attachments an application must carry before it is submitted.
REQUIRED_ATTACHMENTS: dict[str, tuple[str, ...]] = {
    ApplicationKind.ESTABLISH: (AttachmentKind.ARTICLES, AttachmentKind.IDENTITY, AttachmentKind.PREMISES),
    ApplicationKind.FILE: (AttachmentKind.ARTICLES, AttachmentKind.IDENTITY),
    ApplicationKind.CHANGE: (),
    ApplicationKind.DEREGISTER: (),
}


def transition_for(action: str, state: str) -> Transition | None:
    for transition in TRANSITIONS:
        if transition.action == action and transition.source == state:
            return transition
    return None


def transitions_from(state: str) -> list[Transition]:
    return [t for t in TRANSITIONS if t.source == state]


def first_review(application) -> str:
    """Filings are reviewed by the street first; registrations go straight to the bureau."""
    return ApplicationState.STREET_REVIEW if application.is_filing else ApplicationState.BUREAU_REVIEW


def target_of(transition: Transition, application) -> str:
    return first_review(application) if transition.target == FIRST_REVIEW else transition.target
