"""What party building does with the organizations: regular contacts (定期联系制度), party activities
and trainings, and joint meetings (党建联席会议) with their decisions' follow-up. Records, never
deleted: a correction is an audited edit."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core import bounds
from core.models import ScopedModel
from core.search import bigram_index

from .. import uploads
from ..choices import ActivityKind, ContactForm, DecisionStatus
from .organizations import PartyOrganization
from .policies import CONTACT_ATTACHMENT_POLICY, DECISION_POLICY, NODE_POLICY, ORGANIZATION_POLICY


class ContactRecord(ScopedModel):
    organization = models.ForeignKey(
        "registry.Organization",
        verbose_name=_("organization"),
        on_delete=models.PROTECT,
        related_name="party_contacts",
    )
    # The responsible party body that made the contact (the community's party organization or the
    # street's party working committee), as it was on the day.
    party_organization = models.ForeignKey(
        PartyOrganization,
        verbose_name=_("responsible party body"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="contacts",
    )
    contacted_on = models.DateField(_("contacted on"), validators=bounds.PLAUSIBLE_DATE)
    form = models.CharField(_("form of contact"), max_length=16, choices=ContactForm.choices)
    topics = models.TextField(_("topics"), validators=bounds.SHORT_TEXT)
    issues = models.TextField(_("issues raised"), blank=True, validators=bounds.SHORT_TEXT)
    follow_up = models.TextField(_("follow-up"), blank=True, validators=bounds.SHORT_TEXT)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )

    access_policy = ORGANIZATION_POLICY

    class Meta:
        verbose_name = _("contact record")
        verbose_name_plural = _("contact records")
        ordering = ["-contacted_on", "-pk"]
        indexes = [
            models.Index(fields=["organization", "-contacted_on"], name="party_contact_org_date"),
            models.Index(fields=["contacted_on", "id"], name="contactrecord_contacted_id"),
        ]

    def __str__(self):
        return f"{self.organization} · {self.contacted_on:%Y-%m-%d}"

    def get_absolute_url(self):
        return reverse("party:contactrecord_detail", args=[self.pk])


class ContactAttachment(ScopedModel):
    contact = models.ForeignKey(
        ContactRecord, verbose_name=_("contact record"), on_delete=models.PROTECT, related_name="attachments"
    )
    file = models.FileField(_("file"), upload_to=uploads.CONTACT_ATTACHMENT_UPLOADS.upload_to, max_length=255)
    original_name = models.CharField(_("file name"), max_length=200)

    access_policy = CONTACT_ATTACHMENT_POLICY

    class Meta:
        verbose_name = _("contact attachment")
        verbose_name_plural = _("contact attachments")
        ordering = ["pk"]

    def __str__(self):
        return self.original_name

    def get_absolute_url(self):
        return reverse("party:contactattachment_download", args=[self.pk])


class PartyActivity(ScopedModel):
    kind = models.CharField(_("kind"), max_length=20, choices=ActivityKind.choices)
    held_on = models.DateField(_("held on"), validators=bounds.PLAUSIBLE_DATE)
    host = models.ForeignKey(
        PartyOrganization, verbose_name=_("host"), on_delete=models.PROTECT, related_name="activities"
    )
    # The host's node, kept on the row: who may read the activity.
    region = models.ForeignKey(
        "accounts.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="party_activities"
    )
    topic = models.CharField(_("topic"), max_length=200)
    organizations = models.ManyToManyField(
        "registry.Organization",
        verbose_name=_("attending organizations"),
        related_name="party_activities",
        blank=True,
    )
    head_count = models.PositiveIntegerField(_("head count"), default=0, validators=bounds.HEAD_COUNT)
    note = models.TextField(_("note"), blank=True, validators=bounds.SHORT_TEXT)

    access_policy = NODE_POLICY

    class Meta:
        verbose_name = _("party activity")
        verbose_name_plural = _("party activities")
        ordering = ["-held_on", "-pk"]
        constraints = [
            bounds.check_between("head_count", 0, bounds.HEAD_COUNT_MAX, name="party_activity_head_count_plausible")
        ]
        indexes = [
            models.Index(fields=["held_on", "id"], name="partyactivity_held_id"),
            bigram_index("topic", name="partyactivity_topic_bigrams"),
        ]

    def __str__(self):
        return f"{self.topic} · {self.held_on:%Y-%m-%d}"

    def get_absolute_url(self):
        return reverse("party:partyactivity_detail", args=[self.pk])


class JointMeeting(ScopedModel):
    host = models.ForeignKey(
        PartyOrganization, verbose_name=_("host"), on_delete=models.PROTECT, related_name="joint_meetings"
    )
    region = models.ForeignKey(
        "accounts.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="joint_meetings"
    )
    held_on = models.DateField(_("held on"), validators=bounds.PLAUSIBLE_DATE)
    topic = models.CharField(_("topic"), max_length=200)
    organizations = models.ManyToManyField(
        "registry.Organization",
        verbose_name=_("attending organizations"),
        related_name="joint_meetings",
        blank=True,
    )
    minutes = models.TextField(_("minutes"), blank=True, validators=bounds.LONG_TEXT)
    minutes_file = models.FileField(
        _("minutes file"), upload_to=uploads.MEETING_MINUTES_UPLOADS.upload_to, blank=True, max_length=255
    )

    access_policy = NODE_POLICY

    class Meta:
        verbose_name = _("joint meeting")
        verbose_name_plural = _("joint meetings")
        ordering = ["-held_on", "-pk"]
        indexes = [
            models.Index(fields=["held_on", "id"], name="jointmeeting_held_id"),
            bigram_index("topic", name="jointmeeting_topic_bigrams"),
        ]

    def __str__(self):
        return f"{self.topic} · {self.held_on:%Y-%m-%d}"

    def get_absolute_url(self):
        return reverse("party:jointmeeting_detail", args=[self.pk])


class MeetingDecision(ScopedModel):
    """A decision of a joint meeting and its follow-up: open until someone records it done
    (party.workflows.DECISION)."""

    meeting = models.ForeignKey(
        JointMeeting, verbose_name=_("joint meeting"), on_delete=models.PROTECT, related_name="decisions"
    )
    content = models.TextField(_("decision"), validators=bounds.SHORT_TEXT)
    responsible = models.CharField(_("responsible"), max_length=100, blank=True)
    due_on = models.DateField(
        pgettext_lazy("decision", "due on"), null=True, blank=True, validators=bounds.PLAUSIBLE_DATE
    )
    status = models.CharField(_("status"), max_length=16, choices=DecisionStatus.choices, default=DecisionStatus.OPEN)
    follow_up = models.TextField(_("follow-up"), blank=True, validators=bounds.SHORT_TEXT)
    done_on = models.DateField(_("done on"), null=True, blank=True, validators=bounds.PLAUSIBLE_DATE)

    access_policy = DECISION_POLICY

    class Meta:
        verbose_name = _("meeting decision")
        verbose_name_plural = _("meeting decisions")
        ordering = ["meeting", "pk"]

    def __str__(self):
        return self.content[:50]

    def get_absolute_url(self):
        return reverse("party:jointmeeting_detail", args=[self.meeting_id])
