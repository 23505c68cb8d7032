"""Generic views configured, NetBox-style, by queryset, filterset, table, form and service.

Every view scopes its queryset with `restrict(user, action)` before anything else, so a list,
its htmx table, its xlsx export and a detail page all see exactly the rows the user may see.
"""

from __future__ import annotations

import copy

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseBadRequest, QueryDict
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import resolve, reverse
from django.utils.translation import gettext as _
from django.views import View
from django_tables2 import RequestConfig
from django_tables2.rows import BoundRows

from core import paging
from core.choices import Action
from core.views.exports import export_response

HTMX_TABLE_TARGET = "object-list"


class ScopedViewMixin(LoginRequiredMixin):
    queryset = None
    action = Action.VIEW

    @property
    def model(self):
        return self.queryset.model

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not self.model.access_policy.allows(request.user, self.action):
            raise PermissionDenied(_("Your role may not view this page."))
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        return self.queryset.all().restrict(self.request.user, self.action)

    def get_extra_context(self) -> dict:
        return {}

    def base_context(self) -> dict:
        meta = self.model._meta
        return {"model": self.model, "verbose_name": meta.verbose_name, "verbose_name_plural": meta.verbose_name_plural}


class ObjectListView(ScopedViewMixin, View):
    filterset = None
    table = None
    template_name = "core/object_list.html"
    per_page = 25
    add_url_name: str | None = None
    # The export job re-runs only views that say so (core.services_exports).
    exportable = True

    def get_filterset_and_table(self, paginate: bool = True):
        """The filterset bound to the request and the table of the rows the user may see (none
        while the filter is invalid). The export job calls this too, for the job's owner."""
        request = self.request
        queryset = self.get_queryset()
        # Always bound, so that filters with defaults apply to the first, unfiltered page too.
        filterset = self.filterset(request.GET, queryset=queryset, request=request) if self.filterset else None
        if filterset is not None and not filterset.is_valid():
            rows = queryset.none()
        else:
            rows = filterset.qs if filterset is not None else queryset
        table = self.table(rows, request=request)
        # Sorting (?sort=) from django-tables2; the page itself by keyset (core.paging), the same cost at
        # any depth. The export (paginate=False) takes every row.
        RequestConfig(request, paginate=False).configure(table)
        if paginate:
            paginate_table(request, table, self.per_page)
        return filterset, table

    def get(self, request, *args, **kwargs):
        export = request.GET.get("export")
        filterset, table = self.get_filterset_and_table(paginate=export != "xlsx")
        if export and filterset is not None and not filterset.is_valid():
            return HttpResponseBadRequest(
                _("The filter is not valid: %(errors)s") % {"errors": filter_error_text(filterset)},
                content_type="text/plain; charset=utf-8",
            )
        if export == "xlsx":
            # Small results download now; large ones become a job in the user's downloads.
            return export_response(self, filterset, table)

        context = {
            **self.base_context(),
            "table": table,
            "filterset": filterset,
            "filter_form": filterset.form if filterset is not None else None,
            "can_add": bool(self.add_url_name) and may_follow(request, reverse(self.add_url_name)),
            "add_url_name": self.add_url_name,
            "htmx_target": HTMX_TABLE_TARGET,
            "exportable": True,
            **self.get_extra_context(),
        }
        if request.htmx and request.htmx.target == HTMX_TABLE_TARGET:
            return TemplateResponse(request, "core/includes/object_table.html", context)
        return TemplateResponse(request, self.template_name, context)


class ObjectDetailView(ScopedViewMixin, View):
    template_name = "core/object_detail.html"

    def get_object(self):
        return get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        context = {**self.base_context(), "object": self.object, **self.get_extra_context()}
        return TemplateResponse(request, self.template_name, context)


