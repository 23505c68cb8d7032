"""The party app's workflows, declared on the one engine (core.workflows):

    party organization:  active ─dissolve (reason)→ dissolved
                         (refused while it still covers organizations: services.organizations)
    meeting decision:    open ─complete (the follow-up)→ done

The services move them (party_organization_dissolve, decision_complete); the pages' buttons and the
API's `transitions` read their offers.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from core.workflows import Transition, Workflow

from . import permissions as rules
from .choices import DecisionStatus as D
from .choices import PartyOrganizationStatus as P
from .models import MeetingDecision, PartyOrganization

PARTY_ORGANIZATION = Workflow(
    PartyOrganization,
    (
        Transition(
            "dissolve",
            {P.ACTIVE},
            P.DISSOLVED,
            _("Dissolve"),
            button="danger",
            needs_reason=True,
            permission=rules.may_dissolve,
        ),
    ),
    url_name="party:partyorganization_transition",
    lock_related=("region",),
)

DECISION = Workflow(
    MeetingDecision,
    (
        Transition(
            "complete",
            {D.OPEN},
            D.DONE,
            _("Record as done"),
            button="success",
            needs_reason=True,
            permission=rules.may_complete_decision,
        ),
    ),
    url_name="party:meetingdecision_transition",
    lock_related=("meeting__region",),
)
