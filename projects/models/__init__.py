"""The projects app's models: projects and their records (projects.py), purchase-of-services
contracts, funders and payments (contracts.py), and oversight (oversight.py)."""

from .contracts import Contract, Funder, FunderMember, Milestone, Payment
from .oversight import ProjectReview, SupervisionVisit
from .projects import (
    ADJUSTMENT_ROLE_ACTIONS,
    AMOUNT,
    PROJECT_ROLE_ACTIONS,
    RECORD_ROLE_ACTIONS,
    BudgetAdjustment,
    BudgetLine,
    Expenditure,
    Indicator,
    LedgerAttachment,
    LedgerEntry,
    MajorActivityReport,
    Project,
    QuarterlySubmission,
)

__all__ = [
    "ADJUSTMENT_ROLE_ACTIONS",
    "AMOUNT",
    "PROJECT_ROLE_ACTIONS",
    "RECORD_ROLE_ACTIONS",
    "BudgetAdjustment",
    "BudgetLine",
    "Contract",
    "Expenditure",
    "Funder",
    "FunderMember",
    "Indicator",
    "LedgerAttachment",
    "LedgerEntry",
    "MajorActivityReport",
    "Milestone",
    "Payment",
    "Project",
    "ProjectReview",
    "QuarterlySubmission",
    "SupervisionVisit",
]
