"""Every write of the projects app: atomic, validated, audited, one module per aggregate. State
changes go through the workflows of projects.workflows (core.workflows.Workflow.apply): the row is
locked, a double click or two reviewers at once make exactly one transition, and the organization is
told of decisions on its records.

Callers use `from projects import services` and the names below."""

from ..rules import AMOUNT_LIMIT, COUNT_FIELDS, ENTRY_FIELDS, budget_line_balance, clean_entry_data, expenditure_check
from .budget import (
    budget_adjustment_approve,
    budget_adjustment_propose,
    budget_adjustment_reject,
    budget_line_create,
    budget_line_delete,
    budget_line_update,
)
from .contracts import (
    contract_amend,
    contract_create,
    milestone_accept,
    milestone_return,
    milestone_submit,
    milestone_transition,
)
from .expenditures import expenditure_create, expenditure_reverse
from .funders import (
    funder_account_create,
    funder_create,
    funder_member_link,
    funder_update,
    may_manage_funders,
    office_funder,
)
from .indicators import indicator_create, indicator_enter_value, is_feedback_name
from .ledger import (
    ledger_attachment_add,
    ledger_entry_accept,
    ledger_entry_correct,
    ledger_entry_create,
    ledger_entry_delete,
    ledger_entry_return,
    ledger_entry_submit,
    ledger_entry_update,
    submit_locked_entry,
)
from .major_activities import (
    major_activity_acknowledge,
    major_activity_is_late,
    major_activity_object,
    major_activity_report_create,
)
from .oversight import (
    project_review_record,
    rectification_reminders_send,
    supervision_visit_record,
    supervision_visit_rectify,
)
from .payments import payment_record, payment_reverse
from .projects import PROJECT_EDITABLE, PROJECT_FIXED_AFTER_APPROVAL, project_create, project_transition, project_update
from .quarters import (
    quarter_entries,
    quarterly_submission_accept,
    quarterly_submission_return,
    quarterly_submission_submit,
)
from .reminders import due_quarters, due_reminders_send, reminders_send
from .uploads import expenditure_upload_apply, ledger_upload_apply

__all__ = [
    "AMOUNT_LIMIT",
    "COUNT_FIELDS",
    "ENTRY_FIELDS",
    "PROJECT_EDITABLE",
    "PROJECT_FIXED_AFTER_APPROVAL",
    "budget_adjustment_approve",
    "budget_adjustment_propose",
    "budget_adjustment_reject",
    "budget_line_balance",
    "budget_line_create",
    "budget_line_delete",
    "budget_line_update",
    "clean_entry_data",
    "contract_amend",
    "contract_create",
    "due_quarters",
    "due_reminders_send",
    "expenditure_check",
    "expenditure_create",
    "expenditure_reverse",
    "expenditure_upload_apply",
    "funder_account_create",
    "funder_create",
    "funder_member_link",
    "funder_update",
    "indicator_create",
    "indicator_enter_value",
    "is_feedback_name",
    "ledger_attachment_add",
    "ledger_entry_accept",
    "ledger_entry_correct",
    "ledger_entry_create",
    "ledger_entry_delete",
    "ledger_entry_return",
    "ledger_entry_submit",
    "ledger_entry_update",
    "ledger_upload_apply",
    "major_activity_acknowledge",
    "major_activity_is_late",
    "major_activity_object",
    "major_activity_report_create",
    "may_manage_funders",
    "milestone_accept",
    "milestone_return",
    "milestone_submit",
    "milestone_transition",
    "office_funder",
    "payment_record",
    "payment_reverse",
    "project_create",
    "project_review_record",
    "project_transition",
    "project_update",
    "quarter_entries",
    "quarterly_submission_accept",
    "quarterly_submission_return",
    "quarterly_submission_submit",
    "rectification_reminders_send",
    "reminders_send",
    "submit_locked_entry",
    "supervision_visit_record",
    "supervision_visit_rectify",
]
