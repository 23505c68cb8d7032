"""Keyset (seek) paging and capped counts: every list page and API list costs the same at any depth.

A page is the `per_page` rows after (or before) the row a cursor names, in the queryset's own final
ordering (core.ordering.stable_ordering ends it with the pk, so it is a total order). The query
seeks with `WHERE (sort values) > (cursor's values) ORDER BY … LIMIT per_page + 1` (the extra row
says whether there is a next page), which an index on the sort columns answers without reading
the rows before it, where OFFSET reads and discards every one of them.

The cursor (`?cursor=`) is opaque: the boundary row's sort values, which way to go and a digest of
the ordering, signed with django.core.signing so that nobody can smuggle values of unexpected
types into the query. A malformed or forged cursor is a 400 naming 游标 (core.params); a cursor
made for another sort (a stale bookmark) starts again from the first page. "Previous" runs the
reversed order and reverses the rows; the last page is the reversed order with no cursor.

NULLs: PostgreSQL sorts them last ascending and first descending unless the ordering says NULLS
FIRST/LAST; the conditions here follow the placement the emitted ORDER BY has, term by term.

The count is exact below `settings.LIST_COUNT_CAP` (10,000) and "1万+" above it: counting a
million matches exactly costs what no index saves (`SELECT count(*) FROM (SELECT 1 … LIMIT
cap + 1)` stops at the cap).
"""

from __future__ import annotations

import datetime as dt
import decimal
import hashlib
import uuid
from dataclasses import dataclass, field

from django.conf import settings
from django.core import signing
from django.db.models import BooleanField, F, Func, OrderBy, Q, QuerySet, Value
from django.db.models.expressions import Col
from django.db.models.lookups import (
    Exact,
    GreaterThan,
    GreaterThanOrEqual,
    IsNull,
    LessThan,
    LessThanOrEqual,
)
from django.db.models.sql.constants import LOUTER
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from .ordering import effective_ordering, stable_ordering
from .params import InvalidParameter

CURSOR_PARAM = "cursor"
DEFAULT_COUNT_CAP = 10_000
CURSOR_LABEL = gettext_lazy("cursor")
_SALT = "core.paging.cursor"
_ALIAS = "_keyset_%d"
# Directions a cursor can carry: after its row, before its row, or the end of the list.
NEXT, PREVIOUS, LAST = "n", "p", "l"


# ------------------------------------------------------------------------------------- counting


def count_cap() -> int:
    return int(getattr(settings, "LIST_COUNT_CAP", DEFAULT_COUNT_CAP))


def capped_count(queryset, cap: int | None = None) -> tuple[int, bool]:
    """(count, exact): the exact number of rows up to `cap`; beyond it (cap, False), having read no
    more than cap + 1 rows (`SELECT count(*) FROM (SELECT … LIMIT cap + 1)`)."""
    cap = count_cap() if cap is None else cap
    count = queryset.order_by().values("pk")[: cap + 1].count() if isinstance(queryset, QuerySet) else len(queryset)
    return (count, True) if count <= cap else (cap, False)


