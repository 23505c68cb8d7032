"""An expert's scores for an assigned project: saved as often as they like while the round is
scoring, then submitted (evaluation.workflows.ASSIGNMENT "submit"), after which they are locked.
Only the assigned expert scores; staff remind those who have not submitted."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core import audit, bounds
from core.choices import AuditAction
from core.notifications import remind

from .. import permissions as rules
from ..choices import AssignmentStatus, IndicatorSource, RoundStatus
from ..models import Assignment, Round, Score
from ..workflows import ASSIGNMENT
from ._common import decimal_in, raise_errors, require


def _locked(assignment) -> Assignment:
    return (
        Assignment.objects.select_for_update(of=("self",))
        .select_related("round__scheme", "expert", "round_project__project")
        .get(pk=assignment.pk)
    )


def expert_indicators(assignment: Assignment) -> list:
    return list(assignment.round.scheme.indicators.filter(source=IndicatorSource.EXPERT).order_by("sequence", "pk"))


@transaction.atomic
def scores_save(assignment, *, by, values) -> list[Score]:
    """Save the expert's scores: `values` = {indicator id: {"value": …, "comment": …}} for the
    scheme's expert indicators, each 0–100 with at most two decimals (field score_<id>). A value
    left empty is not saved (the scores saved before stay)."""
    assignment = _locked(assignment)
    require(rules.may_score(by, assignment))
    indicators = {i.pk: i for i in expert_indicators(assignment)}
    if not isinstance(values, dict):
        raise_errors({"values": _("Scores: give a score for each indicator.")})
    errors: dict = {}
    parsed = {}
    for key, item in values.items():
        try:
            indicator_id = int(key)
        except (TypeError, ValueError):
            indicator_id = None
        if indicator_id not in indicators:
            errors.setdefault(
                "values", _("Scores: %(key)s is not an indicator experts score in this scheme.") % {"key": key}
            )
            continue
        indicator = indicators[indicator_id]
        field = f"score_{indicator_id}"
        item = item if isinstance(item, dict) else {"value": item}
        raw, comment = item.get("value"), str(item.get("comment") or "").strip()
        if len(comment) > bounds.SHORT_TEXT_MAX:
            errors[field] = _("%(name)s: the comment has at most %(n)d characters.") % {
                "name": indicator.name,
                "n": bounds.SHORT_TEXT_MAX,
            }
            continue
        if raw in (None, "") or (isinstance(raw, str) and not raw.strip()):
            if comment:
                errors[field] = _("%(name)s: give a score with the comment.") % {"name": indicator.name}
            continue
        value = decimal_in(raw, field=field, what=indicator.name, errors=errors)
        if value is not None:
            parsed[indicator_id] = (value, comment)
    raise_errors(errors)
    existing = {s.indicator_id: s for s in Score.objects.filter(assignment=assignment)}
    saved = []
    for indicator_id, (value, comment) in parsed.items():
        score = existing.get(indicator_id)
        if score is None:
            score = Score.objects.create(assignment=assignment, indicator_id=indicator_id, value=value, comment=comment)
            audit.record(actor=by, action=AuditAction.CREATE, obj=score)
        elif score.value != value or score.comment != comment:
            before = audit.snapshot(score)
            score.value, score.comment = value, comment
            score.save(update_fields=["value", "comment", "updated_at"])
            audit.record(actor=by, action=AuditAction.UPDATE, obj=score, before=before)
        saved.append(score)
    return saved


@transaction.atomic
def scores_submit(assignment, *, by) -> Assignment:
    """Submit (workflow step "submit"): every expert indicator scored; the scores lock."""

    def effect(current, transition):
        scored = set(Score.objects.filter(assignment=current).values_list("indicator_id", flat=True))
        missing = [i for i in expert_indicators(current) if i.pk not in scored]
        if missing:
            raise_errors(
                {f"score_{i.pk}": _("%(name)s: give a score before submitting.") % {"name": i.name} for i in missing}
            )
        current.submitted_at = timezone.now()

    current = _locked(assignment)
    return ASSIGNMENT.apply(current, "submit", by=by, effect=effect, locked=True)


# The kind of notice of the scoring reminders (evaluation.reminders declares it in the catalogue).
SCORING_KIND = "evaluation-scoring-due"


def _assignment_url(assignment) -> str:
    try:
        return reverse("evaluation:assignment_detail", args=[assignment.pk])
    except NoReverseMatch:
        return ""


@transaction.atomic
def remind_laggards(round_, *, by=None, today: dt.date | None = None) -> int:
    """Remind each expert (with an account) of every assignment not yet submitted in a scoring
    round; at most once per assignment and day. Returns the reminders made."""
    today = today or timezone.localdate()
    round_ = Round.objects.select_related("region").get(pk=round_.pk)
    if by is not None:
        require(rules.may_run_round(by, round_))
    if round_.status != RoundStatus.SCORING:
        raise_errors({"status": _("Status: experts are reminded while the round is scoring.")})
    pending = list(
        Assignment.objects.filter(round=round_, status=AssignmentStatus.ASSIGNED, expert__user__isnull=False)
        .select_related("expert__user", "round_project__project")
        .order_by("pk")
    )
    made = 0
    reminded = []
    for assignment in pending:
        due = _(" Scoring is due on %(date)s.") % {"date": round_.scoring_due.isoformat()} if round_.scoring_due else ""
        count = remind(
            [assignment.expert.user],
            item_key=f"evaluation.assignment:{assignment.pk}",
            title=_("%(round)s: please score %(project)s.")
            % {"round": round_.name, "project": assignment.round_project.project.title},
            body=_("Your scores for %(project)s have not been submitted.%(due)s")
            % {"project": assignment.round_project.project.title, "due": due},
            url=_assignment_url(assignment),
            today=today,
            kind=SCORING_KIND,
        )
        if count:
            made += count
            assignment.last_reminded_on = today
            reminded.append(assignment)
    if reminded:
        Assignment.objects.bulk_update(reminded, ["last_reminded_on"])
        audit.record(
            actor=by,
            action=AuditAction.OTHER,
            obj=round_,
            message=_("Reminded %(n)d unsubmitted assignments") % {"n": len(reminded)},
        )
    return made
