"""The public register (信息公开): anonymous search and a page per organization, public fields only."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.views.decorators.cache import cache_control
from django_tables2 import RequestConfig

from core.views.generic import paginate_table

from . import extensions, filtersets, selectors, tables

PER_PAGE = 25


@cache_control(public=True, max_age=60)
def organization_list(request):
    queryset = selectors.public_organizations()
    filterset = filtersets.PublicOrganizationFilterSet(request.GET or None, queryset=queryset, request=request)
    rows = filterset.qs if filterset.is_bound and filterset.is_valid() else queryset
    if filterset.is_bound and not filterset.is_valid():
        rows = queryset.none()
    table = tables.PublicOrganizationTable(rows, request=request)
    RequestConfig(request, paginate=False).configure(table)
    paginate_table(request, table, PER_PAGE)  # keyset: page 1 and the last page cost the same
    context = {"table": table, "filterset": filterset, "filter_form": filterset.form, "htmx_target": "object-list"}
    if request.htmx and request.htmx.target == "object-list":
        return TemplateResponse(request, "core/includes/object_table.html", context)
    return TemplateResponse(request, "registry/public/organization_list.html", context)


@cache_control(public=True, max_age=60)
def organization_detail(request, pk: int):
    org = get_object_or_404(selectors.public_organizations(), pk=pk)
    fields = [
        (org._meta.get_field(name).verbose_name, selectors.display_value(name, getattr(org, name)))
        for name in selectors.PUBLIC_FIELDS
        if name not in ("name", "status", "status_changed_on", "status_document")
    ]
    return TemplateResponse(
        request,
        "registry/public/organization_detail.html",
        {
            "organization": org,
            "overlays": extensions.overlays_of(org),
            "facts": extensions.public_facts(org),
            "fields": fields,
            "street": selectors.street_of(org.region),
            "community": selectors.community_of(org.region),
        },
    )