def count_text(count: int, exact: bool = True) -> str:
    """A count as a person reads it: "8", "1,234", or above the cap "1万+" (10,000+ in English)."""
    if exact:
        return f"{count:,}" if count >= 10_000 else str(count)
    if count >= 10_000 and count % 10_000 == 0:
        # The translation counts in 万: "%(number)s万+".
        return pgettext("a count above the cap, in tens of thousands", "%(number)s0,000+") % {"number": count // 10_000}
    return f"{count}+"


# -------------------------------------------------------------------------------------- ordering


@dataclass(frozen=True)
class Term:
    """One ORDER BY term: what is sorted, which way, where its NULLs go, and whether it can be NULL."""

    expression: object
    descending: bool
    nulls_first: bool
    nullable: bool = True

    @property
    def default_nulls(self) -> bool:
        return self.nulls_first == self.descending

    def order_by(self) -> OrderBy:
        if self.default_nulls:  # plain ASC / DESC, what a default btree index answers
            return OrderBy(self.expression, descending=self.descending)
        if self.nulls_first:
            return OrderBy(self.expression, descending=self.descending, nulls_first=True)
        return OrderBy(self.expression, descending=self.descending, nulls_last=True)

    def reversed(self) -> Term:
        return Term(self.expression, not self.descending, not self.nulls_first, self.nullable)


def _path_terms(model, name: str, descending: bool, seen: frozenset = frozenset()) -> list[tuple[str, bool]]:
    """A string ordering as Django expands it: a relation orders by its model's own ordering."""
    parts = name.split("__")
    opts, fields = model._meta, []
    for part in parts:
        if opts is None:
            return [(name, descending)]
        try:
            found = opts.pk if part == "pk" else opts.get_field(part)
        except Exception:  # an annotation or a transform: sorted as named
            return [(name, descending)]
        fields.append(found)
        opts = found.related_model._meta if found.is_relation and found.related_model else None
    last = fields[-1]
    if not (last.is_relation and last.related_model) or parts[-1] == getattr(last, "attname", None):
        return [(name, descending)]
    related = last.related_model
    ordering = related._meta.ordering
    if not ordering or (related, name) in seen:
        return [(f"{name}__pk", descending)]
    expanded = []
    for item in ordering:
        if not isinstance(item, str):
            return [(f"{name}__pk", descending)]
        sub_descending = item.startswith("-")
        expanded += _path_terms(
            related, f"{name}__{item.lstrip('-')}", descending != sub_descending, seen | {(related, name)}
        )
    return expanded


def ordering_terms(queryset: QuerySet) -> list[Term]:
    """The queryset's final ordering (its own or its model's, ended by the pk) as Terms."""
    queryset = stable_ordering(queryset)
    terms: list[Term] = []
    for item in effective_ordering(queryset):
        if isinstance(item, str):
            if item == "?":
                raise ValueError("A random ordering cannot be paged by keyset.")
            for path, descending in _path_terms(queryset.model, item.lstrip("-"), item.startswith("-")):
                terms.append(Term(F(path), descending, descending))
        elif isinstance(item, OrderBy):
            nulls_first = item.descending if not (item.nulls_first or item.nulls_last) else bool(item.nulls_first)
            terms.append(Term(item.expression, item.descending, nulls_first))
        else:
            terms.append(Term(item, False, False))
    return terms


def _resolved(queryset: QuerySet, terms: list[Term]) -> tuple[QuerySet, list[Term], list]:
    """The queryset with each term's value selected (as _keyset_N), the terms knowing whether they
    can be NULL, and each term's output field (to read a cursor's values back)."""
    annotated = queryset.annotate(**{_ALIAS % i: term.expression for i, term in enumerate(terms)})
    query, known, output_fields = annotated.query, [], []
    for i, term in enumerate(terms):
        resolved = query.annotations[_ALIAS % i]
        output_fields.append(resolved.output_field)
        nullable = True
        if isinstance(resolved, Col):
            join = query.alias_map.get(resolved.alias)
            nullable = bool(resolved.target.null or (join is not None and join.join_type == LOUTER))
        known.append(Term(term.expression, term.descending, term.nulls_first, nullable))
    return annotated, known, output_fields


def ordering_digest(terms: list[Term]) -> str:
    text = "|".join(f"{term.expression!r}:{term.descending}:{term.nulls_first}" for term in terms)
    return hashlib.blake2b(text.encode(), digest_size=6).hexdigest()


# ------------------------------------------------------------------------------------ conditions


class RowAfter(Func):
    """`(a, b, …) > (x, y, …)` (or <): a row comparison PostgreSQL answers from a btree index on
    (a, b, …) — used when every term goes the same way and none can be NULL."""

    output_field = BooleanField()
    conditional = True

    def __init__(self, left, right, operator: str):
        super().__init__(*left, *right)
        self.width, self.operator = len(left), operator

    def as_sql(self, compiler, connection, **extra):
        parts, params = [], []
        for expression in self.get_source_expressions():
            sql, sql_params = compiler.compile(expression)
            parts.append(sql)
            params.extend(sql_params)
        left, right = ", ".join(parts[: self.width]), ", ".join(parts[self.width :])
        return f"({left}) {self.operator} ({right})", params


def _strictly_after(term: Term, value):
    if value is None:
        # After NULL come the non-NULL values when NULLs are first; nothing when they are last.
        return Q(IsNull(term.expression, False)) if term.nulls_first else None
    lookup = LessThan if term.descending else GreaterThan
    condition = Q(lookup(term.expression, value))
    if term.nullable and not term.nulls_first:
        condition |= Q(IsNull(term.expression, True))
    return condition


def _equal(term: Term, value):
    return Q(IsNull(term.expression, True)) if value is None else Q(Exact(term.expression, value))


def _seek(term: Term, value):
    """A condition implied by the keyset condition that an index on the first term can start at."""
    if value is None:
        return None if term.nulls_first else Q(IsNull(term.expression, True))
    if term.nullable and not term.nulls_first:
        return None
    return Q((LessThanOrEqual if term.descending else GreaterThanOrEqual)(term.expression, value))


def after(terms: list[Term], values: list, output_fields: list) -> Q:
    """Rows strictly after the row whose sort values are `values`, in the order `terms` give."""
    typed = [None if v is None else Value(v, output_field=f) for v, f in zip(values, output_fields, strict=True)]
    if all(t.descending == terms[0].descending and not t.nullable for t in terms) and None not in values:
        operator = "<" if terms[0].descending else ">"
        return Q(RowAfter([t.expression for t in terms], typed, operator))
    disjuncts, equal_so_far = [], []
    for term, value in zip(terms, typed, strict=True):
        strict = _strictly_after(term, value)
        if strict is not None:
            disjuncts.append(Q(*equal_so_far) & strict if equal_so_far else strict)
        equal_so_far.append(_equal(term, value))
    if not disjuncts:
        return Q(pk__in=[])
    condition = disjuncts[0]
    for disjunct in disjuncts[1:]:
        condition |= disjunct
    seek = _seek(terms[0], typed[0])
    return condition & seek if seek is not None else condition


# --------------------------------------------------------------------------------------- cursors


def _plain(value):
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, dt.timedelta):
        return value.total_seconds()
    return value


