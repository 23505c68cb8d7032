"""Beneficiary feedback (服务对象反馈): residents' answers, one-time respondent codes, paper
questionnaire batches and the review of answers set aside.

Nothing a resident sends is refused for its client or deleted: an answer with a valid code counts
(the code is locked and marked used, so two simultaneous posts of one code make one answer); a
code-less answer beyond the flood limit from one client is held with the reason, and the resident
is told the same thanks as anyone. Staff count or leave out held answers with a reason
(evaluation.workflows.RESPONSE). A survey takes answers only while its round is in draft or scoring.
"""

from __future__ import annotations

import datetime as dt
import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import audit, bounds
from core.choices import AuditAction

from .. import conf, surveys
from .. import permissions as rules
from ..choices import ResponseChannel, ResponseStatus
from ..models import PaperBatch, RespondentCode, Survey, SurveyResponse
from ..workflows import RESPONSE

CODES_PER_CALL = 500
ROWS_PER_BATCH = 500
# Row errors a paper batch names before "and N more rows".
ROW_ERRORS_NAMED = 20

_YES = {"1", "true", "yes", "y", "on", "是", "知道", "参加", "参与"}
_NO = {"0", "false", "no", "n", "off", "否", "不知道", "未参加", "未参与"}


def _require(result: tuple[bool, str]) -> None:
    allowed, reason = result
    if not allowed:
        raise PermissionDenied(reason)


def _user(by):
    return by if by is not None and getattr(by, "pk", None) else None


def _yes_no(value) -> bool | None:
    if isinstance(value, bool):
        return value
    text = str(value if value is not None else "").strip().lower()
    if text in _YES:
        return True
    if text in _NO:
        return False
    return None


def _satisfaction(value) -> int | None:
    if isinstance(value, bool):
        return None
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        return None
    return number if 1 <= number <= 5 else None


def _answer(knew, took_part, satisfaction, comment) -> tuple[dict, dict]:
    """The answer's values and, by field, what is wrong with them (field named in Chinese)."""
    errors, values = {}, {}
    values["knew"] = _yes_no(knew)
    if values["knew"] is None:
        errors["knew"] = _("Knew of the project: answer yes or no.")
    values["took_part"] = _yes_no(took_part)
    if values["took_part"] is None:
        errors["took_part"] = _("Took part: answer yes or no.")
    values["satisfaction"] = _satisfaction(satisfaction)
    if values["satisfaction"] is None:
        errors["satisfaction"] = _("Satisfaction: choose 1 to 5.")
    values["comment"] = str(comment or "").strip()
    if len(values["comment"]) > bounds.SHORT_TEXT_MAX:
        errors["comment"] = _("Comment: at most %(n)d characters.") % {"n": bounds.SHORT_TEXT_MAX}
    return values, errors


def _locked_survey(survey) -> Survey:
    return (
        Survey.objects.select_for_update(of=("self",))
        .select_related("round_project__round", "round_project__project")
        .get(pk=survey.pk)
    )


def _require_open(survey) -> None:
    if not surveys.survey_open(survey):
        raise ValidationError(
            {"survey": _("Survey: this project's evaluation has been published; the survey no longer takes answers.")}
        )


def _locked_code(survey, code: str) -> RespondentCode:
    text = surveys.normalise_code(code)
    invalid = ValidationError({"code": _("Respondent code: this code is not valid for this survey; check the slip.")})
    if len(text) != surveys.CODE_LENGTH or any(char not in surveys.CODE_ALPHABET for char in text):
        raise invalid
    found = RespondentCode.objects.select_for_update(of=("self",)).filter(survey=survey, code=text).first()
    if found is None:
        raise invalid
    if found.used_at is not None:
        raise ValidationError({"code": _("Respondent code: this code has already been used.")})
    return found


@transaction.atomic
def response_submit(
    survey, *, knew, took_part, satisfaction, comment="", code="", client_key="", now=None
) -> SurveyResponse:
    """A resident's answer (anonymous). With a code: the code must be this survey's and unused; the
    answer counts and the code is used. Without: counted, or held when the client already sent the
    flood limit of code-less answers to this survey within the window. The caller thanks the
    resident either way."""
    now = now or timezone.now()
    # The survey's row lock serialises its answers, so a burst is counted exactly.
    survey = _locked_survey(survey)
    _require_open(survey)
    values, errors = _answer(knew, took_part, satisfaction, comment)
    if errors:
        raise ValidationError(errors)
    client_key = str(client_key or "")[:64]
    response = SurveyResponse(survey=survey, client_key=client_key, submitted_at=now, **values)
    if str(code or "").strip():
        respondent_code = _locked_code(survey, code)
        respondent_code.used_at = now
        respondent_code.save(update_fields=["used_at", "updated_at"])
        response.code = respondent_code
        response.channel = ResponseChannel.CODE
        response.status = ResponseStatus.COUNTED
    else:
        response.channel = ResponseChannel.ONLINE
        if surveys.is_flood(survey, client_key, now):
            response.status = ResponseStatus.HELD
            response.hold_reason = _(
                "More than %(limit)d answers without a respondent code from one device within %(minutes)d "
                "minutes; set aside for review."
            ) % {"limit": conf.flood_limit(), "minutes": conf.flood_window_minutes()}
        else:
            response.status = ResponseStatus.COUNTED
    response.save()
    audit.record(actor=None, action=AuditAction.CREATE, obj=response)
    return response


