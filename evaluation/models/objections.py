"""Objections (异议) lodged during a round's publicity (公示), by an organization's account or by
a member of the public, each answered by the bureau: open ─answer→ answered. Whoever lodged an
objection does not answer it."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core import bounds
from core.models import Reviewed, ScopedModel

from ..choices import ObjectionOutcome, ObjectionStatus
from .policies import OBJECTION_POLICY
from .rounds import RoundProject


class Objection(Reviewed, ScopedModel):
    round_project = models.ForeignKey(
        RoundProject, verbose_name=_("evaluation result"), on_delete=models.PROTECT, related_name="objections"
    )
    lodged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("lodged by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # A member of the public names themself and a way to reach them.
    name = models.CharField(_("name"), max_length=50)
    contact = models.CharField(_("contact"), max_length=100)
    content = models.TextField(_("objection"), validators=bounds.SHORT_TEXT)
    status = models.CharField(_("status"), max_length=16, choices=ObjectionStatus.choices, default=ObjectionStatus.OPEN)
    outcome = models.CharField(_("outcome"), max_length=16, choices=ObjectionOutcome.choices, blank=True)
    answer = models.TextField(_("answer"), blank=True, validators=bounds.SHORT_TEXT)

    access_policy = OBJECTION_POLICY

    class Meta:
        verbose_name = _("objection")
        verbose_name_plural = _("objections")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["round_project", "status"], name="evaluation_objection_open"),
            models.Index(fields=["created_at", "id"], name="objection_created_id"),
        ]

    def __str__(self):
        return f"{self.round_project.project} · {self.name}"

    def get_absolute_url(self):
        return reverse("evaluation:objection_detail", args=[self.pk])
