"""Columns of the beneficiary answers' list (with the count / leave-out buttons of an answer set aside)
and of a paper batch's rows; the same columns are exported (core.exports)."""

from __future__ import annotations

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from core.choices import Role
from core.tables import ActionsColumn, BaseTable

from ..models import SurveyResponse

REVIEWERS = frozenset({Role.BUREAU_ADMIN, Role.BUREAU_STAFF})


def yes_no(value) -> str:
    return str(_("Yes")) if value else str(_("No"))


class SurveyResponseTable(BaseTable):
    sortable = ("submitted_at",)
    submitted_at = tables.DateTimeColumn(verbose_name=_("received at"), format="Y-m-d H:i")
    round = tables.Column(verbose_name=_("round"), accessor="survey__round_project__round__name",
                          order_by=("survey__round_project__round__name",))  # fmt: skip
    project = tables.Column(verbose_name=_("project"), accessor="survey__round_project__project__title",
                            order_by=("survey__round_project__project__title",))  # fmt: skip
    channel = tables.Column(verbose_name=_("channel"))
    knew = tables.Column(verbose_name=_("knew of the project"))
    took_part = tables.Column(verbose_name=_("took part"))
    satisfaction = tables.Column(verbose_name=_("satisfaction (1–5)"), attrs={"td": {"class": "text-end"}})
    comment = tables.Column(verbose_name=_("comment"))
    status = tables.Column(verbose_name=_("status"))
    hold_reason = tables.Column(verbose_name=_("why set aside"))
    review_reason = tables.Column(verbose_name=_("reason"))
    actions = ActionsColumn(template_name="evaluation/feedback/includes/response_actions.html",
                            extra_context=lambda table: {"can_review": table.can_review})  # fmt: skip

    class Meta(BaseTable.Meta):
        model = SurveyResponse
        fields = ("submitted_at", "round", "project", "channel", "knew", "took_part", "satisfaction", "comment",
                  "status", "hold_reason", "review_reason")  # fmt: skip

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        user = getattr(request, "user", None)
        self.can_review = user is not None and (user.is_superuser or getattr(user, "role", None) in REVIEWERS)

    def render_knew(self, value):
        return yes_no(value)

    def value_knew(self, value):
        return yes_no(value)

    def render_took_part(self, value):
        return yes_no(value)

    def value_took_part(self, value):
        return yes_no(value)
