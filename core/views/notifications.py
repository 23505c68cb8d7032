"""The user's own notices: the list, opening one (marks it read), and which kinds come by e-mail."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core import notifications
from core.models import Notification


@login_required
def notification_list(request):
    items = Notification.objects.restrict(request.user).filter(recipient=request.user)[:100]
    return TemplateResponse(
        request,
        "core/notification_list.html",
        {"notifications": items, "verbose_name_plural": gettext_lazy("notifications")},
    )


@login_required
@require_POST
def notification_read(request, pk: int):
    notification = get_object_or_404(Notification.objects.filter(recipient=request.user), pk=pk)
    notifications.mark_read(notification=notification, by=request.user)
    return redirect(notification.url or reverse("core:notification_list"))
