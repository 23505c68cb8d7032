"""Columns of the objection list (异议); the same columns are exported."""

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from core.tables import BaseTable

from ..models import Objection


class ObjectionTable(BaseTable):
    sortable = ("created_at",)
    created_at = tables.DateTimeColumn(verbose_name=_("lodged at"), format="DATETIME_FORMAT", linkify=True)
    round = tables.Column(
        verbose_name=_("round"), accessor="round_project__round__name", order_by=("round_project__round__name",)
    )
    project = tables.Column(
        verbose_name=_("project"),
        accessor="round_project__project__title",
        order_by=("round_project__project__title",),
    )
    name = tables.Column(verbose_name=_("name"))
    contact = tables.Column(verbose_name=_("contact"))
    status = tables.Column(verbose_name=_("status"))
    outcome = tables.Column(verbose_name=_("outcome"))

    class Meta(BaseTable.Meta):
        model = Objection
        fields = ("created_at", "round", "project", "name", "contact", "status", "outcome")
