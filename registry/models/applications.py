"""Applications to establish, file, change or deregister an organization, their path and files."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core import bounds
from core.choices import Action, Role
from core.models import Reviewed, ScopedModel
from core.scoping import AccessPolicy, RestrictedManager

from ..choices import ApplicationAction, ApplicationKind, ApplicationState, AttachmentKind, FounderKind, LegalForm
from ..uploads import ATTACHMENT_UPLOADS


def _org_user_applications(user, action):
    """An organization account sees its organization's applications and those it started itself
    (an establishment or filing has no organization until it is approved)."""
    condition = Q(applicant_id=user.pk)
    if user.organization_id:
        condition |= Q(organization_id=user.organization_id)
    return condition


APPLICATION_ACCESS = AccessPolicy(
    region="region",
    organization="organization",
    role_actions={
        Role.BUREAU_ADMIN: frozenset(Action.values),
        Role.BUREAU_STAFF: frozenset({Action.VIEW, Action.ADD, Action.CHANGE}),
        Role.BUREAU_VIEWER: frozenset({Action.VIEW}),
        Role.STREET_OFFICER: frozenset({Action.VIEW, Action.CHANGE}),
        Role.COMMUNITY_PARTY: frozenset({Action.VIEW}),
        Role.ORG_USER: frozenset({Action.VIEW, Action.ADD, Action.CHANGE}),
    },
    extra={Role.ORG_USER: _org_user_applications},
)


class Application(Reviewed, ScopedModel):
    """One request to the bureau. `data` holds the proposed values (all of them for an
    establishment or filing, only the changed ones for a change); `current` the organization's
    values when it was submitted, so the reviewer sees a field-level diff."""

    number = models.CharField(_("application number"), max_length=32, unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=ApplicationKind.choices)
    state = models.CharField(
        _("state"), max_length=16, choices=ApplicationState.choices, default=ApplicationState.DRAFT
    )
    organization = models.ForeignKey(
        "registry.Organization",
        verbose_name=_("organization"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="applications",
    )
    legal_form = models.CharField(_("legal form"), max_length=32, choices=LegalForm.choices)
    region = models.ForeignKey(
        "accounts.Region",
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        related_name="registry_applications",
    )
    district = models.ForeignKey(
        "accounts.Region",
        verbose_name=_("district"),
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("applicant"),
        on_delete=models.PROTECT,
        related_name="registry_applications",
    )
    data = models.JSONField(_("proposed values"), default=dict, blank=True)
    current = models.JSONField(_("values before the change"), default=dict, blank=True)
    liquidation_conclusion = models.TextField(_("liquidation conclusion"), blank=True, validators=bounds.LONG_TEXT)
    remarks = models.TextField(_("remarks"), blank=True, validators=bounds.SHORT_TEXT)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)

    access_policy = APPLICATION_ACCESS
    objects = RestrictedManager()

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=[ApplicationKind.ESTABLISH, ApplicationKind.FILE]) | Q(organization__isnull=False),
                name="application_change_has_organization",
            ),
        ]
        indexes = [
            models.Index(fields=["state", "kind"], name="application_state_kind"),
            models.Index(fields=["submitted_at", "id"], name="application_submitted_id"),
            models.Index(fields=["reviewed_at", "id"], name="application_reviewed_id"),
            models.Index(fields=["created_at", "id"], name="application_created_id"),
        ]

    def __str__(self):
        return f"{self.number} {self.display_name}"

    def get_absolute_url(self):
        return reverse("registry:application_detail", args=[self.pk])

    @property
    def display_name(self) -> str:
        if self.organization_id and self.kind in (ApplicationKind.CHANGE, ApplicationKind.DEREGISTER):
            return self.organization.name
        return self.data.get("name") or (self.organization.name if self.organization_id else "")

    @property
    def is_filing(self) -> bool:
        return self.legal_form == LegalForm.COMMUNITY_FILED


class Founder(models.Model):
    """A founder (发起人) an establishment application names: a resident of the community or a unit
    there, as the ministry's rules found community organizations on their community. Replaced as a
    whole with the application's proposal while it is a draft or returned (services.applications)."""

    application = models.ForeignKey(
        Application, verbose_name=_("application"), on_delete=models.CASCADE, related_name="founders"
    )
    position = models.PositiveSmallIntegerField(_("position"), default=1)
    name = models.CharField(_("founder"), max_length=100)
    kind = models.CharField(_("resident or unit"), max_length=16, choices=FounderKind.choices)
    community = models.ForeignKey(
        "accounts.Region",
        verbose_name=_("community"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    contact = models.CharField(_("contact"), max_length=50)

    access_policy = AccessPolicy(region="application__region", organization="application__organization")
    objects = RestrictedManager()

    class Meta:
        verbose_name = _("founder")
        verbose_name_plural = _("founders")
        ordering = ["position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(community__isnull=False) | ~Q(address=""), name="founder_community_or_address"
            ),
        ]

    def __str__(self):
        return f"{self.name}（{self.get_kind_display()}）"

    @property
    def place(self) -> str:
        """The founder's community, or the address where none was chosen."""
        if self.community_id:
            return self.community.name + (f" {self.address}" if self.address else "")
        return self.address


class ApplicationStep(models.Model):
    """One move along an application's path: who did what, when, and why."""

    application = models.ForeignKey(
        Application, verbose_name=_("application"), on_delete=models.CASCADE, related_name="steps"
    )
    action = models.CharField(_("action"), max_length=16, choices=ApplicationAction.choices)
    from_state = models.CharField(
        pgettext_lazy("state", "from"), max_length=16, choices=ApplicationState.choices, blank=True
    )
    to_state = models.CharField(pgettext_lazy("state", "to"), max_length=16, choices=ApplicationState.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("time"))
    reason = models.TextField(_("reason"), blank=True, validators=bounds.SHORT_TEXT)

    access_policy = AccessPolicy(region="application__region", organization="application__organization")
    objects = RestrictedManager()

    class Meta:
        verbose_name = _("application step")
        verbose_name_plural = _("application steps")
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.application.number} {self.get_action_display()}"


class Attachment(models.Model):
    """A file supporting an application, judged by its content (ATTACHMENT_UPLOADS)."""

    application = models.ForeignKey(
        Application, verbose_name=_("application"), on_delete=models.PROTECT, related_name="attachments"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=AttachmentKind.choices)
    file = models.FileField(_("file"), upload_to=ATTACHMENT_UPLOADS.upload_to, max_length=255)
    original_name = models.CharField(_("file name"), max_length=255)
    extension = models.CharField(_("type"), max_length=8)
    size = models.PositiveIntegerField(_("size"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    is_removed = models.BooleanField(_("removed"), default=False)

    access_policy = AccessPolicy(region="application__region", organization="application__organization")
    objects = RestrictedManager()

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["kind", "pk"]

    def __str__(self):
        return self.original_name
