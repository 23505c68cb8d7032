"""The annual report's workflow, declared on the one engine (core.workflows):

    draft ─submit→ submitted ─conclude→ concluded (合格 / 基本合格 / 不合格)
    returned ─submit→ submitted ─return (reason)→ returned

Submitting is the organization's (or the bureau acting for it); returning and concluding are the
reviewer's decisions — the bureau's for a registered organization's work report, the street
officer's for a filed organization's status report, never whoever wrote or submitted the report —
and tell the organization's accounts. Listings have no states of their own (a listing begins and
ends, see services.listings).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.workflows import Transition, Workflow

from . import permissions as rules
from .choices import AnnualReportStatus as S
from .choices import RevocationStatus as R
from .models import AnnualReport, Revocation


def organization_accounts(report) -> list:
    """The organization's own accounts: told when the bureau returns or concludes its report."""
    return report.organization.accounts()


ANNUAL_REPORT = Workflow(
    AnnualReport,
    (
        Transition(
            "submit",
            {S.DRAFT, S.RETURNED},
            S.SUBMITTED,
            pgettext_lazy("annual report", "Submit"),
            permission=rules.may_submit,
        ),
        Transition(
            "conclude",
            {S.SUBMITTED},
            S.CONCLUDED,
            pgettext_lazy("annual report", "Conclude"),
            button="success",
            decides=True,
            permission=rules.can_decide_report,
        ),
        Transition(
            "return",
            {S.SUBMITTED},
            S.RETURNED,
            _("Return for correction"),
            button="warning",
            needs_reason=True,
            decides=True,
            permission=rules.can_decide_report,
        ),
    ),
    kind="supervision.annual_report",
    audience=organization_accounts,
    url_name="supervision:annualreport_transition",
    lock_related=("organization__region",),
)


def revocation_audience(revocation) -> list:
    """Who is told of a decision on a revocation: the organization's accounts once it is decided
    (their organization is revoked); the clerks who drafted and proposed it when it is returned or
    not decided (the bureau's own deliberation stays inside the bureau)."""
    if revocation.status == R.APPROVED:
        return revocation.organization.accounts()
    return [user for user in (revocation.created_by, revocation.submitted_by) if user is not None]


# A revocation (撤销登记) or licence revocation (吊销登记证书), proposed by a clerk of the bureau and
# decided by another person:
#
#     draft ─submit→ submitted ─approve→ approved (status changed, serious-violation list)
#     returned ─submit→ submitted ─return (reason)→ returned │ reject (reason)→ rejected
REVOCATION = Workflow(
    Revocation,
    (
        Transition(
            "submit",
            {R.DRAFT, R.RETURNED},
            R.SUBMITTED,
            _("Propose for decision"),
            permission=rules.may_propose_revocation,
        ),
        Transition(
            "approve",
            {R.SUBMITTED},
            R.APPROVED,
            _("Approve the decision"),
            button="danger",
            decides=True,
            permission=rules.may_decide_revocation,
        ),
        Transition(
            "return",
            {R.SUBMITTED},
            R.RETURNED,
            _("Return for correction"),
            button="warning",
            needs_reason=True,
            decides=True,
            permission=rules.may_decide_revocation,
        ),
        Transition(
            "reject",
            {R.SUBMITTED},
            R.REJECTED,
            _("Reject the proposal"),
            button="secondary",
            needs_reason=True,
            decides=True,
            permission=rules.may_decide_revocation,
        ),
    ),
    kind="supervision.revocation",
    audience=revocation_audience,
    url_name="supervision:revocation_transition",
    lock_related=("organization__region",),
)
