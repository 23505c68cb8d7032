"""Party activities and trainings (党课, 主题教育, joint activities) and joint meetings (党建联席会议)
with their decisions' follow-up. Held by a party organization at its node (the row keeps the host's
region: who may read it); attended by organizations of the host's district within the user's
subtree. Never deleted: a correction is an audited edit."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import audit
from core.choices import AuditAction
from core.scoping import within

from .. import permissions as rules
from ..models import JointMeeting, MeetingDecision, PartyActivity, PartyOrganization
from ..uploads import MEETING_MINUTES_UPLOADS
from ..workflows import DECISION
from .common import assign, label, not_in_future, organizations_refusal, raise_errors, require, user_or_none

ACTIVITY_FIELDS = ("kind", "held_on", "host", "topic", "head_count", "note")
ACTIVITY_REQUIRED = ("kind", "held_on", "host", "topic")
MEETING_FIELDS = ("host", "held_on", "topic", "minutes", "minutes_file")
MEETING_REQUIRED = ("host", "held_on", "topic")
DECISION_FIELDS = ("content", "responsible", "due_on")


def _visible(user, organization) -> tuple[bool, str]:
    if user is None or user.is_superuser or within(user, organization.region):
        return rules.OK
    return False, _("This is outside your jurisdiction.")


def _host(user, values: dict, errors: dict, model) -> PartyOrganization | None:
    """The host party organization, read afresh; the user must keep its node."""
    host = values.get("host")
    if host is None:
        return None
    if not isinstance(host, PartyOrganization):
        errors["host"] = _("%(field)s: choose one of the listed entries.") % {"field": label(model, "host")}
        values.pop("host")
        return None
    host = PartyOrganization.objects.select_related("region__district").get(pk=host.pk)
    require(rules.may_keep_organization(user, host))
    if not host.is_active:
        errors["host"] = _("%(field)s: %(name)s has been dissolved.") % {"field": label(model, "host"), "name": host}
    values["host"] = host
    return host


def _attending(user, host, organizations, errors: dict) -> list:
    if host is None:
        return list(organizations)
    district = host.region.district or host.region
    return organizations_refusal(
        user,
        organizations,
        district,
        "organizations",
        errors,
        field_label=_("Attending organizations"),
        rule=_visible,
    )


# ---------------------------------------------------------------------------------- activities


@transaction.atomic
def activity_record(user, *, organizations=(), **values) -> PartyActivity:
    """A party activity or training held by `host` (region = the host's region)."""
    errors: dict = {}
    values = dict(values)
    host = _host(user, values, errors, PartyActivity)
    if host is None and "host" not in errors:
        require(rules.may_keep_node(user, getattr(user, "region", None)) if user is not None else rules.OK)
    activity = PartyActivity(created_by=user_or_none(user))
    assign(activity, values, ACTIVITY_FIELDS, errors, required=ACTIVITY_REQUIRED)
    not_in_future(activity, "held_on", errors)
    organizations = _attending(user, host, organizations, errors)
    raise_errors(errors)
    activity.region = host.region
    activity.save()
    activity.organizations.set(organizations)
    audit.record(actor=user, action=AuditAction.CREATE, obj=activity)
    return activity


@transaction.atomic
def activity_update(user, activity, *, organizations=None, **values) -> PartyActivity:
    activity = PartyActivity.objects.select_for_update(of=("self",)).select_related("host__region").get(pk=activity.pk)
    require(rules.may_keep_organization(user, activity.host))
    errors: dict = {}
    values = dict(values)
    host = _host(user, values, errors, PartyActivity) or activity.host
    before = audit.snapshot(activity)
    assign(activity, values, ACTIVITY_FIELDS, errors, required=ACTIVITY_REQUIRED)
    not_in_future(activity, "held_on", errors)
    if organizations is not None:
        organizations = _attending(user, host, organizations, errors)
    raise_errors(errors)
    activity.region = host.region
    activity.save()
    if organizations is not None:
        activity.organizations.set(organizations)
    audit.record(actor=user, action=AuditAction.UPDATE, obj=activity, before=before)
    return activity


# ------------------------------------------------------------------------------------ meetings


def _minutes_file(values: dict, errors: dict) -> None:
    upload = values.get("minutes_file")
    if not upload:
        values.pop("minutes_file", None)
        return
    try:
        checked = MEETING_MINUTES_UPLOADS.check(upload, field="minutes_file")
    except ValidationError as error:
        errors["minutes_file"] = " ".join(error.messages)
        values.pop("minutes_file")
        return
    values["minutes_file"] = checked.file


def _decision(meeting: JointMeeting, values: dict, errors: dict, *, user, index: int | None = None) -> MeetingDecision:
    decision = MeetingDecision(meeting=meeting, created_by=user_or_none(user))
    own: dict = {}
    assign(decision, dict(values), DECISION_FIELDS, own, required=("content",))
    if own:
        if index is None:
            errors.update(own)
        else:
            errors.setdefault(
                "decisions",
                _("Decision %(n)d: %(message)s") % {"n": index + 1, "message": " ".join(own.values())},
            )
    return decision


def _save_decision(user, decision: MeetingDecision) -> MeetingDecision:
    decision.save()
    audit.record(actor=user, action=AuditAction.CREATE, obj=decision)
    return decision


@transaction.atomic
def meeting_record(user, *, organizations=(), decisions=(), **values) -> JointMeeting:
    """A joint meeting held by `host`, with its attending organizations, minutes (text and/or a file)
    and decisions (dicts of content, responsible, due_on)."""
    errors: dict = {}
    values = dict(values)
    host = _host(user, values, errors, JointMeeting)
    if host is None and "host" not in errors and user is not None:
        require(rules.may_keep_node(user, getattr(user, "region", None)))
    _minutes_file(values, errors)
    meeting = JointMeeting(created_by=user_or_none(user))
    assign(meeting, values, MEETING_FIELDS, errors, required=MEETING_REQUIRED)
    not_in_future(meeting, "held_on", errors)
    organizations = _attending(user, host, organizations, errors)
    pending = [_decision(meeting, item, errors, user=user, index=i) for i, item in enumerate(decisions or ())]
    raise_errors(errors)
    meeting.region = host.region
    meeting.save()
    meeting.organizations.set(organizations)
    audit.record(actor=user, action=AuditAction.CREATE, obj=meeting)
    for decision in pending:
        decision.meeting = meeting
        _save_decision(user, decision)
    return meeting


@transaction.atomic
def meeting_update(user, meeting, *, organizations=None, **values) -> JointMeeting:
    meeting = JointMeeting.objects.select_for_update(of=("self",)).select_related("host__region").get(pk=meeting.pk)
    require(rules.may_keep_meeting(user, meeting))
    errors: dict = {}
    values = dict(values)
    host = _host(user, values, errors, JointMeeting) or meeting.host
    _minutes_file(values, errors)
    before = audit.snapshot(meeting)
    assign(meeting, values, MEETING_FIELDS, errors, required=MEETING_REQUIRED)
    not_in_future(meeting, "held_on", errors)
    if organizations is not None:
        organizations = _attending(user, host, organizations, errors)
    raise_errors(errors)
    meeting.region = host.region
    meeting.save()
    if organizations is not None:
        meeting.organizations.set(organizations)
    audit.record(actor=user, action=AuditAction.UPDATE, obj=meeting, before=before)
    return meeting


@transaction.atomic
def decision_add(user, meeting, **values) -> MeetingDecision:
    meeting = JointMeeting.objects.select_for_update(of=("self",)).select_related("region").get(pk=meeting.pk)
    require(rules.may_keep_meeting(user, meeting))
    errors: dict = {}
    decision = _decision(meeting, values, errors, user=user)
    raise_errors(errors)
    return _save_decision(user, decision)


@transaction.atomic
def decision_complete(user, decision, *, follow_up: str) -> MeetingDecision:
    """Workflow step "complete" of a decision: its reason is the follow-up; stamps the day."""

    def effect(decision, transition):
        decision.follow_up = (follow_up or "").strip()
        decision.done_on = timezone.localdate()

    return DECISION.apply(decision, "complete", by=user, reason=follow_up, effect=effect)
