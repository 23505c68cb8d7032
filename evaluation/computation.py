"""A project's result in a round, number by number (the rules the result page shows).

- Expert indicator: for each rater dimension with a weight, the submitted scores of that indicator
  by that dimension's experts; with five raters or more the highest and the lowest are dropped and
  the rest averaged, otherwise all are averaged. The indicator's score is Σ(w_d·mean_d) / Σ w_d over
  the dimensions that have scores (a dimension without scores is left out and the others re-based,
  with a warning). No scores at all: 0, with a warning.
- Progress (computed from the project's own records): the mean of the parts available among
  (a) indicator completion, the mean over the project's indicators of min(actual / target, 1)·100
  (targets of 0 skipped), and (b) quarterly timeliness, the mean over the quarters judged by today
  of on time 100, late 60, missing 0. Neither available: 0, with a warning.
- Beneficiary feedback (counted answers only): awareness = knew / counted·100; satisfaction =
  mean(satisfaction)·20; participation = took part / counted·100, and when the project has a
  participants target, the mean of that and min(ledger participants / target, 1)·100. No counted
  answers: 0, with a warning; fewer than EVALUATION_MIN_RESPONSES: a warning.
- Final score = Σ(weight_i·score_i) / 100 with each indicator's score to two decimals, rounded half
  up to one decimal; stars compare the rounded final score with the scheme's thresholds.

Every rule sentence is written in the site's language (the catalogue's Chinese) when computed, and
stored with the numbers in RoundProject.computation, so the page shows what was computed then.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db.models import Count, Q, Sum
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from projects import selectors as project_selectors
from projects.choices import IndicatorSource as ProjectIndicatorSource
from projects.choices import Timeliness

from .choices import FEEDBACK_SOURCES, AssignmentStatus, Dimension, IndicatorSource, ResponseStatus
from .conf import min_responses
from .models import RoundProject, Scheme, Score, SurveyResponse

TRIM_FROM = 5
HUNDRED = Decimal(100)
ZERO = Decimal(0)
TWO_PLACES = Decimal("0.01")
ONE_PLACE = Decimal("0.1")
TIMELINESS_POINTS = {Timeliness.ON_TIME: Decimal(100), Timeliness.LATE: Decimal(60), Timeliness.MISSING: ZERO}
COMPUTATION_VERSION = 1


def two(value: Decimal) -> Decimal:
    return Decimal(value).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def one(value: Decimal) -> Decimal:
    return Decimal(value).quantize(ONE_PLACE, rounding=ROUND_HALF_UP)


def text(value) -> str | None:
    """A Decimal as the JSON keeps it: two decimals, or None."""
    return None if value is None else f"{two(value)}"


def mean(values) -> Decimal | None:
    values = list(values)
    return sum(values, ZERO) / len(values) if values else None


def trimmed_mean(values) -> tuple[Decimal | None, list[Decimal]]:
    """(mean, dropped): with TRIM_FROM (5) values or more, one highest and one lowest are dropped."""
    ordered = sorted(Decimal(v) for v in values)
    if not ordered:
        return None, []
    if len(ordered) >= TRIM_FROM:
        return mean(ordered[1:-1]), [ordered[0], ordered[-1]]
    return mean(ordered), []


def stars_for(scheme: Scheme, score: Decimal) -> int:
    """Stars for a (rounded) final score: the first threshold it reaches, from five stars down; 1 below all."""
    for stars, least in scheme.thresholds:
        if score >= least:
            return stars
    return 1


@dataclass
class Computation:
    final_score: Decimal
    raw_score: Decimal
    stars: int
    indicators: list[dict]
    warnings: list[str]
    thresholds: list[dict]
    rule: str
    computed_on: dt.date
    summary: dict = field(default_factory=dict)

    def as_json(self) -> dict:
        return {
            "version": COMPUTATION_VERSION,
            "computed_on": self.computed_on.isoformat(),
            "rule": self.rule,
            "indicators": self.indicators,
            "raw_score": f"{self.raw_score.quantize(Decimal('0.0001'), rounding=ROUND_HALF_UP)}",
            "final_score": f"{self.final_score}",
            "stars": self.stars,
            "thresholds": self.thresholds,
            "warnings": self.warnings,
        }


# ------------------------------------------------------------------------------------------ rules


def rule_text(source: str) -> str:
    return {
        IndicatorSource.EXPERT: _(
            "Per rater dimension, the mean of its experts' scores (with five or more raters the highest and "
            "the lowest are dropped first); the dimensions' means weighted by the dimension weights. A "
            "dimension without scores is left out and the other dimensions' weights re-based."
        ),
        IndicatorSource.PROGRESS: _(
            "The mean of indicator completion (each project indicator's actual value against its target, at "
            "most 100%) and quarterly timeliness (each quarter due by now: on time 100, late 60, missing 0)."
        ),
        IndicatorSource.AWARENESS: _(
            "Counted beneficiary answers saying they knew of the project, as a share of all counted answers, × 100."
        ),
        IndicatorSource.PARTICIPATION: _(
            "Counted beneficiary answers saying they took part, as a share of all counted answers, × 100; "
            "when the project has a participants target, the mean of that and the ledger's participants "
            "against the target (at most 100%)."
        ),
        IndicatorSource.SATISFACTION: _("The mean satisfaction (1–5) of the counted beneficiary answers × 20."),
    }[source]


def final_rule() -> str:
    return _(
        "Final score = Σ(indicator weight × indicator score) ÷ 100, rounded half up to one decimal; the stars "
        "compare the final score with the scheme's thresholds (below the two-star threshold: one star)."
    )


# ------------------------------------------------------------------------------------ the sources


def _expert(indicator, dimensions, scores) -> tuple[Decimal, dict, list[str]]:
    warnings, rows = [], []
    weighted, rated_weight = ZERO, ZERO
    for dimension in dimensions:
        values = scores.get((indicator.pk, dimension.dimension), [])
        average, dropped = trimmed_mean(values)
        label = str(Dimension(dimension.dimension).label)
        rows.append(
            {
                "dimension": dimension.dimension,
                "label": label,
                "weight": text(dimension.weight),
                "scores": [text(v) for v in sorted(values)],
                "dropped": [text(v) for v in dropped],
                "raters": len(values),
                "mean": text(average),
                "trimmed": bool(dropped),
            }
        )
        if average is None:
            warnings.append(
                _("%(indicator)s: no scores from the %(dimension)s dimension; the other dimensions are re-based.")
                % {"indicator": indicator.name, "dimension": label}
            )
            continue
        weighted += dimension.weight * average
        rated_weight += dimension.weight
    if not rated_weight:
        warnings = [_("%(indicator)s: no expert scores; counted as 0.") % {"indicator": indicator.name}]
        score = ZERO
    else:
        score = weighted / rated_weight
    return score, {"dimensions": rows, "rated_weight": text(rated_weight)}, warnings


def _progress(round_project, today) -> tuple[Decimal, dict, list[str]]:
    project = round_project.project
    completion_rows = []
    for row in project_selectors.indicator_progress(project):
        indicator = row["indicator"]
        if not indicator.target:
            continue
        rate = min(Decimal(row["actual"]) / indicator.target, Decimal(1)) * HUNDRED
        completion_rows.append(
            {
                "name": indicator.name,
                "unit": indicator.unit,
                "target": text(indicator.target),
                "actual": text(Decimal(row["actual"])),
                "rate": text(rate),
                "_rate": rate,
            }
        )
    completion = mean(r.pop("_rate") for r in completion_rows)
    timeliness_rows = []
    for quarter in project_selectors.quarter_grid(project, today):
        status = quarter["timeliness"]
        if status == Timeliness.NOT_DUE:
            continue
        timeliness_rows.append(
            {
                "quarter": str(quarter["label"]),
                "due": quarter["due"].isoformat(),
                "timeliness": status,
                "timeliness_label": str(quarter["timeliness_label"]),
                "points": text(TIMELINESS_POINTS[status]),
            }
        )
    timeliness = mean(TIMELINESS_POINTS[r["timeliness"]] for r in timeliness_rows)
    parts = [p for p in (completion, timeliness) if p is not None]
    warnings = []
    if parts:
        score = mean(parts)
    else:
        score = ZERO
        warnings.append(_("Progress: no indicator targets and no quarter due yet; counted as 0."))
    detail = {
        "completion": {"rows": completion_rows, "mean": text(completion)},
        "timeliness": {"rows": timeliness_rows, "mean": text(timeliness)},
        "parts": len(parts),
    }
    return score, detail, warnings


def _feedback_counts(round_project) -> dict:
    totals = SurveyResponse.objects.filter(
        survey__round_project=round_project, status=ResponseStatus.COUNTED
    ).aggregate(
        counted=Count("pk"),
        knew=Count("pk", filter=Q(knew=True)),
        took_part=Count("pk", filter=Q(took_part=True)),
        satisfaction_sum=Sum("satisfaction"),
    )
    totals["satisfaction_sum"] = totals["satisfaction_sum"] or 0
    return totals


def _participants_target(round_project) -> tuple[Decimal | None, int]:
    project = round_project.project
    targets = [
        i.target for i in project.indicators.all() if i.source == ProjectIndicatorSource.PARTICIPANTS and i.target
    ]
    if not targets:
        return None, 0
    return sum(targets, ZERO), project_selectors.ledger_totals(project)["participants"]


def _feedback(indicator, round_project, counts, warned: set) -> tuple[Decimal, dict, list[str]]:
    counted = counts["counted"]
    warnings = []
    detail: dict = {"counted": counted}
    if counted < min_responses() and "few" not in warned:
        warned.add("few")
        warnings.append(
            _("Beneficiary feedback: %(n)d counted answers, fewer than %(min)d; the rates rest on few answers.")
            % {"n": counted, "min": min_responses()}
        )
    source = indicator.source
    if source == IndicatorSource.AWARENESS:
        detail["knew"] = counts["knew"]
        score = Decimal(counts["knew"]) / counted * HUNDRED if counted else None
        detail["rate"] = text(score)
    elif source == IndicatorSource.SATISFACTION:
        detail["satisfaction_sum"] = counts["satisfaction_sum"]
        average = Decimal(counts["satisfaction_sum"]) / counted if counted else None
        detail["mean"] = text(average)
        score = average * 20 if average is not None else None
    else:  # participation
        detail["took_part"] = counts["took_part"]
        survey_rate = Decimal(counts["took_part"]) / counted * HUNDRED if counted else None
        detail["survey_rate"] = text(survey_rate)
        target, participants = _participants_target(round_project)
        ledger_rate = min(Decimal(participants) / target, Decimal(1)) * HUNDRED if target else None
        detail.update(
            {
                "target": text(target),
                "ledger_participants": participants if target else None,
                "ledger_rate": text(ledger_rate),
            }
        )
        score = survey_rate if survey_rate is None or ledger_rate is None else mean([survey_rate, ledger_rate])
    if score is None:
        warnings.append(
            _("%(indicator)s: no counted beneficiary answers; counted as 0.") % {"indicator": indicator.name}
        )
        score = ZERO
    return score, detail, warnings


# --------------------------------------------------------------------------------------- computing


def _submitted_scores(round_project) -> dict:
    scores = defaultdict(list)
    for indicator_id, dimension, value in Score.objects.filter(
        assignment__round_project=round_project, assignment__status=AssignmentStatus.SUBMITTED
    ).values_list("indicator_id", "assignment__dimension", "value"):
        scores[(indicator_id, dimension)].append(value)
    return scores


def scheme_parts(scheme: Scheme) -> tuple[list, list]:
    """The scheme's indicators in order and its weighted dimensions (read once for a whole round)."""
    indicators = list(scheme.indicators.order_by("sequence", "pk"))
    dimensions = [d for d in scheme.dimensions.order_by("pk") if d.weight > 0]
    return indicators, dimensions


