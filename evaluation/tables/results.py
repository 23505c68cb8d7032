"""Columns of the result list (one row per project in a round); the same columns are exported."""

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from core.tables import BaseTable
from party.tables import StreetColumn

from ..models import RoundProject


def star_text(stars) -> str:
    return "★" * stars if stars else ""


class ResultTable(BaseTable):
    sortable = ("final_score", "stars")
    round = tables.Column(verbose_name=_("round"), accessor="round__name", order_by=("round__name",))
    code = tables.Column(
        verbose_name=_("project code"),
        accessor="project__code",
        linkify=lambda record: record.get_absolute_url(),
        order_by=("project__code",),
    )
    title = tables.Column(
        verbose_name=_("project"),
        accessor="project__title",
        linkify=lambda record: record.get_absolute_url(),
        order_by=("project__title",),
    )
    organization = tables.Column(
        verbose_name=_("organization"),
        accessor="project__organization__name",
        order_by=("project__organization__name",),
    )
    street = StreetColumn(accessor="project__organization__region")
    round_status = tables.Column(verbose_name=_("round status"), accessor="round__status")
    final_score = tables.Column(verbose_name=_("final score"), attrs={"td": {"class": "text-end"}})
    stars = tables.Column(verbose_name=_("stars"))

    class Meta(BaseTable.Meta):
        model = RoundProject
        fields = ("round", "code", "title", "organization", "street", "round_status", "final_score", "stars")

    def render_round_status(self, record):
        return record.round.get_status_display()

    def render_stars(self, value):
        return star_text(value)

    def value_stars(self, value):
        return value