def encode_cursor(direction: str, digest: str, values: list | None = None) -> str:
    payload = {"d": direction, "o": digest}
    if values is not None:
        payload["v"] = [_plain(v) for v in values]
    return signing.Signer(salt=_SALT).sign_object(payload, compress=True)


def _bad_cursor() -> InvalidParameter:
    return InvalidParameter(
        CURSOR_PARAM, _("Cursor (page position): the link is damaged or out of date; go back to the first page.")
    )


@dataclass
class Cursor:
    direction: str
    digest: str
    values: list | None


def decode_cursor(token: str) -> Cursor:
    """The cursor in `token`, or InvalidParameter (400) when it is not one this site signed."""
    try:
        payload = signing.Signer(salt=_SALT).unsign_object(token)
    except (signing.BadSignature, ValueError, TypeError, UnicodeError) as error:
        raise _bad_cursor() from error
    if not isinstance(payload, dict) or payload.get("d") not in (NEXT, PREVIOUS, LAST):
        raise _bad_cursor()
    values = payload.get("v")
    if payload["d"] != LAST and not isinstance(values, list):
        raise _bad_cursor()
    return Cursor(payload["d"], str(payload.get("o", "")), values)


def _typed_values(raw: list, output_fields: list) -> list:
    if len(raw) != len(output_fields):
        raise _bad_cursor()
    values = []
    for value, output_field in zip(raw, output_fields, strict=True):
        if value is not None and not isinstance(value, str | int | float | bool):
            raise _bad_cursor()
        try:
            values.append(None if value is None else output_field.to_python(value))
        except Exception as error:  # ValidationError, or a type the field cannot read
            raise _bad_cursor() from error
    return values


