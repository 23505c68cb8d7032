"""Search, one definition: how the list pages, the API and the public register match what is typed.

- **Names and titles** (organization name, project title, party organization name …) match any
  fragment of two characters or more through a GIN index over the column's character bigrams:
  ``bigrams(col) @> bigrams(value) AND col ILIKE '%value%'`` (for exactly two characters the
  containment alone, which is the same test). `bigrams` is an IMMUTABLE SQL
  function created by core's migration 0007 (PostgreSQL as Debian ships it has no pg_bigm, and
  pg_trgm cannot index fewer than three characters, which is most Chinese search). The bigram
  containment finds the candidates in the index; the ILIKE (``icontains``, which escapes % and _)
  keeps only rows holding the fragment in one piece. A one-character query has no bigram: it falls
  back to the plain ``icontains`` match (a scan, bounded by the other filters of the list).
  Every searched name column has ``bigram_index(...)`` in its model's Meta.indexes.
- **Codes** (credit code normalised by registry.uscc.normalize, filing number, project code,
  contract number, application number, decision number) match by PREFIX, served by btree indexes
  with varchar_pattern_ops (Django adds them to unique and db_index CharFields; the others are
  declared in Meta.indexes), so they work whatever the database's collation.
- **Free text that is not a name** keeps the plain ``icontains`` match through ``text=``: remarks,
  findings, summaries, places, payees, purposes, deliverables, objection contents, topics,
  secretaries and contacts, audit messages and object descriptions. These lists are always narrowed
  by scope (a district, a project) first; they are not indexed for search.

The helpers return Q objects so querysets stay composable; `search()` applies them.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.lookups import DataContains
from django.db.models import F, Func, Q, QuerySet, TextField, Value

# The SQL function's name; created (and dropped on reverse) by core/migrations/0007_scale_indexes.py.
FUNCTION = "bigrams"

# Distinct lower-cased character bigrams of a text ({} for fewer than two characters). Written in
# SQL, not plpgsql, with schema-qualified built-ins so it behaves the same whatever the search_path
# of the session that builds or uses an index (pg_dump/restore included).
CREATE_FUNCTION_SQL = """
CREATE OR REPLACE FUNCTION bigrams(text) RETURNS text[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$
    SELECT coalesce(pg_catalog.array_agg(DISTINCT pg_catalog.substr(pg_catalog.lower($1), i, 2)), '{}')
    FROM pg_catalog.generate_series(1, pg_catalog.char_length($1) - 1) AS i
$$;
"""
DROP_FUNCTION_SQL = "DROP FUNCTION IF EXISTS bigrams(text);"

MIN_INDEXED_LENGTH = 2


class Bigrams(Func):
    """``bigrams(expression)``: the text's distinct lower-cased character bigrams, as text[]."""

    function = FUNCTION
    arity = 1
    output_field = ArrayField(TextField())

    def __init__(self, expression, **extra):
        if isinstance(expression, str):
            expression = F(expression)
        super().__init__(expression, **extra)


def bigram_index(field: str, *, name: str) -> GinIndex:
    """The GIN index `name_match` needs on a model's own `field` (for Meta.indexes)."""
    return GinIndex(Bigrams(field), name=name)


def _clean(value) -> str:
    return str(value or "").strip()


def name_match(path: str, value: str) -> Q:
    """Rows whose name column at `path` (``name``, ``organization__name`` …) contains `value`
    (case-insensitive). Two characters or more use the bigram index; one character a plain match."""
    value = _clean(value)
    if not value:
        return Q()
    fragment = Q(**{f"{path}__icontains": value})
    if len(value) < MIN_INDEXED_LENGTH:
        return fragment
    bigrams = Q(DataContains(Bigrams(path), Bigrams(Value(value, output_field=TextField()))))
    if len(value) == MIN_INDEXED_LENGTH:
        # Two characters are one bigram: holding it is holding the fragment. Without the LIKE the
        # planner estimates a common word (养老: 11% of names) as common, and walks the (name, id)
        # index to fill a page instead of sorting every match.
        return bigrams
    return bigrams & fragment


def code_prefix(path: str, value: str) -> Q:
    """Rows whose code at `path` starts with `value` (as typed; normalise it first where the code
    has a canonical form, e.g. registry.uscc.normalize)."""
    value = _clean(value)
    return Q(**{f"{path}__startswith": value}) if value else Q()


def text_match(path: str, value: str) -> Q:
    """Free text that is not a name (see the module docstring): a plain case-insensitive match."""
    value = _clean(value)
    return Q(**{f"{path}__icontains": value}) if value else Q()


def condition(value: str, *, names: Iterable[str] = (), codes: Iterable[str] = (), text: Iterable[str] = ()) -> Q:
    """Q matching `value` in any of the name columns, at the start of any of the code columns, or
    anywhere in the free-text columns. Blank input: an empty Q (every row)."""
    value = _clean(value)
    if not value:
        return Q()
    result = Q()
    for path in names:
        result |= name_match(path, value)
    for path in codes:
        result |= code_prefix(path, value)
    for path in text:
        result |= text_match(path, value)
    return result


def search(
    queryset: QuerySet,
    value: str,
    *,
    names: Iterable[str] = (),
    codes: Iterable[str] = (),
    text: Iterable[str] = (),
) -> QuerySet:
    """`queryset` narrowed to rows matching `value` (see `condition`); blank input keeps every row."""
    value = _clean(value)
    if not value:
        return queryset
    return queryset.filter(condition(value, names=names, codes=codes, text=text))