class ObjectEditView(ScopedViewMixin, View):
    """Create (no pk) or edit (pk) through a form whose cleaned data a service writes.

    Subclasses set `form_class` and implement `save(form, instance)` by calling a service; a
    ValidationError raised by the service is shown on the form's fields and nothing changes.
    """

    form_class = None
    template_name = "core/object_edit.html"
    success_message = _("Saved.")

    def dispatch(self, request, *args, **kwargs):
        self.action = Action.CHANGE if "pk" in kwargs else Action.ADD
        if self.action == Action.ADD and request.user.is_authenticated:
            allowed, reason = self.add_permission()
            if not allowed:
                raise PermissionDenied(reason)
        return super().dispatch(request, *args, **kwargs)

    def add_permission(self) -> tuple[bool, str]:
        """Whether the request's user may add here: the model's access policy, narrowed by a subclass
        to the rule its service applies (the same permission function). The page enforces it and the
        links to the page ask it (`may_follow`), so a link is shown only to those it lets in."""
        if self.model.access_policy.allows(self.request.user, Action.ADD):
            return True, ""
        return False, _("Your role may not add these.")

    def get_object(self):
        if "pk" not in self.kwargs:
            return None
        return get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])

    def get_form(self, instance, data=None, files=None):
        return self.form_class(data=data, files=files, instance=instance, user=self.request.user)

    def render(self, form, instance):
        context = {**self.base_context(), "form": form, "object": instance, **self.get_extra_context()}
        return TemplateResponse(self.request, self.template_name, context)

    def get(self, request, *args, **kwargs):
        instance = self.get_object()
        return self.render(self.get_form(instance), instance)

    def post(self, request, *args, **kwargs):
        instance = self.get_object()
        form = self.get_form(instance, request.POST, request.FILES)
        if form.is_valid():
            try:
                saved = self.save(form, instance)
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                messages.success(request, self.success_message)
                return redirect(self.get_success_url(saved))
        return self.render(form, instance)

    def save(self, form, instance):
        raise NotImplementedError

    def get_success_url(self, obj):
        return obj.get_absolute_url()


class ObjectActionView(ScopedViewMixin, View):
    """POST …/<pk>/<name>/: one named action, a service call, on an object the user may see.

    `actions` maps each name to `callable(obj, user, reason)`; an unknown name is 404. The service
    decides who may act: its refusal (ValidationError) is shown as messages and nothing changes.
    """

    http_method_names = ["post"]
    actions: dict = {}
    url_kwarg = "name"
    success_message = _("Done.")

    def post(self, request, pk, **kwargs):
        name = kwargs[self.url_kwarg]
        if name not in self.actions:
            raise Http404
        obj = get_object_or_404(self.get_queryset(), pk=pk)
        try:
            self.actions[name](obj, request.user, request.POST.get("reason", ""))
        except ValidationError as error:
            flash_errors(request, error)
            return redirect(obj)
        messages.success(request, self.get_success_message(name))
        return redirect(self.get_success_url(obj, name))

    def get_success_message(self, name: str) -> str:
        return self.success_message

    def get_success_url(self, obj, name: str):
        return obj.get_absolute_url()


def paginate_table(request, table, per_page: int):
    """Give a sorted django-tables2 table the keyset page the request's ?cursor= names: the table
    renders `table.page.object_list`, and `table.paginator` / `table.page` carry the capped count
    and the 首页/上一页/下一页/末页 links (core/table.html)."""
    page = paging.page_for_request(request, table.data.data, per_page=per_page)
    page.object_list = BoundRows(page.object_list, table=table)
    table.page = table.paginator = page
    return page


def may_follow(request, url: str) -> bool:
    """Whether the add page at `url` (an ObjectEditView) lets the request's user in: that page's own
    add_permission answers, for the link's path and query, so link and page cannot disagree."""
    path, _sep, query = url.partition("?")
    match = resolve(path)
    view = match.func.view_class(**match.func.view_initkwargs)
    link_request = copy.copy(request)
    link_request.GET = QueryDict(query)
    view.setup(link_request, *match.args, **match.kwargs)
    try:
        return view.add_permission()[0]
    except Http404:
        return False


def form_error_messages(form) -> list[str]:
    """A form's errors as sentences naming their field: 年度：请输入 2000 至 2100 之间的整数。"""
    messages_ = []
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        messages_.extend(f"{label}：{error}" if label else str(error) for error in errors)
    return messages_


def filter_error_text(filterset) -> str:
    """A filter's errors as one line a person reads."""
    return "；".join(form_error_messages(filterset.form))


def flash_errors(request, error: ValidationError) -> None:
    """A service's refusal, shown as messages on the next page."""
    for message in error.messages:
        messages.error(request, message)


def apply_validation_error(form, error: ValidationError):
    """Put a service's ValidationError on the form's fields (or the form where no field fits)."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)
