"""Pagination for every API list: keyset pages (core.paging) by `?cursor=`, in the list's own order.

Like DRF's CursorPagination, but the order is whatever the list was sorted by — the API's
`?ordering=` (OrderingFilter) or the default, ended by the pk (core.api.views) — and the answer
says how many rows match, exactly below settings.LIST_COUNT_CAP and "at least the cap" above it:

    {"count": n, "count_is_exact": bool, "next": url|null, "previous": url|null, "results": [...]}
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy
from rest_framework.pagination import BasePagination
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from core import paging, params

PAGE_SIZE_LABEL = gettext_lazy("page size")


class KeysetPagination(BasePagination):
    cursor_query_param = paging.CURSOR_PARAM
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500

    def get_page_size(self, request) -> int:
        """?page_size= up to max_page_size (a larger one is cut to it, as DRF does); not a number: 400."""
        size = params.query_int(
            request,
            self.page_size_query_param,
            minimum=1,
            maximum=params.ID_MAX,
            label=PAGE_SIZE_LABEL,
            default=self.page_size,
        )
        return min(size, self.max_page_size)

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        cursor = request.query_params.get(self.cursor_query_param, "").strip() or None
        self.page = paging.keyset_page(queryset, per_page=self.get_page_size(request), cursor=cursor)
        return list(self.page.object_list)

    def _link(self, token):
        url = self.request.build_absolute_uri()
        if token is None:
            return remove_query_param(url, self.cursor_query_param)
        return replace_query_param(url, self.cursor_query_param, token)

    def get_next_link(self):
        return self._link(self.page.next_cursor) if self.page.has_next and self.page.next_cursor else None

    def get_previous_link(self):
        if not self.page.has_previous:
            return None
        return self._link(self.page.previous_cursor)

    def get_paginated_response(self, data):
        return Response(
            {
                "count": self.page.count,
                "count_is_exact": self.page.count_is_exact,
                "next": self.get_next_link(),
                "previous": self.get_previous_link(),
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema):
        return {
            "type": "object",
            "required": ["count", "count_is_exact", "results"],
            "properties": {
                "count": {"type": "integer", "example": 123},
                "count_is_exact": {"type": "boolean", "description": "false: at least `count` rows match"},
                "next": {"type": "string", "nullable": True, "format": "uri"},
                "previous": {"type": "string", "nullable": True, "format": "uri"},
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": self.cursor_query_param,
                "required": False,
                "in": "query",
                "description": "The page position from a `next` or `previous` link.",
                "schema": {"type": "string"},
            },
            {
                "name": self.page_size_query_param,
                "required": False,
                "in": "query",
                "description": f"Rows per page (1–{self.max_page_size}).",
                "schema": {"type": "integer"},
            },
        ]


# The name settings.REST_FRAMEWORK has always used.
StandardPagination = KeysetPagination
