"""The reminder catalogue (reports:reminder_list): every reminder the platform sends, to whom, on which
days and by which periodic job (with its schedule as the bureau administrator set it), and whether
the viewing user gets its e-mail. Bureau roles see every reminder; any other signed-in user the
reminders that concern their role."""

from django.contrib.auth.decorators import login_required
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.views.decorators.http import require_http_methods

from core import notifications, periodic
from core.choices import BUREAU_ROLES
from core.periodic.crontabs import describe
from core.periodic.services import may_view
from core.periodic.watch import rows_by_key


def _jobs(keys: set[str], user) -> dict[str, dict]:
    """Each job's label, its schedule in words (the beat row's, as edited; one query) and, for whoever
    may read the job status page, the link to the job."""
    declared = [job for key in sorted(keys) if (job := periodic.get(key)) is not None]
    rows = rows_by_key(declared) if declared else {}
    linked = may_view(user)
    return {
        job.key: {
            "label": job.label,
            "schedule": describe(rows.get(job.key)),
            "enabled": rows.get(job.key) is None or rows[job.key].enabled,
            "url": reverse("reports:job_detail", kwargs={"key": job.key}) if linked else "",
        }
        for job in declared
    }


@login_required
@require_http_methods(["GET", "HEAD"])
def reminder_list(request):
    user = request.user
    sees_all = user.is_superuser or user.role in BUREAU_ROLES
    catalogue = notifications.reminders(None if sees_all else user.role)
    email = notifications.email_kinds(user)
    jobs = _jobs({reminder.job_key for reminder in catalogue}, user)
    rows = [
        {"reminder": reminder, "email": email.get(reminder.kind, True), "job": jobs.get(reminder.job_key)}
        for reminder in catalogue
    ]
    context = {"rows": rows, "sees_all": sees_all, "has_email": bool(user.email)}
    return TemplateResponse(request, "reports/reminder_list.html", context)


urlpatterns = [path("reminders/", reminder_list, name="reminder_list")]
