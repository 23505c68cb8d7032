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
from .models import AnnualReport


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