# ------------------------------------------------------------------------------------------ pages


@dataclass
class KeysetPage:
    """One page: its rows, whether there are pages either side, their cursors and the capped count.

    `count`/`count_is_exact` come from capped_count; `first_url` … `last_url` (set by
    page_for_request) keep the other query parameters and are None where there is no such page.
    """

    object_list: list
    has_next: bool
    has_previous: bool
    next_cursor: str | None = None
    previous_cursor: str | None = None
    last_cursor: str | None = None
    count: int = 0
    count_is_exact: bool = True
    urls: dict = field(default_factory=dict)

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self):
        return len(self.object_list)

    def has_other_pages(self) -> bool:
        return self.has_next or self.has_previous

    @property
    def count_text(self) -> str:
        return count_text(self.count, self.count_is_exact)

    @property
    def first_url(self):
        return self.urls.get("first")

    @property
    def previous_url(self):
        return self.urls.get("prev")

    @property
    def next_url(self):
        return self.urls.get("next")

    @property
    def last_url(self):
        return self.urls.get("last")


def _value_of(row, index: int):
    alias = _ALIAS % index
    return row[alias] if isinstance(row, dict) else getattr(row, alias)


def keyset_page(queryset: QuerySet, *, per_page: int, cursor: str | None = None, count: bool = True) -> KeysetPage:
    """The page of `queryset` (in its final ordering) that `cursor` names; the first without one."""
    terms = ordering_terms(queryset)
    digest = ordering_digest(terms)
    position = decode_cursor(cursor) if cursor else None
    if position is not None and position.digest != digest:
        position = None  # made for another sort: start again
    backwards = position is not None and position.direction in (PREVIOUS, LAST)
    walk = [term.reversed() for term in terms] if backwards else terms
    annotated, walk, output_fields = _resolved(queryset, walk)
    if position is not None and position.direction != LAST:
        values = _typed_values(position.values, output_fields)
        annotated = annotated.filter(after(walk, values, output_fields))
    rows = list(annotated.order_by(*(term.order_by() for term in walk))[: per_page + 1])
    more, rows = len(rows) > per_page, rows[:per_page]
    if backwards:
        rows.reverse()
    direction = position.direction if position is not None else None
    has_previous = more if backwards else direction == NEXT
    has_next = direction == PREVIOUS if backwards else more
    page = KeysetPage(rows, has_next=has_next, has_previous=has_previous)
    if rows:
        width = len(terms)
        if has_next:
            page.next_cursor = encode_cursor(NEXT, digest, [_value_of(rows[-1], i) for i in range(width)])
        if has_previous:
            page.previous_cursor = encode_cursor(PREVIOUS, digest, [_value_of(rows[0], i) for i in range(width)])
    if has_next:
        page.last_cursor = encode_cursor(LAST, digest)
    if count:
        page.count, page.count_is_exact = capped_count(queryset)
    return page


def page_urls(request, page: KeysetPage, param: str = CURSOR_PARAM) -> dict:
    """首页/上一页/下一页/末页 as URLs keeping the request's other query parameters."""

    def url(token):
        query = request.GET.copy()
        query.pop(param, None)
        query.pop("page", None)
        if token:
            query[param] = token
        encoded = query.urlencode()
        return f"{request.path}?{encoded}" if encoded else request.path

    urls = {}
    if page.has_previous:
        urls["first"] = url(None)
        urls["prev"] = url(page.previous_cursor) if page.previous_cursor else url(None)
    if page.has_next:
        urls["next"] = url(page.next_cursor)
        urls["last"] = url(page.last_cursor)
    return urls


def page_for_request(request, queryset: QuerySet, *, per_page: int, param: str = CURSOR_PARAM) -> KeysetPage:
    """The page the request's `?cursor=` names, with its links."""
    cursor = request.GET.get(param, "").strip() or None
    page = keyset_page(queryset, per_page=per_page, cursor=cursor)
    page.urls = page_urls(request, page, param)
    return page
