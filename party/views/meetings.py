"""Pages of party activities and trainings, and of joint meetings (党建联席会议) with their
decisions and the decisions' follow-up (workflow DECISION)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.choices import Action
from core.uploads import serve
from core.views.generic import ObjectDetailView, ObjectEditView, ObjectListView, form_error_messages

from .. import permissions as rules
from .. import services
from ..filtersets import JointMeetingFilterSet, PartyActivityFilterSet
from ..forms import DecisionForm, JointMeetingForm, PartyActivityForm
from ..models import JointMeeting, MeetingDecision, PartyActivity
from ..tables import JointMeetingTable, PartyActivityTable
from ..uploads import MEETING_MINUTES_UPLOADS
from ..workflows import DECISION
from .common import error_text, keeper_permission, with_urls


class _HeldEditView(ObjectEditView):
    template_name = "party/edit.html"

    def add_permission(self):
        return keeper_permission(self)

    def get_object(self):
        obj = super().get_object()
        if obj is not None:
            allowed, reason = rules.may_keep_node(self.request.user, obj.region)
            if not allowed:
                raise PermissionDenied(reason)
        return obj


# ---- activities ----


class PartyActivityListView(ObjectListView):
    queryset = PartyActivity.objects.select_related("host", "region__parent")
    filterset = PartyActivityFilterSet
    table = PartyActivityTable
    add_url_name = "party:partyactivity_create"


class PartyActivityDetailView(ObjectDetailView):
    queryset = PartyActivity.objects.select_related("host", "region__parent")
    template_name = "party/partyactivity_detail.html"

    def get_extra_context(self):
        return {
            "attending": self.object.organizations.restrict(self.request.user).select_related("region"),
            "can_edit": rules.may_keep_node(self.request.user, self.object.region)[0],
        }


class PartyActivityEditView(_HeldEditView):
    queryset = PartyActivity.objects.select_related("region")
    form_class = PartyActivityForm

    def save(self, form, instance):
        if instance is None:
            return services.activity_record(self.request.user, organizations=form.attending(), **form.values())
        return services.activity_update(self.request.user, instance, organizations=form.attending(), **form.values())


# ---- joint meetings ----


class JointMeetingListView(ObjectListView):
    queryset = JointMeeting.objects.select_related("host", "region__parent")
    filterset = JointMeetingFilterSet
    table = JointMeetingTable
    add_url_name = "party:jointmeeting_create"


class JointMeetingDetailView(ObjectDetailView):
    queryset = JointMeeting.objects.select_related("host", "region__parent")
    template_name = "party/jointmeeting_detail.html"

    def get_extra_context(self):
        user, meeting = self.request.user, self.object
        can_edit = rules.may_keep_node(user, meeting.region)[0]
        decisions = list(meeting.decisions.select_related("meeting__region").order_by("pk"))
        return {
            "attending": meeting.organizations.restrict(user).select_related("region"),
            "decisions": [
                (d, with_urls(DECISION.offers(d, user), "party:meetingdecision_transition", d)) for d in decisions
            ],
            "can_edit": can_edit,
            "decision_form": DecisionForm(prefix="decision") if can_edit else None,
        }


class JointMeetingEditView(_HeldEditView):
    queryset = JointMeeting.objects.select_related("region")
    form_class = JointMeetingForm

    def save(self, form, instance):
        if instance is None:
            return services.meeting_record(self.request.user, organizations=form.attending(), **form.values())
        return services.meeting_update(self.request.user, instance, organizations=form.attending(), **form.values())


@login_required
def meeting_minutes(request, pk):
    meeting = get_object_or_404(JointMeeting.objects.restrict(request.user), pk=pk)
    if not meeting.minutes_file:
        raise Http404
    filename = meeting.minutes_file.name.rsplit("/", 1)[-1]
    return serve(meeting.minutes_file, filename=filename, policy=MEETING_MINUTES_UPLOADS)


@login_required
@require_POST
def decision_add(request, pk):
    """A decision of the meeting, from its page."""
    meeting = get_object_or_404(JointMeeting.objects.restrict(request.user, Action.CHANGE), pk=pk)
    form = DecisionForm(request.POST, prefix="decision")
    if not form.is_valid():
        for message in form_error_messages(form):
            messages.error(request, message)
        return redirect(meeting.get_absolute_url())
    try:
        services.decision_add(request.user, meeting, **form.values())
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("The decision has been added."))
    return redirect(meeting.get_absolute_url())


@login_required
@require_POST
def decision_transition(request, pk, name):
    """The decision's step (complete, with its follow-up as the reason), from the meeting's page."""
    if name not in DECISION.names:
        raise Http404
    decision = get_object_or_404(
        MeetingDecision.objects.select_related("meeting__region").restrict(request.user, Action.CHANGE), pk=pk
    )
    try:
        services.decision_complete(request.user, decision, follow_up=request.POST.get("reason", ""))
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("The decision has been recorded as done."))
    return redirect(decision.meeting.get_absolute_url())
