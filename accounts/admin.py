"""Admin for users and regions, scoped to the administrator's district; writes go through services."""

import copy
from functools import partial

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm, AdminUserCreationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.admin import ScopedModelAdmin

from . import services
from .models import Region, User

admin.site.site_header = _("Community social organization platform")
admin.site.site_title = _("Administration")


class RegionForm(forms.ModelForm):
    """A new region's level and code checked by the service's rules before saving, so a wrong one
    is shown on its field."""

    class Meta:
        model = Region
        fields = ["code", "name", "level", "parent", "area_kind", "is_active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "level" in self.fields:
            self.fields["level"].required = False
            self.fields["level"].help_text = _("Left empty: the level below the parent's (a district without one).")

    def clean(self):
        data = super().clean()
        if self.instance.pk is None and not self.errors:
            try:
                data["level"] = services.region_check(
                    code=data.get("code"), parent=data.get("parent"), level=data.get("level")
                )
            except ValidationError as error:
                for field, messages in error.message_dict.items():
                    self.add_error(field if field in self.fields else None, messages)
        if not self.errors:
            try:
                services.check_area_kind(data.get("level") or self.instance.level, data.get("area_kind") or "")
            except ValidationError as error:
                self.add_error("area_kind", error.message_dict["area_kind"])
        return data


@admin.register(Region)
class RegionAdmin(ScopedModelAdmin):
    form = RegionForm
    list_display = ["code", "name", "level", "parent", "area_kind", "is_active"]
    list_filter = ["level", "area_kind", "is_active"]
    search_fields = ["code", "name"]

    def get_fields(self, request, obj=None):
        # A new region's level follows its parent (a city or a district has none).
        if obj:
            return ["code", "name", "parent", "area_kind", "is_active"]
        return ["code", "name", "level", "parent", "area_kind", "is_active"]

    def get_readonly_fields(self, request, obj=None):
        return ["code", "parent"] if obj else []

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "parent":
            kwargs["queryset"] = Region.objects.restrict(request.user, "change")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        if change:
            services.region_update(
                region=obj, by=request.user, name=obj.name, is_active=obj.is_active, area_kind=obj.area_kind
            )
        else:
            saved = services.region_create(
                code=obj.code,
                name=obj.name,
                parent=obj.parent,
                level=obj.level,
                by=request.user,
                area_kind=obj.area_kind,
            )
            obj.pk, obj.level, obj.path, obj.district_id = saved.pk, saved.level, saved.path, saved.district_id


class UserCreationForm(AdminUserCreationForm):
    class Meta(AdminUserCreationForm.Meta):
        model = User
        fields = ("username", "full_name", "role", "region")


class PasswordChangeForm(AdminPasswordChangeForm):
    """The admin's password form, saved through the service (validated, audited, API tokens revoked)."""

    def __init__(self, user, *args, by=None, **kwargs):
        super().__init__(user, *args, **kwargs)
        self.by = by

    def save(self, commit=True):
        password = self.cleaned_data["password1"] if self.cleaned_data["set_usable_password"] else None
        return services.user_set_password(user=self.user, password=password, by=self.by)


@admin.register(User)
class UserAdmin(ScopedModelAdmin, DjangoUserAdmin):
    add_form = UserCreationForm
    list_display = ["username", "full_name", "role", "region", "is_active", "last_login"]
    list_filter = ["role", "is_active"]
    search_fields = ["username", "full_name", "phone", "email"]
    ordering = ["username"]
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        (_("Profile"), {"fields": ["full_name", "phone", "email"]}),
        (_("Role"), {"fields": ["role", "region", "is_active"]}),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["username", "full_name", "role", "region", "password1", "password2"]})
    ]
    readonly_fields = ["last_login", "date_joined"]
    filter_horizontal = []

    def user_change_password(self, request, id, form_url=""):
        # Django's view builds the form itself; a copy of this (shared) admin for the request hands
        # the form the acting administrator, for the service's checks and audit record.
        admin_for_request = copy.copy(self)
        admin_for_request.change_password_form = partial(PasswordChangeForm, by=request.user)
        return DjangoUserAdmin.user_change_password(admin_for_request, request, id, form_url)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "region":
            kwargs["queryset"] = Region.objects.restrict(request.user, "view")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        if change:
            services.user_update(
                user=obj,
                by=request.user,
                **{
                    name: data[name]
                    for name in ("full_name", "phone", "email", "role", "region", "is_active")
                    if name in data
                },
            )
        else:
            saved = services.user_create(
                username=data["username"],
                password=data.get("password1") or None,
                by=request.user,
                role=data.get("role", ""),
                region=data.get("region"),
                full_name=data.get("full_name", ""),
            )
            obj.pk, obj.password, obj.is_staff = saved.pk, saved.password, saved.is_staff

    def save_related(self, request, form, formsets, change):
        # Groups and permissions are not used: roles decide. Nothing else to save.
        return None