def compute_result(
    round_project: RoundProject, *, today: dt.date | None = None, parts: tuple[list, list] | None = None
) -> Computation:
    """The result of `round_project` by the rules above (nothing saved; see round_publish). `parts`:
    the scheme's `scheme_parts`, when the caller computes a whole round."""
    today = today or timezone.localdate()
    with translation.override(settings.LANGUAGE_CODE):
        return _compute(round_project, today, parts or scheme_parts(round_project.round.scheme))


def _compute(round_project, today, parts) -> Computation:
    scheme = round_project.round.scheme
    indicators, dimensions = parts
    sources = {i.source for i in indicators}
    scores = _submitted_scores(round_project) if IndicatorSource.EXPERT in sources else {}
    counts = _feedback_counts(round_project) if sources & FEEDBACK_SOURCES else None
    rows, warnings, warned = [], [], set()
    raw = ZERO
    for indicator in indicators:
        if indicator.source == IndicatorSource.EXPERT:
            score, detail, notes = _expert(indicator, dimensions, scores)
        elif indicator.source == IndicatorSource.PROGRESS:
            score, detail, notes = _progress(round_project, today)
        else:
            score, detail, notes = _feedback(indicator, round_project, counts, warned)
        score = two(score)
        weighted = indicator.weight * score / HUNDRED
        raw += weighted
        warnings.extend(notes)
        rows.append(
            {
                "id": indicator.pk,
                "name": indicator.name,
                "source": indicator.source,
                "source_label": str(IndicatorSource(indicator.source).label),
                "rule": rule_text(indicator.source),
                "weight": text(indicator.weight),
                "score": text(score),
                "weighted": text(weighted),
                "detail": detail,
                "warnings": notes,
            }
        )
    final = one(raw)
    return Computation(
        final_score=final,
        raw_score=raw,
        stars=stars_for(scheme, final),
        indicators=rows,
        warnings=warnings,
        thresholds=[{"stars": stars, "min": text(least)} for stars, least in scheme.thresholds],
        rule=final_rule(),
        computed_on=today,
    )
