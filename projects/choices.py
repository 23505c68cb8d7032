"""Choices of the projects app: funding sources, target groups, states and kinds."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class FundingSource(models.TextChoices):
    GOVERNMENT_PURCHASE = "government_purchase", _("Government purchase of services")
    VENTURE_PHILANTHROPY = "venture_philanthropy", _("Venture philanthropy")
    SUBSIDY = "subsidy", _("Subsidy")
    AWARD = "award", _("Award")
    SELF_FUNDED = "self_funded", _("Self-funded")


class FunderKind(models.TextChoices):
    """Who pays for a project. The civil-affairs bureau, a street office and a community act
    through their own staff; the other kinds through their funder accounts."""

    CIVIL_AFFAIRS_BUREAU = "civil_affairs_bureau", _("Civil-affairs bureau")
    GOVERNMENT_DEPARTMENT = "government_department", _("Government department")
    STREET_OFFICE = "street_office", _("Street office")
    COMMUNITY = "community", _("Community")
    WELFARE_LOTTERY = "welfare_lottery", _("Welfare-lottery fund")
    FOUNDATION = "foundation", _("Foundation")
    ENTERPRISE = "enterprise", _("Enterprise")


class ProcurementMethod(models.TextChoices):
    PUBLIC_TENDER = "public_tender", _("Public tender")
    COMPETITIVE_CONSULTATION = "competitive_consultation", _("Competitive consultation")
    COMPETITIVE_NEGOTIATION = "competitive_negotiation", _("Competitive negotiation")
    SINGLE_SOURCE = "single_source", _("Single source")
    COMMISSION = "commission", _("Commission")
    VENTURE_CALL = "venture_call", _("Venture philanthropy call")


class MilestoneStatus(models.TextChoices):
    PENDING = "pending", _("Not yet delivered")
    SUBMITTED = "submitted", _("Delivered, awaiting acceptance")
    RETURNED = "returned", _("Returned")
    ACCEPTED = "accepted", _("Accepted")


class ReviewStage(models.TextChoices):
    MID_TERM = "mid_term", _("Mid-term review")
    FINAL = "final", _("Final review")


class ReviewConclusion(models.TextChoices):
    EXCELLENT = "excellent", _("Excellent")
    GOOD = "good", _("Good")
    PASS = "pass", _("Pass")
    FAIL = "fail", _("Fail")


class VisitKind(models.TextChoices):
    PROFESSIONAL = "professional", _("Professional supervision")
    FOLLOW_UP = "follow_up", _("Follow-up guidance")


class TargetGroup(models.TextChoices):
    ELDERLY = "elderly", _("Elderly")
    CHILDREN = "children", _("Children")
    WOMEN = "women", _("Women")
    DISABLED = "disabled", _("People with disabilities")
    LOW_INCOME = "low_income", _("Low-income households")
    YOUTH = "youth", _("Youth")
    RESIDENTS = "residents", _("Residents")


class ProjectStatus(models.TextChoices):
    APPLIED = "applied", _("Applied")
    APPROVED = "approved", pgettext_lazy("project status", "Approved")
    IN_PROGRESS = "in_progress", _("In progress")
    MID_TERM_REVIEW = "mid_term_review", _("Mid-term review")
    FINAL_REVIEW = "final_review", _("Final review")
    CLOSED = "closed", _("Closed")
    TERMINATED = "terminated", _("Terminated")


class BudgetCategory(models.TextChoices):
    STAFF = "staff", _("Staff")
    ACTIVITIES = "activities", _("Activities")
    MATERIALS = "materials", _("Materials")
    ADMINISTRATION = "administration", pgettext_lazy("budget category", "Administration")
    OTHER = "other", _("Other")


class IndicatorSource(models.TextChoices):
    """Where an indicator's progress comes from: counted from accepted ledger entries, or entered."""

    ACTIVITIES = "activities", _("Activities (counted from the ledger)")
    PARTICIPANTS = "participants", _("Participants (from the ledger)")
    BENEFICIARIES = "beneficiaries", _("Beneficiaries (from the ledger)")
    VOLUNTEER_HOURS = "volunteer_hours", _("Volunteer hours (from the ledger)")
    ENTERED = "entered", _("Entered")
    # 服务对象满意度 and the like: what the people served say, never what the organization types.
    BENEFICIARY_FEEDBACK = "beneficiary_feedback", _("From beneficiary feedback")


class EntryKind(models.TextChoices):
    SERVICE_ACTIVITY = "service_activity", _("Service activity")
    MEETING = "meeting", _("Meeting")
    TRAINING = "training", _("Training")
    PUBLICITY = "publicity", _("Publicity")
    VISIT = "visit", _("Visit")


class EntryStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", pgettext_lazy("ledger status", "Submitted")
    RETURNED = "returned", _("Returned")
    RESUBMITTED = "resubmitted", pgettext_lazy("ledger status", "Resubmitted")
    ACCEPTED = "accepted", _("Accepted")


class AttachmentKind(models.TextChoices):
    PHOTO = "photo", _("Photo")
    SIGN_IN_SHEET = "sign_in_sheet", _("Sign-in sheet")
    OTHER = "other", _("Other")


class SubmissionStatus(models.TextChoices):
    SUBMITTED = "submitted", pgettext_lazy("ledger status", "Submitted")
    RETURNED = "returned", _("Returned")
    RESUBMITTED = "resubmitted", pgettext_lazy("ledger status", "Resubmitted")
    ACCEPTED = "accepted", _("Accepted")


class Timeliness(models.TextChoices):
    ON_TIME = "on_time", _("On time")
    LATE = "late", pgettext_lazy("timeliness", "Late")
    MISSING = "missing", _("Missing")
    NOT_DUE = "not_due", _("Not yet due")


class AdjustmentStatus(models.TextChoices):
    PROPOSED = "proposed", pgettext_lazy("budget adjustment", "Proposed")
    APPROVED = "approved", pgettext_lazy("budget adjustment", "Approved")
    REJECTED = "rejected", pgettext_lazy("budget adjustment", "Rejected")


class MajorActivityStatus(models.TextChoices):
    SUBMITTED = "submitted", pgettext_lazy("ledger status", "Submitted")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    OBJECTED = "objected", _("Objected")


QUARTERS = [(1, _("Q1")), (2, _("Q2")), (3, _("Q3")), (4, _("Q4"))]


# Groups of states the rules ask about (the transitions themselves are in projects.workflows).
# Ledger entries, expenditures and quarters may be recorded while a project runs.
PROJECT_ACTIVE = frozenset(
    {ProjectStatus.APPROVED, ProjectStatus.IN_PROGRESS, ProjectStatus.MID_TERM_REVIEW, ProjectStatus.FINAL_REVIEW}
)
ENTRY_EDITABLE = frozenset({EntryStatus.DRAFT})
ENTRY_UNDER_REVIEW = frozenset({EntryStatus.SUBMITTED, EntryStatus.RESUBMITTED})
# A submitted entry is corrected by a new version, never in place.
ENTRY_CORRECTABLE = frozenset({EntryStatus.SUBMITTED, EntryStatus.RESUBMITTED, EntryStatus.RETURNED})
SUBMISSION_UNDER_REVIEW = frozenset({SubmissionStatus.SUBMITTED, SubmissionStatus.RESUBMITTED})
