"""Party building's sheets: 党建覆盖 (party.statistics' published table on the quarter's last day, one
row per street — per district in a city's workbook — and the total) and 定期联系 (the regular-contact
records of the quarter)."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from core.xlsx import RATE_FORMAT, Formatted, Sheet
from party import statistics
from party.choices import ContactForm
from party.models import ContactRecord

from .scope import Column, Scope, labels, list_sheet, place_columns


def coverage_title() -> str:
    return pgettext("workbook sheet", "Party-building coverage")


def fraction(percent: Decimal | None):
    """A rate in percent (45.5) as the cell holds it: the fraction 0.455, shown 45.5%."""
    return None if percent is None else Formatted(percent / 100, RATE_FORMAT)


def _header(figure) -> str:
    label = str(figure.label)
    return f"{figure.group}：{label}" if figure.group else label


def coverage_sheet(scope: Scope) -> Sheet:
    table = statistics.statistics(scope.region, scope.day)
    headers = [_("region"), *(_header(figure) for figure in statistics.FIGURES)]

    def rows():
        for row in table.rows:
            yield [
                row.label,
                *(
                    fraction(row.figures[figure.key]) if figure.is_rate else row.figures[figure.key]
                    for figure in statistics.FIGURES
                ),
            ]

    title = coverage_title()
    return Sheet(title, headers, rows(), caption=scope.caption(title))


def contacts_title() -> str:
    return pgettext("workbook sheet", "Regular contacts")


def contacts_sheet(scope: Scope) -> Sheet:
    queryset = ContactRecord.objects.filter(
        organization__region__path__startswith=scope.path,
        contacted_on__gte=scope.start,
        contacted_on__lte=scope.end,
    ).order_by("organization__region__path", "contacted_on", "pk")
    columns = [
        *place_columns(scope, "organization__region", "organization__district"),
        Column(_("organization"), ("organization__name",)),
        Column(_("contacted on"), ("contacted_on",)),
        Column(_("form of contact"), ("form",), labels(ContactForm)),
        Column(_("topics"), ("topics",)),
        Column(_("issues raised"), ("issues",)),
        Column(_("follow-up"), ("follow_up",)),
        Column(_("responsible party body"), ("party_organization__name",)),
        Column(_("recorded by"), ("recorded_by__full_name", "recorded_by__username"), lambda full, user: full or user),
    ]
    return list_sheet(scope, contacts_title(), queryset, columns)
