"""Columns of the round list; the same columns are exported."""

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from core.tables import ActionsColumn, BaseTable

from ..models import Round

NUMBER = {"td": {"class": "text-end"}}


class RoundTable(BaseTable):
    sortable = ("name", "year")
    name = tables.Column(verbose_name=_("name"), linkify=True)
    year = tables.Column(verbose_name=_("year"))
    scheme = tables.Column(verbose_name=_("scheme"), order_by=("scheme__name",))
    status = tables.Column(verbose_name=_("status"))
    project_count = tables.Column(verbose_name=_("projects"), attrs=NUMBER)
    experts_per_dimension = tables.Column(verbose_name=_("experts per dimension and project"), attrs=NUMBER)
    scoring_due = tables.DateColumn(verbose_name=_("scoring due"))
    publicity_starts_on = tables.DateColumn(verbose_name=_("publicity from"))
    publicity_ends_on = tables.DateColumn(verbose_name=_("publicity until"))
    actions = ActionsColumn()

    class Meta(BaseTable.Meta):
        model = Round
        fields = (
            "name",
            "year",
            "scheme",
            "status",
            "project_count",
            "experts_per_dimension",
            "scoring_due",
            "publicity_starts_on",
            "publicity_ends_on",
        )
