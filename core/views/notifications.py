"""The user's own notices: the list, opening one (marks it read), marking all read, and which kinds
come by e-mail."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from core import notifications, paging, params
from core.models import Notification
from core.views.generic import apply_validation_error

PER_PAGE = 25


@login_required
@require_http_methods(["GET", "HEAD"])
def notification_list(request):
    mine = Notification.objects.restrict(request.user).filter(recipient=request.user)
    # Keyset pages (core.paging): unread first, newest first, the same cost however far back.
    page = paging.page_for_request(request, notifications.unread_first(mine), per_page=PER_PAGE)
    return TemplateResponse(
        request,
        "core/notification_list.html",
        {"page": page, "verbose_name_plural": gettext_lazy("notifications")},
    )


@login_required
@require_POST
def notification_read(request, pk):
    """Mark the notice read and go to what it is about, if that is a page of this site."""
    mine = Notification.objects.filter(recipient=request.user)
    notification = get_object_or_404(mine, pk=params.path_pk(Notification, pk))
    notifications.mark_read(notification=notification, by=request.user)
    return redirect(notifications.safe_link(notification.url) or "core:notification_list")


@login_required
@require_POST
def notification_read_all(request):
    count = notifications.mark_all_read(by=request.user)
    if count:
        messages.success(request, _("All notifications are marked as read."))
    return redirect("core:notification_list")


class EmailPreferencesForm(forms.Form):
    email = forms.MultipleChoiceField(
        label=gettext_lazy("E-mail notices"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].choices = [(key, label) for key, label in notifications.kinds().items()]


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def notification_preferences(request):
    """Which kinds of notice also come by e-mail; every notice is shown in the site regardless."""
    user = request.user
    enabled = [key for key, on in notifications.email_kinds(user).items() if on]
    form = EmailPreferencesForm(request.POST if request.method == "POST" else None, initial={"email": enabled})
    if form.is_bound and form.is_valid():
        try:
            notifications.set_email_preferences(user=user, enabled=form.cleaned_data["email"])
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("core:notification_preferences")
    context = {"form": form, "has_email": bool(user.email)}
    return TemplateResponse(request, "core/notification_preferences.html", context)
