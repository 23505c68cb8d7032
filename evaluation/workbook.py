"""A round's result workbook (core.xlsx): one row per project — code, title, organization, each
indicator's score, the final score and the stars — and one sheet per rated dimension with, per
project and expert indicator, the number of raters, their scores, those the trimmed mean dropped
and the mean. Numbers are numbers; everything is read from each result's stored computation, so
the workbook says what the result pages say."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from core import exports
from core.xlsx import Note, Sheet

from .choices import Dimension, IndicatorSource


def _number(value) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def _joined(values) -> str:
    return "、".join(str(v) for v in values or [])


def _result_rows(entries, indicators):
    for entry in entries:
        scores = {row.get("id"): row.get("score") for row in (entry.computation or {}).get("indicators", [])}
        project = entry.project
        yield [
            project.code,
            project.title,
            project.organization.name,
            *(_number(scores.get(indicator.pk)) for indicator in indicators),
            entry.final_score,
            entry.stars,
        ]


def _dimension_rows(entries, expert_indicators, dimension: str):
    for entry in entries:
        by_indicator = {row.get("id"): row for row in (entry.computation or {}).get("indicators", [])}
        for indicator in expert_indicators:
            detail = (by_indicator.get(indicator.pk) or {}).get("detail") or {}
            row = next((d for d in detail.get("dimensions", []) if d.get("dimension") == dimension), {})
            yield [
                entry.project.code,
                entry.project.title,
                indicator.name,
                row.get("raters"),
                _joined(row.get("scores")),
                _joined(row.get("dropped")),
                _number(row.get("mean")),
            ]


def round_workbook(round_, *, user) -> tuple[list[Sheet], Note]:
    """The sheets and the note of `round_`'s result workbook (its rows are read once each)."""
    scheme = round_.scheme
    indicators = list(scheme.indicators.order_by("sequence", "pk"))
    expert_indicators = [i for i in indicators if i.source == IndicatorSource.EXPERT]
    dimensions = [d for d in scheme.dimensions.order_by("pk") if d.weight > 0] if expert_indicators else []
    entries = list(round_.entries.select_related("project__organization").order_by("project__code", "pk"))
    results = Sheet(
        _("Results"),
        [
            _("project code"),
            _("title"),
            _("organization"),
            *(f"{i.name}（{_('weight')} {i.weight}）" for i in indicators),
            _("final score"),
            _("stars"),
        ],
        _result_rows(entries, indicators),
    )
    sheets = [results]
    for dimension in dimensions:
        sheets.append(
            Sheet(
                str(Dimension(dimension.dimension).label),
                [
                    _("project code"),
                    _("title"),
                    _("indicator"),
                    _("raters"),
                    _("scores"),
                    _("dropped (highest and lowest)"),
                    _("mean"),
                ],
                _dimension_rows(entries, expert_indicators, dimension.dimension),
            )
        )
    title = _("Results of %(round)s") % {"round": round_.name}
    note = exports.note(
        title=title,
        filters=[(_("round"), round_.name), (_("status"), round_.get_status_display()), (_("scheme"), scheme.name)],
        user=user,
    )
    return sheets, note