def _new_code() -> str:
    return "".join(secrets.choice(surveys.CODE_ALPHABET) for _i in range(surveys.CODE_LENGTH))


@transaction.atomic
def codes_issue(survey, *, by, count) -> list[RespondentCode]:
    """`count` (1–500) new one-time codes for `survey`, to print on slips."""
    survey = _locked_survey(survey)
    _require(rules.may_keep_feedback(by, survey.round_project.round))
    _require_open(survey)
    try:
        count = int(str(count).strip())
    except (TypeError, ValueError):
        count = 0
    if not 1 <= count <= CODES_PER_CALL:
        raise ValidationError(
            {"count": _("Number of codes: enter a whole number from 1 to %(n)d.") % {"n": CODES_PER_CALL}}
        )
    taken = set(RespondentCode.objects.filter(survey=survey).values_list("code", flat=True))
    fresh: list[str] = []
    while len(fresh) < count:
        code = _new_code()
        if code not in taken:
            taken.add(code)
            fresh.append(code)
    user = _user(by)
    codes = RespondentCode.objects.bulk_create(
        RespondentCode(survey=survey, code=code, created_by=user) for code in fresh
    )
    audit.record_many(
        actor=by,
        action=AuditAction.CREATE,
        objs=codes,
        message=_("%(count)d respondent codes issued") % {"count": count},
    )
    return codes


def _rows(rows) -> tuple[list[dict], list[str]]:
    values, problems = [], []
    for number, row in enumerate(rows, start=1):
        if not isinstance(row, dict):
            problems.append(_("Row %(row)d: not a questionnaire.") % {"row": number})
            continue
        answer, errors = _answer(row.get("knew"), row.get("took_part"), row.get("satisfaction"), row.get("comment", ""))
        for message in errors.values():
            problems.append(_("Row %(row)d: %(message)s") % {"row": number, "message": message})
        values.append(answer)
    return values, problems


@transaction.atomic
def paper_batch_enter(survey, *, by, collected_on, rows, place="", notes="") -> PaperBatch:
    """Enter a batch of paper questionnaires (1–500 rows, each {knew, took_part, satisfaction,
    comment}); all or nothing: any bad row refuses the batch with every bad row named. The answers
    count; the batch records who entered it."""
    user = _user(by)
    if user is None:
        raise ValueError("A paper batch is entered by a person: pass `by`.")
    survey = _locked_survey(survey)
    _require(rules.may_keep_feedback(by, survey.round_project.round))
    _require_open(survey)
    errors: dict = {}
    if isinstance(collected_on, str):
        try:
            collected_on = dt.date.fromisoformat(collected_on.strip())
        except ValueError:
            collected_on = None
    if not isinstance(collected_on, dt.date):
        errors["collected_on"] = _("Collected on: enter a date such as 2026-03-01.")
    elif collected_on > timezone.localdate():
        errors["collected_on"] = _("Collected on: the date cannot be in the future.")
    else:
        errors.update(bounds.field_errors(PaperBatch, {"collected_on": collected_on}))
    place, notes = str(place or "").strip(), str(notes or "").strip()
    if len(place) > 100:
        errors["place"] = _("Where collected: at most %(n)d characters.") % {"n": 100}
    if len(notes) > bounds.SHORT_TEXT_MAX:
        errors["notes"] = _("Notes: at most %(n)d characters.") % {"n": bounds.SHORT_TEXT_MAX}
    rows = list(rows or [])
    if not 1 <= len(rows) <= ROWS_PER_BATCH:
        errors["rows"] = _("Questionnaires: enter 1 to %(n)d questionnaires in a batch.") % {"n": ROWS_PER_BATCH}
    else:
        answers, problems = _rows(rows)
        if problems:
            named = problems[:ROW_ERRORS_NAMED]
            if len(problems) > ROW_ERRORS_NAMED:
                named.append(_("and %(count)d more problems") % {"count": len(problems) - ROW_ERRORS_NAMED})
            errors["rows"] = named
    if errors:
        raise ValidationError(errors)
    batch = PaperBatch.objects.create(
        survey=survey,
        collected_on=collected_on,
        place=place,
        notes=notes,
        entered_by=user,
        count=len(answers),
        created_by=user,
    )
    now = timezone.now()
    responses = SurveyResponse.objects.bulk_create(
        SurveyResponse(
            survey=survey,
            paper_batch=batch,
            channel=ResponseChannel.PAPER,
            status=ResponseStatus.COUNTED,
            submitted_at=now,
            created_by=user,
            **answer,
        )
        for answer in answers
    )
    audit.record(actor=by, action=AuditAction.CREATE, obj=batch)
    audit.record_many(actor=by, action=AuditAction.CREATE, objs=responses, message=str(batch))
    return batch


def response_count(response, *, by) -> SurveyResponse:
    """Count an answer that was set aside (RESPONSE "count")."""
    return RESPONSE.apply(response, "count", by=by)


def response_exclude(response, *, by, reason) -> SurveyResponse:
    """Leave an answer that was set aside out, with the reason (RESPONSE "exclude")."""
    return RESPONSE.apply(response, "exclude", by=by, reason=reason)
