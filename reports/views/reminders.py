"""The reminder catalogue (reports:reminder_list): every reminder the platform sends, to whom, on which
days and by which periodic job, and whether the viewing user gets its e-mail. Bureau roles see every
reminder; any other signed-in user the reminders that concern their role."""

from django.contrib.auth.decorators import login_required
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, path, reverse
from django.views.decorators.http import require_http_methods

from core import notifications
from core.choices import BUREAU_ROLES, Role


def _job_list_url(user) -> str:
    """The job status page, for the bureau administrator who may read it (once it exists)."""
    if user.role != Role.BUREAU_ADMIN:
        return ""
    try:
        return reverse("reports:job_list")
    except NoReverseMatch:
        return ""


@login_required
@require_http_methods(["GET", "HEAD"])
def reminder_list(request):
    user = request.user
    sees_all = user.is_superuser or user.role in BUREAU_ROLES
    email = notifications.email_kinds(user)
    rows = [
        {"reminder": reminder, "email": email.get(reminder.kind, True)}
        for reminder in notifications.reminders(None if sees_all else user.role)
    ]
    context = {"rows": rows, "sees_all": sees_all, "has_email": bool(user.email), "job_list_url": _job_list_url(user)}
    return TemplateResponse(request, "reports/reminder_list.html", context)


urlpatterns = [path("reminders/", reminder_list, name="reminder_list")]
