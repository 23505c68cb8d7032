"""Every sort a list offers has its index: (the sort's columns…, id), in either direction.

Walks every list page (each URL whose view is a core ObjectListView, and the public register),
each of its table's orderable columns and its default ordering, and every API list's
`ordering_fields`. A sort is what the query will say: the column's accessors, then the primary key
(core.ordering.stable_ordering). It is served when the model declares a plain btree index (or a
unique constraint) whose columns are exactly those, all in the sort's directions or all reversed
(PostgreSQL scans an index backwards). A sort through a relation (organization__name) or over a
value the query computes cannot be indexed on the table: such columns are left out of the table's
`sortable` (core.tables.BaseTable) or the viewset's ordering_fields.

The failure message names each table, column and the index it needs.
"""

from __future__ import annotations

import pytest
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.urls import URLPattern, URLResolver, get_resolver
from django_tables2.utils import OrderBy

from core.ordering import effective_ordering
from core.views.generic import ObjectListView
from registry import selectors as registry_selectors
from registry.tables import PublicOrganizationTable

# Default orderings over a value only the query computes (no index can serve them), with why that is
# acceptable. Keep this short.
COMPUTED_DEFAULTS = {
    # Overdue organizations, oldest last contact first: the list is bounded by the filter
    # (organizations overdue for a contact in the user's district), never the whole register.
    ("OverdueTable", "last_contact_on"),
    # Held survey responses first (an annotation), within one round's responses.
    ("SurveyResponseTable", "status_rank"),
}


# Lists whose filterset always narrows to a condition (unless asked for the exception, e.g. the
# ledger's "include replaced versions"): a partial index on that condition serves their sorts.
# {model label: the condition's Q children}
ALWAYS_FILTERED = {
    "projects.LedgerEntry": [("is_current", True)],
}


