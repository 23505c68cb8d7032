"""Login, logout, password change, and the user and region lists."""

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from core.views.generic import ObjectListView, apply_validation_error

from . import filtersets, services, tables
from .forms import LoginForm
from .models import Region, User


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    pass


@login_required
def password_change(request):
    form = PasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.user_set_password(
                user=request.user, password=form.cleaned_data["new_password1"], by=request.user
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            update_session_auth_hash(request, user)
            messages.success(request, _("Your password has been changed."))
            return redirect("home")
    for field in form.fields.values():
        field.widget.attrs.setdefault("class", "form-control")
    return TemplateResponse(request, "accounts/password_change.html", {"form": form})


class UserListView(ObjectListView):
    queryset = User.objects.select_related("region")
    filterset = filtersets.UserFilterSet
    table = tables.UserTable


class RegionListView(ObjectListView):
    queryset = Region.objects.select_related("parent")
    filterset = filtersets.RegionFilterSet
    table = tables.RegionTable
