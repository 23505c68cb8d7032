"""Stable list ordering: every ordering a list, an API page or an export uses ends with the pk.

PostgreSQL returns rows that tie on the ORDER BY in any order, and may do so differently for two
queries that differ only in OFFSET: without a unique last key, page 2 repeats some of page 1's
rows and never shows others. The primary key is unique, so appending it makes every page a
disjoint slice of one total order.
"""

from __future__ import annotations

from django.db.models import F, OrderBy, QuerySet


def _is_pk_term(term, pk_names: set[str]) -> bool:
    if isinstance(term, str):
        return term.lstrip("-") in pk_names
    expression = term.expression if isinstance(term, OrderBy) else term
    return isinstance(expression, F) and expression.name in pk_names


def _descending(term) -> bool:
    if isinstance(term, str):
        return term.startswith("-")
    return bool(getattr(term, "descending", False))


def effective_ordering(queryset: QuerySet) -> list:
    """The terms the query will be ordered by: its own, or else its model's default."""
    query = queryset.query
    if query.order_by:
        return list(query.order_by)
    if query.default_ordering:
        return list(queryset.model._meta.ordering)
    return []


def stable_ordering(queryset):
    """`queryset` ordered as it was, then by pk (in the direction of the last term).

    Anything that is not a queryset (a list of dicts, a union) is returned unchanged. Ordering
    by pk is idempotent: a queryset whose ordering already ends with its pk is returned as is.
    """
    if not isinstance(queryset, QuerySet) or queryset.query.combinator:
        return queryset
    ordering = effective_ordering(queryset)
    pk_names = {"pk", queryset.model._meta.pk.name, queryset.model._meta.pk.attname}
    if ordering and _is_pk_term(ordering[-1], pk_names):
        return queryset
    tie_breaker = "-pk" if ordering and _descending(ordering[-1]) else "pk"
    return queryset.order_by(*ordering, tie_breaker)
