"""Choices of annual reports and of the abnormal-activity and serious-violation lists."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ReportKind(models.TextChoices):
    """What an organization reports each year, and to whom: a registered organization its annual
    work report (年度工作报告) to the bureau; a filed community organization the lighter annual
    status report (年度情况报告) to its street."""

    WORK_REPORT = "work_report", _("Annual work report")
    STATUS_REPORT = "status_report", _("Annual status report")


class AnnualReportStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("annual report status", "Draft")
    SUBMITTED = "submitted", pgettext_lazy("annual report status", "Submitted")
    RETURNED = "returned", pgettext_lazy("annual report status", "Returned for correction")
    CONCLUDED = "concluded", pgettext_lazy("annual report status", "Concluded")


class AnnualReportConclusion(models.TextChoices):
    PASS = "pass", pgettext_lazy("annual report conclusion", "Pass")
    BASIC_PASS = "basic_pass", pgettext_lazy("annual report conclusion", "Basic pass")
    FAIL = "fail", pgettext_lazy("annual report conclusion", "Fail")


class ListingReason(models.TextChoices):
    """Why an organization is entered in the abnormal-activity list (活动异常名录)."""

    NO_ANNUAL_REPORT = "no_annual_report", _("No annual report submitted")
    NO_PARTY_ORGANIZATION = "no_party_organization", _("No party organization formed as required")
    RECTIFICATION_OVERDUE = "rectification_overdue", _("Rectification overdue")
    UNREACHABLE = "unreachable", _("Unreachable at the registered address")
    WARNED_OR_FINED = "warned_or_fined", _("Warned, or fined less than 50,000 yuan")


# Reasons that leave nothing to rectify or fulfil: such a listing ends six months after it began
# when nothing else was listed since (社会组织信用信息管理办法); the nightly job proposes it.
NOTHING_TO_RECTIFY_REASONS = frozenset({ListingReason.WARNED_OR_FINED})


class ListingEndReason(models.TextChoices):
    RECTIFIED = "rectified", _("Rectification verified")
    REPORT_FILED = "report_filed", _("Missing annual report filed")
    NOTHING_TO_RECTIFY = "nothing_to_rectify", _("Six months listed, nothing to rectify")
    LISTED_IN_ERROR = "listed_in_error", _("Listed in error")
    MOVED_TO_SERIOUS = "moved_to_serious", _("Moved to the serious-violation list")


class RemovalProposal(models.TextChoices):
    """Why a listing is proposed for removal — a to-do of the bureau, which decides (remove, or keep
    it listed with a reason); never a removal by itself."""

    REPORT_FILED = "report_filed", _("The missing annual report has been filed")
    NOTHING_TO_RECTIFY = "nothing_to_rectify", _("Six months listed with nothing to rectify")


class SeriousListingReason(models.TextChoices):
    ABNORMAL_TWO_YEARS = "abnormal_two_years", _("Two years in the abnormal-activity list")
    SERIOUS_VIOLATION = "serious_violation", _("Serious violation of law")
    REVOKED = "revoked", _("Registration revoked or certificate revoked")


class RevocationKind(models.TextChoices):
    """The bureau's two ways of ending a registered organization against its will."""

    REVOKE = "revoke", _("Revocation of registration")
    REVOKE_LICENCE = "revoke_licence", _("Revocation of the registration certificate")


class RevocationStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("revocation status", "Draft")
    SUBMITTED = "submitted", pgettext_lazy("revocation status", "Awaiting decision")
    RETURNED = "returned", pgettext_lazy("revocation status", "Returned for correction")
    APPROVED = "approved", pgettext_lazy("revocation status", "Decided")
    REJECTED = "rejected", pgettext_lazy("revocation status", "Not decided")


OPEN_REVOCATION_STATES = frozenset({RevocationStatus.DRAFT, RevocationStatus.SUBMITTED, RevocationStatus.RETURNED})


class SeriousListingEndReason(models.TextChoices):
    RECTIFIED = "rectified", _("Rectification verified")
    LISTED_IN_ERROR = "listed_in_error", _("Listed in error")
    # Ended by the system only: a new serious-violation listing (a revocation) took its place.
    SUPERSEDED = "superseded", _("Superseded by a new listing")
