"""Columns of the expert pool (专家库); the same columns are exported."""

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from core.tables import ActionsColumn, BaseTable

from ..models import Expert


class ExpertTable(BaseTable):
    sortable = ("name",)
    name = tables.Column(verbose_name=_("name"), linkify=True)
    dimension = tables.Column(verbose_name=_("dimension"))
    affiliation_kind = tables.Column(verbose_name=_("affiliation kind"))
    affiliation = tables.Column(verbose_name=_("affiliation"))
    organization = tables.Column(verbose_name=_("affiliated organization"), order_by=("organization__name",))
    funder = tables.Column(verbose_name=_("affiliated funder"), order_by=("funder__name",))
    title = tables.Column(verbose_name=_("professional title"))
    phone = tables.Column(verbose_name=_("phone"))
    user = tables.Column(verbose_name=_("user account"), accessor="user__username", order_by=("user__username",))
    is_active = tables.BooleanColumn(verbose_name=_("active"))
    actions = ActionsColumn()

    class Meta(BaseTable.Meta):
        model = Expert
        fields = (
            "name",
            "dimension",
            "affiliation_kind",
            "affiliation",
            "organization",
            "funder",
            "title",
            "phone",
            "user",
            "is_active",
        )
