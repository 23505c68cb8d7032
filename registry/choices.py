"""Choices of the registry: legal forms, categories, statuses, application kinds and states."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class LegalForm(models.TextChoices):
    SOCIAL_GROUP = "social_group", _("Social group")
    SOCIAL_SERVICE = "social_service", _("Social service organization")
    FOUNDATION = "foundation", _("Foundation")
    COMMUNITY_FILED = "community_filed", _("Community organization (filed)")


class RegistrationLevel(models.TextChoices):
    REGISTERED = "registered", _("Registered")
    FILED = "filed", _("Filed")


def level_for(legal_form: str) -> str:
    """Community organizations are filed; every other form is registered."""
    return RegistrationLevel.FILED if legal_form == LegalForm.COMMUNITY_FILED else RegistrationLevel.REGISTERED


class Category(models.TextChoices):
    RESIDENT_SERVICES = "resident_services", _("Resident services")
    CHARITY = "charity", _("Charity")
    MUTUAL_AID = "mutual_aid", _("Neighbourhood mutual aid")
    COMMUNITY_SAFETY = "community_safety", _("Community safety")
    CULTURE_SPORTS = "culture_sports", _("Culture and sports")
    RURAL_TECH = "rural_tech", _("Rural production and technology")


class OrganizationStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    DEREGISTERED = "deregistered", _("Deregistered")
    REVOKED = "revoked", _("Revoked")
    LICENCE_REVOKED = "licence_revoked", _("Licence revoked")


class ApplicationKind(models.TextChoices):
    ESTABLISH = "establish", _("Establishment registration")
    FILE = "file", _("Filing")
    CHANGE = "change", _("Change registration")
    DEREGISTER = "deregister", _("Deregistration")


class FounderKind(models.TextChoices):
    """Who founds a community organization (发起人): residents of the community or units there."""

    RESIDENT = "resident", _("Resident")
    UNIT = "unit", _("Unit in the community")


class ApplicationState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    STREET_REVIEW = "street_review", _("Street review")
    BUREAU_REVIEW = "bureau_review", _("Bureau review")
    RETURNED = "returned", _("Returned for correction")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class ApplicationAction(models.TextChoices):
    CREATE = "create", _("Created")
    SUBMIT = "submit", _("Submitted")
    RESUBMIT = "resubmit", _("Resubmitted")
    APPROVE = "approve", _("Approved")
    REJECT = "reject", _("Rejected")
    RETURN = "return", _("Returned for correction")


class AttachmentKind(models.TextChoices):
    ARTICLES = "articles", _("Articles of association")
    IDENTITY = "identity", _("Identity of the person in charge")
    PREMISES = "premises", _("Proof of premises")
    ROSTER = "roster", _("Member roster")
    LIQUIDATION = "liquidation", _("Liquidation report")
    OTHER = "other", _("Other")


class RosterImportStatus(models.TextChoices):
    UPLOADED = "uploaded", pgettext_lazy("roster import status", "Uploaded")
    VALIDATING = "validating", pgettext_lazy("roster import status", "Checking")
    VALIDATED = "validated", pgettext_lazy("roster import status", "Checked")
    IMPORTING = "importing", pgettext_lazy("roster import status", "Importing")
    IMPORTED = "imported", pgettext_lazy("roster import status", "Imported")
    FAILED = "failed", pgettext_lazy("roster import status", "Failed")


# Sets of application states (the transitions between them are registry.workflows.APPLICATION).
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

# Attachments an application must carry before it is submitted.
REQUIRED_ATTACHMENTS: dict[str, tuple[str, ...]] = {
    ApplicationKind.ESTABLISH: (AttachmentKind.ARTICLES, AttachmentKind.IDENTITY, AttachmentKind.PREMISES),
    ApplicationKind.FILE: (AttachmentKind.ARTICLES, AttachmentKind.IDENTITY),
    ApplicationKind.CHANGE: (),
    ApplicationKind.DEREGISTER: (),
}


class PartyForm(models.TextChoices):
    """How party building reaches an organization: the form party.PartyCoverage records and the
    annual report's party section declares (one set of values for both)."""

    STANDALONE = "standalone", pgettext_lazy("party status", "Own party organization")
    JOINT = "joint", pgettext_lazy("party status", "Joint party organization")
    INSTRUCTOR = "instructor", pgettext_lazy("party status", "Party-building instructor only")
    NONE = "none", pgettext_lazy("party status", "None")
