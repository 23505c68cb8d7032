"""Choices of the projects app: funding sources, target groups, states and kinds."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class FundingSource(models.TextChoices):
    GOVERNMENT_PURCHASE = "government_purchase", _("Government purchase of services")
    VENTURE_PHILANTHROPY = "venture_philanthropy", _("Venture philanthropy")
    SUBSIDY = "subsidy", _("Subsidy")
    AWARD = "award", _("Award")
    SELF_FUNDED = "self_funded", _("Self-funded")


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
    APPROVED = "approved", _("Approved")
    IN_PROGRESS = "in_progress", _("In progress")
    MID_TERM_REVIEW = "mid_term_review", _("Mid-term review")
    FINAL_REVIEW = "final_review", _("Final review")
    CLOSED = "closed", _("Closed")
    TERMINATED = "terminated", _("Terminated")


class BudgetCategory(models.TextChoices):
    STAFF = "staff", _("Staff")
    ACTIVITIES = "activities", _("Activities")
    MATERIALS = "materials", _("Materials")
    ADMINISTRATION = "administration", _("Administration")
    OTHER = "other", _("Other")


class IndicatorSource(models.TextChoices):
    """Where an indicator's progress comes from: counted from accepted ledger entries, or entered."""

    ACTIVITIES = "activities", _("Activities (counted from the ledger)")
    PARTICIPANTS = "participants", _("Participants (from the ledger)")
    BENEFICIARIES = "beneficiaries", _("Beneficiaries (from the ledger)")
    VOLUNTEER_HOURS = "volunteer_hours", _("Volunteer hours (from the ledger)")
    ENTERED = "entered", _("Entered")


class EntryKind(models.TextChoices):
    SERVICE_ACTIVITY = "service_activity", _("Service activity")
    MEETING = "meeting", _("Meeting")
    TRAINING = "training", _("Training")
    PUBLICITY = "publicity", _("Publicity")
    VISIT = "visit", _("Visit")


class EntryStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned")
    RESUBMITTED = "resubmitted", _("Resubmitted")
    ACCEPTED = "accepted", _("Accepted")


class AttachmentKind(models.TextChoices):
    PHOTO = "photo", _("Photo")
    SIGN_IN_SHEET = "sign_in_sheet", _("Sign-in sheet")
    OTHER = "other", _("Other")


class SubmissionStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned")
    RESUBMITTED = "resubmitted", _("Resubmitted")
    ACCEPTED = "accepted", _("Accepted")


class Timeliness(models.TextChoices):
    ON_TIME = "on_time", _("On time")
    LATE = "late", _("Late")
    MISSING = "missing", _("Missing")
    NOT_DUE = "not_due", _("Not yet due")


class AdjustmentStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class MajorActivityStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    OBJECTED = "objected", _("Objected")


QUARTERS = [(1, _("Q1")), (2, _("Q2")), (3, _("Q3")), (4, _("Q4"))]
