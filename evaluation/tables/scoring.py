"""Columns of the assignment list; the same columns are exported."""

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from core.tables import BaseTable

from ..models import Assignment


class AssignmentTable(BaseTable):
    sortable = ("submitted_at",)
    code = tables.Column(
        verbose_name=_("project code"),
        accessor="round_project__project__code",
        linkify=lambda record: record.get_absolute_url(),
        order_by=("round_project__project__code",),
    )
    title = tables.Column(
        verbose_name=_("project"),
        accessor="round_project__project__title",
        linkify=lambda record: record.get_absolute_url(),
        order_by=("round_project__project__title",),
    )
    organization = tables.Column(
        verbose_name=_("organization"),
        accessor="round_project__project__organization__name",
        order_by=("round_project__project__organization__name",),
    )
    round = tables.Column(verbose_name=_("round"), accessor="round__name", order_by=("round__name",))
    expert = tables.Column(verbose_name=_("expert"), accessor="expert__name", order_by=("expert__name",))
    dimension = tables.Column(verbose_name=_("dimension"))
    status = tables.Column(verbose_name=_("status"))
    scoring_due = tables.DateColumn(verbose_name=_("scoring due"), accessor="round__scoring_due")
    submitted_at = tables.DateTimeColumn(verbose_name=_("submitted at"), format="DATETIME_FORMAT")

    class Meta(BaseTable.Meta):
        model = Assignment
        fields = (
            "code",
            "title",
            "organization",
            "round",
            "expert",
            "dimension",
            "status",
            "scoring_due",
            "submitted_at",
        )
