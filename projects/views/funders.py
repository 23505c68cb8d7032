"""Pages of funders: the register (list, filter, export), a funder with its projects and accounts,
the forms the district bureau keeps it with, and the accounts of a funder's staff."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from accounts.models import User
from core.choices import Action, Role
from core.views.generic import ObjectDetailView, ObjectEditView, ObjectListView

from .. import filtersets, forms, services, tables
from ..models import Funder, FunderMember, Project


class FunderListView(ObjectListView):
    queryset = Funder.objects.select_related("region")
    filterset = filtersets.FunderFilterSet
    table = tables.FunderTable
    add_url_name = "projects:funder_add"


class FunderDetailView(ObjectDetailView):
    queryset = Funder.objects.select_related("region")
    template_name = "projects/funder_detail.html"

    def get_extra_context(self):
        funder, user = self.object, self.request.user
        may_manage = services.may_manage_funders(user, funder.region)[0]
        return {
            "projects": Project.objects.restrict(user)
            .filter(funder=funder)
            .select_related("organization")
            .order_by("-start_date", "code")[:50],
            # Who may sign in for the funder: for the bureau that keeps the register.
            "accounts": FunderMember.objects.filter(funder=funder).select_related("user").order_by("user__username")
            if may_manage
            else None,
            "can_edit": may_manage and Funder.access_policy.allows(user, Action.CHANGE),
            "can_add_account": may_manage and funder.is_active and User.access_policy.allows(user, Action.ADD),
        }


class FunderEditView(ObjectEditView):
    queryset = Funder.objects.select_related("region")
    form_class = forms.FunderForm

    def add_permission(self):
        allowed, reason = services.may_manage_funders(self.request.user)
        return super().add_permission() if allowed else (allowed, reason)

    def save(self, form, instance):
        data = dict(form.cleaned_data)
        if instance is None:
            return services.funder_create(by=self.request.user, **data)
        return services.funder_update(by=self.request.user, funder=instance, changes=data)


class FunderAccountAddView(ObjectEditView):
    """An account for the funder's staff: the district's administrator, who keeps its users."""

    queryset = FunderMember.objects.all()
    form_class = forms.FunderAccountForm
    success_message = _("The account was created; give its user name and password to the funder.")

    def _funder(self) -> Funder:
        if not hasattr(self, "funder"):
            self.funder = get_object_or_404(
                Funder.objects.restrict(self.request.user, Action.VIEW).select_related("region"),
                pk=self.kwargs["funder_pk"],
            )
        return self.funder

    def add_permission(self):
        allowed, reason = services.may_manage_funders(self.request.user, self._funder().region)
        if allowed and not (self.request.user.is_superuser or self.request.user.role == Role.BUREAU_ADMIN):
            allowed, reason = False, _("Only the district's administrator creates accounts.")
        return super().add_permission() if allowed else (allowed, reason)

    def get_object(self):
        self._funder()
        return

    def get_extra_context(self):
        return {"verbose_name": f"{self.funder.name} · {FunderMember._meta.verbose_name}"}

    def save(self, form, instance):
        data = form.cleaned_data
        return services.funder_account_create(
            funder=self.funder,
            by=self.request.user,
            username=data["username"],
            password=data["password1"],
            full_name=data.get("full_name", ""),
            phone=data.get("phone", ""),
            email=data.get("email", ""),
        )

    def get_success_url(self, obj):
        return self.funder.get_absolute_url()
