"""The 任务状态 page: every periodic job with its schedule, last run, outcome and next run, red when
it failed or missed a run; a job's run history; "run now" and the schedule form for a bureau
administrator at the deployment's top node (core.periodic.services); read-only for the others."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.models import JobRun
from core.periodic import get as get_job
from core.periodic import services
from core.periodic.watch import job_states
from core.views.generic import apply_validation_error, flash_errors

HISTORY_LENGTH = 50


class ScheduleForm(forms.Form):
    hour = forms.IntegerField(
        label=gettext_lazy("Hour"),
        min_value=0,
        max_value=23,
        required=False,
        help_text=gettext_lazy("Blank: every hour."),
    )
    minute = forms.IntegerField(label=gettext_lazy("Minute"), min_value=0, max_value=59)
    enabled = forms.BooleanField(
        label=gettext_lazy("Enabled"), required=False, widget=forms.CheckboxInput(attrs={"class": "form-check-input"})
    )


def duration_text(milliseconds: int | None) -> str:
    if milliseconds is None:
        return ""
    if milliseconds < 1000:
        return _("%(count)s ms") % {"count": milliseconds}
    return _("%(count)s s") % {"count": f"{milliseconds / 1000:.1f}"}


def _viewer(request) -> None:
    if not services.may_view(request.user):
        raise PermissionDenied(_("Only a bureau administrator sees the periodic jobs."))


def _state(key: str):
    if get_job(key) is None:
        raise Http404
    return next(state for state in job_states() if state.key == key)


def _initial(state) -> dict:
    row = state.row
    if row is None or not row.crontab_id:
        return {"enabled": state.enabled}
    hour, minute = row.crontab.hour, row.crontab.minute
    return {
        "hour": int(hour) if hour.isdigit() else None,
        "minute": int(minute) if minute.isdigit() else None,
        "enabled": row.enabled,
    }


@login_required
@require_GET
def job_list(request):
    _viewer(request)
    may_manage, reason = services.may_manage(request.user)
    rows = [
        {"state": state, "duration": duration_text(state.last_run.duration_ms if state.last_run else None)}
        for state in job_states()
    ]
    context = {"rows": rows, "may_manage": may_manage, "read_only_reason": reason}
    return TemplateResponse(request, "reports/job_list.html", context)


def _detail(request, key: str, form=None):
    state = _state(key)
    may_manage, reason = services.may_manage(request.user)
    runs = [
        {"run": run, "duration": duration_text(run.duration_ms)}
        for run in JobRun.objects.filter(job=key)[:HISTORY_LENGTH]
    ]
    context = {
        "state": state,
        "runs": runs,
        "history_length": HISTORY_LENGTH,
        "may_manage": may_manage,
        "read_only_reason": reason,
        "form": form or ScheduleForm(initial=_initial(state)),
    }
    return TemplateResponse(request, "reports/job_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def job_detail(request, key: str):
    """A job's runs; a POST is the schedule form."""
    _viewer(request)
    if request.method == "GET":
        return _detail(request, key)
    state = _state(key)
    form = ScheduleForm(request.POST)
    if form.is_valid():
        try:
            services.job_schedule_update(
                key=key,
                by=request.user,
                hour=form.cleaned_data["hour"],
                minute=form.cleaned_data["minute"],
                enabled=form.cleaned_data["enabled"],
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("The schedule of “%(job)s” is saved.") % {"job": state.job.label})
            return redirect("reports:job_detail", key=key)
    return _detail(request, key, form=form)


@login_required
@require_POST
def job_run(request, key: str):
    _viewer(request)
    state = _state(key)
    try:
        services.job_run_now(key=key, by=request.user)
    except ValidationError as error:
        flash_errors(request, error)
    else:
        messages.success(request, _("“%(job)s” is queued; its run appears below.") % {"job": state.job.label})
    return redirect("reports:job_detail", key=key)


urlpatterns = [
    path("jobs/", job_list, name="job_list"),
    path("jobs/<slug:key>/", job_detail, name="job_detail"),
    path("jobs/<slug:key>/run/", job_run, name="job_run"),
]