def _walk(patterns, namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _walk(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern):
            yield f"{namespace}{pattern.name}", pattern.callback


def list_views() -> dict:
    """{table class: (url name, view class)} for every ObjectListView the site routes to."""
    found = {}
    for name, callback in _walk(get_resolver().url_patterns):
        view = getattr(callback, "view_class", None)
        if isinstance(view, type) and issubclass(view, ObjectListView) and view.table is not None:
            found.setdefault(view.table, (name, view))
    return found


def api_viewsets() -> dict:
    """{viewset class: url name} for every API viewset that offers ?ordering=."""
    found = {}
    for name, callback in _walk(get_resolver().url_patterns):
        viewset = getattr(callback, "cls", None)
        if viewset is not None and getattr(viewset, "ordering_fields", None) and name.endswith("-list"):
            found.setdefault(viewset, name)
    return found


def _column_of(model, path: str):
    """(db column, None) for a local concrete field (or its attname), else (None, why)."""
    if path == "pk":
        return model._meta.pk.column, None
    if "__" in path:
        return None, "through a relation"
    try:
        field = model._meta.get_field(path)
    except FieldDoesNotExist:
        return None, "computed by the query"
    if not getattr(field, "concrete", False):
        return None, "through a relation"
    if field.is_relation and path != field.attname:
        # Ordering by a foreign key orders by the related model's own ordering: a join.
        return None, "through a relation"
    return field.column, None


def _index_shapes(model):
    """[(columns, directions, unique)] of the model's plain btree indexes and unique constraints."""
    meta = model._meta
    shapes = [((meta.pk.column,), (False,), True)]
    always = ALWAYS_FILTERED.get(meta.label)
    for index in meta.indexes:
        if type(index) is not models.Index or index.opclasses or not index.fields:
            continue
        if index.condition is not None and (always is None or list(index.condition.children) != always):
            continue
        columns, directions = [], []
        for name in index.fields:
            columns.append(meta.get_field(name.lstrip("-")).column)
            directions.append(name.startswith("-"))
        shapes.append((tuple(columns), tuple(directions), False))
    for constraint in meta.constraints:
        if isinstance(constraint, models.UniqueConstraint) and constraint.fields and constraint.condition is None:
            columns = tuple(meta.get_field(name).column for name in constraint.fields)
            shapes.append((columns, (False,) * len(columns), True))
    for field in meta.concrete_fields:
        if field.unique and not field.primary_key:
            shapes.append(((field.column,), (False,), True))
    return shapes


def _served(model, sort: list[tuple[str, bool]]) -> bool:
    columns = tuple(column for column, _ in sort)
    directions = tuple(descending for _, descending in sort)
    for index_columns, index_directions, unique in _index_shapes(model):
        if index_columns == columns and (
            index_directions == directions or index_directions == tuple(not d for d in directions)
        ):
            return True
        # A unique key is already a total order: (code) serves ORDER BY code, id.
        prefix = directions[:-1]
        if (
            unique
            and columns[:-1] == index_columns
            and (prefix == index_directions or prefix == tuple(not d for d in index_directions))
        ):
            return True
    return False


def _sort(model, terms: list[str]) -> tuple[list[tuple[str, bool]] | None, str]:
    """The sort `terms` make once the pk ends them, as (db column, descending) pairs, or None and why."""
    sort = []
    for term in terms:
        if not isinstance(term, str):
            return None, "an expression"
        column, why = _column_of(model, term.lstrip("-"))
        if column is None:
            return None, f"{term} is {why}"
        sort.append((column, term.startswith("-")))
    pk = model._meta.pk.column
    if not sort or sort[-1][0] != pk:
        sort.append((pk, sort[-1][1] if sort else False))
    return sort, ""


def _index_hint(sort) -> str:
    return "(" + ", ".join(("-" if descending else "") + column for column, descending in sort) + ")"


def _check(problems: list, label: str, model, terms: list[str], what: str):
    sort, why = _sort(model, terms)
    if sort is None:
        problems.append(f"{label}: {what} sorts {why}; no index on {model._meta.db_table} can serve it")
    elif not _served(model, sort):
        problems.append(f"{label}: {what} needs an index on {model._meta.db_table} {_index_hint(sort)}")


def _table_problems(table_class, queryset, url_name: str) -> list[str]:
    problems = []
    table = table_class(queryset.none())
    model = queryset.model
    label = f"{url_name} {table_class.__name__}"
    for bound in table.columns:
        if not bound.orderable:
            continue
        if hasattr(table, f"order_{bound.name}"):
            problems.append(f"{label}: column {bound.name} sorts by a table method; no index can be checked")
            continue
        terms = [str(accessor).replace(".", "__") for accessor in bound.order_by]
        _check(problems, label, model, terms, f"column {bound.name}")
    # The first page before any ?sort=: the table's default, or the queryset's / model's ordering.
    default = table_class._meta.order_by
    if default:
        terms = []
        for alias in default:
            order = OrderBy(alias)
            column = table.columns[order.bare]
            terms += [
                ("-" if order.is_descending else "") + str(a).replace(".", "__").lstrip("-") for a in column.order_by
            ]
    else:
        terms = [t for t in effective_ordering(queryset) if isinstance(t, str)]
    if not any((table_class.__name__, t.lstrip("-")) in COMPUTED_DEFAULTS for t in terms):
        _check(problems, label, model, terms, f"default ordering {terms}")
    return problems


def test_every_list_sort_has_its_index():
    problems = []
    for table_class, (url_name, view) in sorted(list_views().items(), key=lambda item: item[1][0]):
        queryset = view.queryset if view.queryset is not None else table_class._meta.model.objects.all()
        problems += _table_problems(table_class, queryset, url_name)
    problems += _table_problems(PublicOrganizationTable, registry_selectors.public_organizations(), "registry:public")
    assert not problems, "\n".join(problems)


def test_every_api_ordering_has_its_index():
    problems = []
    for viewset, url_name in sorted(api_viewsets().items(), key=lambda item: item[1]):
        model = viewset.queryset.model
        for field in viewset.ordering_fields:
            _check(problems, f"{url_name} ?ordering=", model, [field], field)
        default = getattr(viewset, "ordering", None) or effective_ordering(viewset.queryset)
        _check(
            problems, f"{url_name}", model, [t for t in default if isinstance(t, str)], f"default ordering {default}"
        )
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("terms", [["name"], ["-name"], ["name", "pk"]])
def test_the_organization_name_sort_is_served(terms):
    from registry.models import Organization

    sort, _ = _sort(Organization, terms)
    assert _served(Organization, sort)


def test_a_sort_without_its_index_is_named():
    from registry.models import Organization

    problems = []
    _check(problems, "x", Organization, ["legal_representative"], "column legal_representative")
    _check(problems, "x", Organization, ["region__path"], "column street")
    assert problems == [
        "x: column legal_representative needs an index on registry_organization (legal_representative, id)",
        "x: column street sorts region__path is through a relation; no index on registry_organization can serve it",
    ]
