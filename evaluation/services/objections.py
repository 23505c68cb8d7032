"""Objections (异议) to a published result, lodged during publicity by the project's organization
(its account) or by a member of the public (naming themself and a contact), and answered by the
bureau (evaluation.workflows.OBJECTION "answer"): the answer and the outcome — maintained, or
revised (then the round's results are recomputed by round_recompute). Whoever lodged an objection
does not answer it."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import audit, bounds
from core.choices import AuditAction

from .. import permissions as rules
from ..choices import ObjectionOutcome
from ..conf import objection_repeat_minutes
from ..models import Objection, Round, RoundProject
from ..workflows import OBJECTION
from ._common import label, raise_errors, require, user_or_none

NAME_MAX = Objection._meta.get_field("name").max_length
CONTACT_MAX = Objection._meta.get_field("contact").max_length


@transaction.atomic
def objection_lodge(round_project, *, by=None, name="", contact="", content) -> Objection:
    """An objection to `round_project`'s result during publicity. The public (by None) names
    themself and a contact; an organization's account defaults them from the account. The same
    objection from the same contact twice within EVALUATION_OBJECTION_REPEAT_MINUTES (10) is refused."""
    # The round's row serialises two submissions of the same objection (a double click).
    Round.objects.select_for_update(of=("self",)).get(pk=round_project.round_id)
    entry = RoundProject.objects.select_related("round", "project__organization").get(pk=round_project.pk)
    user = user_or_none(by)
    require(rules.may_lodge_objection(user, entry))
    name = str(name or "").strip()
    contact = str(contact or "").strip()
    content = str(content or "").strip()
    if user is not None:
        name = name or user.full_name or user.username
        contact = contact or user.phone or user.email or user.username
    errors: dict = {}
    for field, value, limit in (("name", name, NAME_MAX), ("contact", contact, CONTACT_MAX)):
        if not value:
            errors[field] = _("%(field)s: please fill this in.") % {"field": label(Objection, field)}
        elif len(value) > limit:
            errors[field] = _("%(field)s: at most %(n)d characters.") % {"field": label(Objection, field), "n": limit}
    if not content:
        errors["content"] = _("%(field)s: please say what you object to.") % {"field": label(Objection, "content")}
    elif len(content) > bounds.SHORT_TEXT_MAX:
        errors["content"] = _("%(field)s: at most %(n)d characters.") % {
            "field": label(Objection, "content"),
            "n": bounds.SHORT_TEXT_MAX,
        }
    raise_errors(errors)
    since = timezone.now() - dt.timedelta(minutes=objection_repeat_minutes())
    if Objection.objects.filter(round_project=entry, contact=contact, content=content, created_at__gte=since).exists():
        raise_errors(
            {
                "content": _("%(field)s: the same objection has already been lodged.")
                % {"field": label(Objection, "content")}
            }
        )
    objection = Objection.objects.create(
        round_project=entry, lodged_by=user, name=name, contact=contact, content=content
    )
    audit.record(actor=user, action=AuditAction.CREATE, obj=objection)
    return objection


@transaction.atomic
def objection_answer(objection, *, by, answer, outcome) -> Objection:
    """Answer (workflow step "answer", reason = the answer) with the outcome."""
    answer = str(answer or "").strip()
    if outcome not in ObjectionOutcome.values:
        raise_errors(
            {
                "outcome": _("%(field)s: choose one of %(choices)s.")
                % {"field": label(Objection, "outcome"), "choices": "、".join(str(c) for c in ObjectionOutcome.labels)}
            }
        )

    def effect(current, transition):
        current.answer = answer
        current.outcome = outcome

    return OBJECTION.apply(objection, "answer", by=by, reason=answer, effect=effect)
