"""Columns of the scheme list; the same columns are exported."""

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from core.tables import ActionsColumn, BaseTable

from ..models import Scheme


class SchemeTable(BaseTable):
    sortable = ("name",)
    name = tables.Column(verbose_name=_("name"), linkify=True)
    region = tables.Column(verbose_name=_("region"), order_by=("region__path",), default=_("Every district"))
    indicator_count = tables.Column(verbose_name=_("indicators"), attrs={"td": {"class": "text-end"}})
    round_count = tables.Column(verbose_name=_("rounds using it"), attrs={"td": {"class": "text-end"}})
    is_active = tables.BooleanColumn(verbose_name=_("offered for new rounds"))
    actions = ActionsColumn()

    class Meta(BaseTable.Meta):
        model = Scheme
        fields = ("name", "region", "indicator_count", "round_count", "is_active")

    def value_region(self, value):
        return str(value) if value else str(_("Every district"))
