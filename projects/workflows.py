"""States and transitions of projects, ledger entries, quarterly submissions, budget adjustments and
major-activity reports, declared as data. Services look a transition up here and refuse anything else."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from core import bounds
from core.workflows import StaleTransition, reachable

from .choices import AdjustmentStatus, EntryStatus, MajorActivityStatus, ProjectStatus, SubmissionStatus


@dataclass(frozen=True)
class Transition:
    name: str
    sources: frozenset[str]
    target: str
    label: Promise
    needs_reason: bool = False


class Workflow:
    def __init__(self, state_choices, *transitions: Transition):
        self.state_choices = state_choices
        self.transitions = {t.name: t for t in transitions}

    def __getitem__(self, name: str) -> Transition:
        return self.transitions[name]

    def after(self, transition: Transition) -> frozenset[str]:
        """The states an object can be in once `transition` was available and someone moved it on."""
        edges = ((source, t.target) for t in self.transitions.values() for source in t.sources)
        return reachable(edges, transition.sources)

    def available(self, state: str) -> list[Transition]:
        return [t for t in self.transitions.values() if state in t.sources]

    def check(self, name: str, state: str, reason: str = "") -> Transition:
        """The transition `name` from `state`, or a ValidationError saying why it cannot happen."""
        transition = self.transitions.get(name)
        if transition is None:  # a name typed into the API rather than chosen from a button
            raise ValidationError(
                {"name": _("Action: choose one of %(actions)s.") % {"actions": "、".join(self.transitions)}}
            )
        if state not in transition.sources:
            if state in self.after(transition):
                raise StaleTransition(self.state_choices(state).label)
            raise ValidationError(
                {
                    "status": _("The status is “%(state)s”; “%(action)s” is not possible now.")
                    % {"state": self.state_choices(state).label, "action": transition.label}
                }
            )
        if transition.needs_reason and not (reason or "").strip():
            raise ValidationError(
                {"reason": _("Reason: please give a reason for “%(action)s”.") % {"action": transition.label}}
            )
        if len((reason or "").strip()) > bounds.SHORT_TEXT_MAX:
            raise ValidationError({"reason": _("Reason: at most %(n)d characters.") % {"n": bounds.SHORT_TEXT_MAX}})
        return transition


S = ProjectStatus
# Ledger entries, expenditures and quarters may be recorded while a project runs.
PROJECT_ACTIVE = frozenset({S.APPROVED, S.IN_PROGRESS, S.MID_TERM_REVIEW, S.FINAL_REVIEW})

PROJECT = Workflow(
    ProjectStatus,
    Transition("approve", frozenset({S.APPLIED}), S.APPROVED, gettext_lazy("Approve the project")),
    Transition("start", frozenset({S.APPROVED}), S.IN_PROGRESS, gettext_lazy("Start")),
    Transition("mid_term_review", frozenset({S.IN_PROGRESS}), S.MID_TERM_REVIEW, gettext_lazy("Begin mid-term review")),
    Transition("final_review", frozenset({S.MID_TERM_REVIEW}), S.FINAL_REVIEW, gettext_lazy("Begin final review")),
    Transition("close", frozenset({S.FINAL_REVIEW}), S.CLOSED, pgettext_lazy("project", "Close")),
    Transition(
        "terminate",
        frozenset({S.APPLIED, S.APPROVED, S.IN_PROGRESS, S.MID_TERM_REVIEW, S.FINAL_REVIEW}),
        S.TERMINATED,
        gettext_lazy("Terminate"),
        needs_reason=True,
    ),
)

E = EntryStatus
ENTRY_EDITABLE = frozenset({E.DRAFT})
ENTRY_UNDER_REVIEW = frozenset({E.SUBMITTED, E.RESUBMITTED})
# A submitted entry is corrected by a new version, never in place.
ENTRY_CORRECTABLE = frozenset({E.SUBMITTED, E.RESUBMITTED, E.RETURNED})

LEDGER_ENTRY = Workflow(
    EntryStatus,
    Transition("submit", frozenset({E.DRAFT}), E.SUBMITTED, gettext_lazy("Submit")),
    Transition("resubmit", frozenset({E.DRAFT}), E.RESUBMITTED, gettext_lazy("Resubmit")),
    Transition("accept", ENTRY_UNDER_REVIEW, E.ACCEPTED, gettext_lazy("Accept")),
    Transition("return", ENTRY_UNDER_REVIEW, E.RETURNED, gettext_lazy("Return"), needs_reason=True),
)

Q = SubmissionStatus
QUARTERLY_SUBMISSION = Workflow(
    SubmissionStatus,
    Transition("resubmit", frozenset({Q.RETURNED}), Q.RESUBMITTED, gettext_lazy("Resubmit")),
    Transition("accept", frozenset({Q.SUBMITTED, Q.RESUBMITTED}), Q.ACCEPTED, gettext_lazy("Accept")),
    Transition(
        "return", frozenset({Q.SUBMITTED, Q.RESUBMITTED}), Q.RETURNED, gettext_lazy("Return"), needs_reason=True
    ),
)

A = AdjustmentStatus
BUDGET_ADJUSTMENT = Workflow(
    AdjustmentStatus,
    Transition("approve", frozenset({A.PROPOSED}), A.APPROVED, pgettext_lazy("budget adjustment", "Approve")),
    Transition(
        "reject", frozenset({A.PROPOSED}), A.REJECTED, pgettext_lazy("budget adjustment", "Reject"), needs_reason=True
    ),
)

M = MajorActivityStatus
MAJOR_ACTIVITY = Workflow(
    MajorActivityStatus,
    Transition("acknowledge", frozenset({M.SUBMITTED}), M.ACKNOWLEDGED, gettext_lazy("Acknowledge")),
    Transition("object", frozenset({M.SUBMITTED}), M.OBJECTED, gettext_lazy("Object"), needs_reason=True),
)
