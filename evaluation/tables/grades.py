"""Columns of the organization grades' list and the community reviews' list; the same columns are
exported (core.exports)."""

from __future__ import annotations

import datetime as dt

import django_tables2 as tables
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.tables import ActionsColumn, BaseTable, FromQuery
from party.tables import StreetColumn

from .. import conf
from ..models import CommunityReview, OrgGrade


def grade_state(revoked_on, valid_from, valid_until, today=None) -> str:
    """A grade's state on a day, as a person reads it."""
    today = today or timezone.localdate()
    if revoked_on is not None:
        return str(_("Revoked"))
    if valid_until < today:
        return str(_("Lapsed"))
    if valid_from > today:
        return str(_("Not yet in force"))
    if valid_until <= today + dt.timedelta(days=conf.grade_warning_days()):
        return str(_("Expiring soon"))
    return str(_("In force"))


class OrgGradeTable(BaseTable):
    sortable = ("awarded_on", "valid_until", "score")
    organization = tables.Column(verbose_name=_("organization"), linkify=True, order_by=("organization__name",))
    grade = tables.Column(verbose_name=_("grade"))
    score = tables.Column(verbose_name=_("assessment score (of 1000)"), attrs={"td": {"class": "text-end"}})
    awarded_on = tables.DateColumn(verbose_name=_("awarded on"))
    valid_from = tables.DateColumn(verbose_name=_("valid from"))
    valid_until = tables.DateColumn(verbose_name=_("valid until"))
    state = tables.Column(verbose_name=_("state"), accessor="pk", orderable=False)
    street = StreetColumn()
    decision_number = tables.Column(verbose_name=_("decision number"))
    actions = ActionsColumn()

    export_from_query = {
        "state": FromQuery("revoked_on", "valid_from", "valid_until", function=grade_state),
    }

    class Meta(BaseTable.Meta):
        model = OrgGrade
        fields = ("organization", "grade", "score", "awarded_on", "valid_from", "valid_until", "state", "street",
                  "decision_number")  # fmt: skip

    def render_organization(self, value, record):
        return value.name

    def value_organization(self, value):
        return value.name

    def render_state(self, record):
        return grade_state(record.revoked_on, record.valid_from, record.valid_until)

    def value_state(self, record):
        return self.render_state(record)


class CommunityReviewTable(BaseTable):
    sortable = ("year", "total")
    organization = tables.Column(verbose_name=_("organization"), order_by=("organization__name",))
    year = tables.Column(verbose_name=_("year"), linkify=True)
    total = tables.Column(verbose_name=_("total"), attrs={"td": {"class": "text-end"}})
    conclusion = tables.Column(verbose_name=_("conclusion"))
    status = tables.Column(verbose_name=_("status"))
    street = StreetColumn()
    scored_by = tables.Column(verbose_name=_("scored by"), order_by=("scored_by__full_name",))
    actions = ActionsColumn()

    class Meta(BaseTable.Meta):
        model = CommunityReview
        fields = ("organization", "year", "total", "conclusion", "status", "street", "scored_by")

    def render_organization(self, value):
        return value.name

    def value_organization(self, value):
        return value.name

    def render_scored_by(self, value):
        return value.full_name or value.username

    def value_scored_by(self, value):
        return value.full_name or value.username
