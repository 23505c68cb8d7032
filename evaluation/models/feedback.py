"""Beneficiary feedback (服务对象反馈): each project in a round has a survey with a public link and
a QR poster. Answers are anonymous and never thrown away:

- one-time respondent codes, printed on slips, let one community-centre tablet take many
  residents' answers (a code answers once; an answer with a valid code is never held);
- flood detection sets a suspicious burst aside (status "held") for the bureau to count or leave
  out with a reason; nothing is deleted;
- paper questionnaires are entered in batches, each recording who entered it and when.

The client is recorded only as a keyed hash of its address and browser, for burst detection.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core import bounds
from core.models import Reviewed, ScopedModel

from ..choices import ResponseChannel, ResponseStatus
from .policies import FEEDBACK_POLICY, SURVEY_POLICY
from .rounds import RoundProject


class Survey(ScopedModel):
    round_project = models.OneToOneField(
        RoundProject, verbose_name=_("project in round"), on_delete=models.CASCADE, related_name="survey"
    )
    # The public link's secret part (secrets.token_urlsafe): unguessable, so surveys are not enumerable.
    token = models.CharField(_("link token"), max_length=43, unique=True, editable=False)

    access_policy = SURVEY_POLICY

    class Meta:
        verbose_name = _("beneficiary survey")
        verbose_name_plural = _("beneficiary surveys")
        ordering = ["round_project", "pk"]

    def __str__(self):
        return str(self.round_project.project)


class PaperBatch(ScopedModel):
    survey = models.ForeignKey(Survey, verbose_name=_("survey"), on_delete=models.PROTECT, related_name="paper_batches")
    collected_on = models.DateField(_("collected on"), validators=bounds.PLAUSIBLE_DATE)
    place = models.CharField(_("where collected"), max_length=100, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("entered by"), on_delete=models.PROTECT, related_name="+"
    )
    count = models.PositiveIntegerField(_("questionnaires"), default=0, editable=False)
    notes = models.TextField(_("notes"), blank=True, validators=bounds.SHORT_TEXT)

    access_policy = FEEDBACK_POLICY

    class Meta:
        verbose_name = _("paper questionnaire batch")
        verbose_name_plural = _("paper questionnaire batches")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.survey} · {self.collected_on}"


class RespondentCode(ScopedModel):
    survey = models.ForeignKey(Survey, verbose_name=_("survey"), on_delete=models.PROTECT, related_name="codes")
    code = models.CharField(_("respondent code"), max_length=12)
    used_at = models.DateTimeField(_("used at"), null=True, blank=True, editable=False)

    access_policy = FEEDBACK_POLICY

    class Meta:
        verbose_name = _("respondent code")
        verbose_name_plural = _("respondent codes")
        ordering = ["survey", "pk"]
        constraints = [models.UniqueConstraint(fields=["survey", "code"], name="evaluation_code_once_per_survey")]

    def __str__(self):
        return self.code


class SurveyResponse(Reviewed, ScopedModel):
    survey = models.ForeignKey(Survey, verbose_name=_("survey"), on_delete=models.PROTECT, related_name="responses")
    knew = models.BooleanField(_("knew of the project"))
    took_part = models.BooleanField(_("took part"))
    satisfaction = models.PositiveSmallIntegerField(
        _("satisfaction (1–5)"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    comment = models.TextField(_("comment"), blank=True, validators=bounds.SHORT_TEXT)
    channel = models.CharField(_("channel"), max_length=16, choices=ResponseChannel.choices)
    status = models.CharField(
        _("status"), max_length=16, choices=ResponseStatus.choices, default=ResponseStatus.COUNTED
    )
    hold_reason = models.CharField(_("why set aside"), max_length=200, blank=True, editable=False)
    code = models.OneToOneField(
        RespondentCode,
        verbose_name=_("respondent code"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="response",
    )
    paper_batch = models.ForeignKey(
        PaperBatch,
        verbose_name=_("paper batch"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="responses",
    )
    client_key = models.CharField(_("client fingerprint"), max_length=64, blank=True, editable=False)
    submitted_at = models.DateTimeField(_("received at"), editable=False)

    access_policy = FEEDBACK_POLICY

    class Meta:
        verbose_name = _("survey response")
        verbose_name_plural = _("survey responses")
        ordering = ["-submitted_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(satisfaction__gte=1, satisfaction__lte=5), name="evaluation_satisfaction_1_5"
            ),
            models.CheckConstraint(
                condition=Q(channel=ResponseChannel.PAPER, paper_batch__isnull=False)
                | (~Q(channel=ResponseChannel.PAPER) & Q(paper_batch__isnull=True)),
                name="evaluation_paper_response_in_batch",
            ),
        ]
        indexes = [
            models.Index(fields=["survey", "client_key", "submitted_at"], name="evaluation_response_burst"),
            models.Index(fields=["survey", "status"], name="evaluation_response_status"),
            models.Index(fields=["submitted_at", "id"], name="surveyresponse_submitted_id"),
        ]

    def __str__(self):
        return f"{self.survey} · {self.submitted_at:%Y-%m-%d %H:%M}"
