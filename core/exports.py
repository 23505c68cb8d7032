"""List exports: a table's columns read straight from the query, and the note that says what a
file holds (title, filter and sort in words, who exported it and when).

django-tables2 renders every cell through the column's `value` (a date as ISO text, a date-time
as UTC text, a choice through a template-like lookup): correct for a page of 25 rows, far too slow
and lossy for 20,000. Here each column becomes, once per export, a plain function of a row:

1. a `FromQuery` the table (`export_from_query`) or the column class (`from_query`) declares:
   the query paths it reads and a function of their values;
2. a table's `value_<name>` / `render_<name>` method, called with the record;
3. a plain column over a model field: the field's value, a choice as its label, a date column as
   a local date; over a relation, property or method: the attribute, a related object as text;
4. anything else (template columns): django-tables2's own value, the slow way.

When every column is (1) or a plain field, rows come from `values_list` (no model instances);
otherwise from model instances, with the relations plain columns cross joined in the query. The
table's columns still define the headers and their order.
"""

from __future__ import annotations

import datetime as dt
import inspect
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from operator import itemgetter
from typing import Any

import django_tables2 as tables
from django import forms
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.encoding import force_str
from django.utils.functional import Promise
from django.utils.html import strip_tags
from django.utils.safestring import SafeData
from django.utils.translation import gettext, pgettext
from django_tables2.rows import BoundRow
from django_tables2.utils import Accessor

from .xlsx import Note, Sheet

CHUNK_SIZE = 2000

# Columns whose export value is their field's own value (django-tables2 would only format it).
_PLAIN_COLUMNS = (
    tables.Column,
    tables.DateColumn,
    tables.DateTimeColumn,
    tables.BooleanColumn,
    tables.EmailColumn,
    tables.URLColumn,
)
_CELL_ARGUMENTS = ("value", "record", "column", "bound_column", "table")


@dataclass(frozen=True)
class FromQuery:
    """How a computed column exports: the query paths it reads (relative to a row, as in
    `values_list`) and a function called with their values in that order. It lets the export read
    rows with `values_list` instead of building a model instance per row."""

    paths: tuple[str, ...]
    function: Callable[..., Any]

    def __init__(self, *paths: str, function: Callable[..., Any]):
        object.__setattr__(self, "paths", tuple(paths))
        object.__setattr__(self, "function", function)


@dataclass
class ExportColumn:
    """One column of an export: its header, number format and how its value is read. Either
    `paths` and `function` (from a values_list row or an instance's attributes) or `reader`
    (record → value), with the accessor paths it reads through (`related`, for select_related)."""

    header: str
    number_format: str | None = None
    paths: tuple[str, ...] | None = None
    function: Callable[..., Any] | None = None
    reader: Callable[[Any], Any] | None = None
    related: tuple[str, ...] = ()


def _text(value) -> str:
    text = force_str(value)
    return strip_tags(text) if isinstance(value, SafeData) or isinstance(text, SafeData) else text


def _plain(value):
    """A value read from an instance, as the writer wants it: related objects and lazy text as text."""
    if isinstance(value, models.Model | Promise):
        return force_str(value)
    if isinstance(value, SafeData):
        return strip_tags(value)
    return value


def _local_date(value):
    return timezone.localdate(value) if isinstance(value, dt.datetime) and timezone.is_aware(value) else value


def _model_field(model, bits: Sequence[str]):
    """The model field at the end of `bits` (following relations), or None when a bit is not a
    concrete field (a property, a method, an annotation, a reverse relation)."""
    field = None
    for index, bit in enumerate(bits):
        if model is None:
            return None
        try:
            field = model._meta.get_field(bit)
        except FieldDoesNotExist:
            return None
        if not getattr(field, "concrete", False):
            return None
        if field.is_relation:
            if index < len(bits) - 1 and (field.many_to_many or field.one_to_many):
                return None
            model = field.related_model
    return field


def _resolver(bits: Sequence[str]) -> Callable[[Any], Any]:
    """Follow `bits` on a record (attributes, or keys of a dict), calling methods as a template would."""

    def resolve(record):
        value = record
        for bit in bits:
            if value is None:
                return None
            value = value.get(bit) if isinstance(value, dict) else getattr(value, bit, None)
            if callable(value) and not getattr(value, "do_not_call_in_templates", False):
                if getattr(value, "alters_data", False):
                    return None
                value = value()
        return value

    return resolve


def _call_with_record(table, bound, function) -> Callable[[Any], Any] | None:
    """`function` (a table's value_/render_ method or a column's value) as record → value, passing
    the arguments it names; None when it needs more than a record gives (the bound row)."""
    try:
        parameters = inspect.signature(function).parameters
    except (TypeError, ValueError):
        return None
    takes_any = any(p.kind is inspect.Parameter.VAR_KEYWORD for p in parameters.values())
    names = [n for n in _CELL_ARGUMENTS if takes_any or n in parameters]
    required = [n for n, p in parameters.items() if p.default is inspect.Parameter.empty and p.kind != p.VAR_KEYWORD]
    if any(n not in _CELL_ARGUMENTS for n in required):
        return None
    resolve = _resolver(Accessor(bound.accessor).bits)
    empty_values = bound.column.empty_values
    fixed = {"column": bound.column, "bound_column": bound, "table": table}

    def read(record):
        value = resolve(record)
        if value in empty_values:
            return None
        arguments = {"value": value, "record": record, **fixed}
        return _plain(function(**{n: arguments[n] for n in names}))

    return read


def _bound_row_reader(table, name) -> Callable[[Any], Any]:
    def read(record):
        return _plain(BoundRow(record, table=table).get_cell_value(name))

    return read


def _plain_column(bound, model) -> ExportColumn:
    column = bound.column
    header = _text(bound.header)
    number_format = getattr(column, "export_format", None)
    bits = Accessor(bound.accessor).bits
    field = _model_field(model, bits) if model is not None else None
    to_date = isinstance(column, tables.DateColumn)
    if field is not None and not field.is_relation:
        function = None
        if field.choices:
            labels = {key: force_str(label) for key, label in field.flatchoices}
            function = lambda value: labels.get(value, value)  # noqa: E731
        elif to_date and isinstance(field, models.DateTimeField):
            function = _local_date
        return ExportColumn(header, number_format, paths=("__".join(bits),), function=function)
    resolve = _resolver(bits)
    related = ("__".join(bits),)
    if to_date:
        return ExportColumn(header, number_format, reader=lambda r: _local_date(_plain(resolve(r))), related=related)
    return ExportColumn(header, number_format, reader=lambda record: _plain(resolve(record)), related=related)


def plan(table) -> list[ExportColumn]:
    """How each of the table's export columns is read, decided once per export."""
    model = getattr(table._meta, "model", None)
    data = getattr(table.data, "data", None)
    if isinstance(data, QuerySet):
        model = data.model
    declared = getattr(table, "export_from_query", {}) or {}
    columns = []
    for bound in table.export_columns():
        name, column = bound.name, bound.column
        header = _text(bound.header)
        number_format = getattr(column, "export_format", None)
        from_query = declared.get(name)
        if from_query is None and hasattr(column, "from_query"):
            from_query = column.from_query(bound)
        if from_query is not None:
            columns.append(ExportColumn(header, number_format, paths=from_query.paths, function=from_query.function))
            continue
        method = getattr(table, f"value_{name}", None) or getattr(table, f"render_{name}", None)
        if method is not None:
            reader = _call_with_record(table, bound, method)
            columns.append(ExportColumn(header, number_format, reader=reader or _bound_row_reader(table, name)))
            continue
        if type(column) in _PLAIN_COLUMNS or getattr(column, "export_plain", False):
            columns.append(_plain_column(bound, model))
            continue
        columns.append(ExportColumn(header, number_format, reader=_bound_row_reader(table, name)))
    return columns


def _row_function(column: ExportColumn, index: dict[str, int]) -> Callable[[Sequence], Any]:
    """column → a function of a values_list row."""
    positions = [index[path] for path in column.paths]
    function = column.function
    if len(positions) == 1:
        get = itemgetter(positions[0])
        return get if function is None else (lambda row: function(get(row)))
    get = itemgetter(*positions)
    return lambda row: function(*get(row))


def _record_function(column: ExportColumn) -> Callable[[Any], Any]:
    """column → a function of a model instance (or any record)."""
    if column.reader is not None:
        return column.reader
    resolvers = [_resolver(Accessor(path).bits) for path in column.paths]
    function = column.function
    if len(resolvers) == 1:
        resolve = resolvers[0]
        return (lambda record: _plain(resolve(record))) if function is None else (lambda r: function(resolve(r)))
    return lambda record: function(*(resolve(record) for resolve in resolvers))


def _relations(model, columns: Sequence[ExportColumn]) -> list[str]:
    """Forward relations that plain columns read through, for select_related."""
    found = []
    for column in columns:
        for path in (*(column.paths or ()), *column.related):
            bits, prefix, current = path.split("__"), [], model
            for bit in bits:
                try:
                    field = current._meta.get_field(bit)
                except FieldDoesNotExist:
                    break
                if not (field.is_relation and (field.many_to_one or field.one_to_one) and field.concrete):
                    break
                prefix.append(bit)
                current = field.related_model
            if prefix and "__".join(prefix) not in found:
                found.append("__".join(prefix))
    return found


def rows(table, columns: Sequence[ExportColumn] | None = None, chunk_size: int = CHUNK_SIZE) -> Iterator[list]:
    """The table's rows as export values, streamed from its (already sorted) data."""
    columns = plan(table) if columns is None else columns
    data = table.data.data
    if isinstance(data, QuerySet) and all(c.paths is not None for c in columns):
        paths = list(dict.fromkeys(path for c in columns for path in c.paths))
        # The pk first: rows stay distinct under a DISTINCT queryset, whatever columns repeat.
        index = {path: position for position, path in enumerate(paths, start=1)}
        functions = [_row_function(c, index) for c in columns]
        for row in data.values_list("pk", *paths).iterator(chunk_size=chunk_size):
            yield [function(row) for function in functions]
        return
    functions = [_record_function(c) for c in columns]
    if isinstance(data, QuerySet):
        deferred, _defer = data.query.deferred_loading
        related = _relations(data.model, columns)
        if related and not deferred and data.query.select_related is not True:
            data = data.select_related(*related)
        records = data.iterator(chunk_size=chunk_size)
    else:
        records = iter(data)
    for record in records:
        yield [function(record) for function in functions]


def row_count(table) -> int:
    data = table.data.data
    return data.count() if isinstance(data, QuerySet) else len(data)


# ---- the note: what the file holds, in words ----


def _is_empty(value) -> bool:
    if value is None or value == "" or value == [] or value == ():
        return True
    if isinstance(value, slice):
        return value.start in (None, "") and value.stop in (None, "")
    if isinstance(value, QuerySet):
        return not value.exists()
    return False


def _choice_label(field, key) -> str:
    for option, label in getattr(field, "choices", ()):
        if isinstance(label, list | tuple):  # an optgroup
            for sub_option, sub_label in label:
                if str(sub_option) == str(key):
                    return force_str(sub_label)
        elif str(option) == str(key):
            return force_str(label)
    return force_str(key)


def _words(field, value) -> str:
    if isinstance(value, models.Model):
        return force_str(value)
    if isinstance(value, QuerySet | list | tuple | set):
        return "、".join(_words(field, item) for item in value)
    if isinstance(value, slice):
        start, stop = (_words(field, v) if v not in (None, "") else "" for v in (value.start, value.stop))
        if start and stop:
            return f"{start} – {stop}"
        return f"≥ {start}" if start else f"≤ {stop}"
    if isinstance(value, bool) and not isinstance(field, forms.ChoiceField):
        return gettext("Yes") if value else gettext("No")
    if isinstance(field, forms.ChoiceField) and not isinstance(field, forms.ModelChoiceField):
        return _choice_label(field, value)
    if isinstance(value, dt.datetime):
        return f"{timezone.localtime(value) if timezone.is_aware(value) else value:%Y-%m-%d %H:%M}"
    if isinstance(value, dt.date):
        return value.isoformat()
    return force_str(value)


def filter_words(filterset) -> list[tuple[str, str]]:
    """The filters applied, as (field label, chosen values' labels), in the form's order."""
    if filterset is None or not filterset.is_bound or not filterset.is_valid():
        return []
    form = filterset.form
    lines = []
    for name, field in form.fields.items():
        value = form.cleaned_data.get(name)
        if _is_empty(value):
            continue
        label = force_str(field.label) if field.label else name
        lines.append((label.rstrip(":："), _words(field, value)))
    return lines


def sort_words(table) -> str:
    """The table's order, e.g. "成立日期 降序，名称 升序"."""
    parts = []
    for order in table.order_by or ():
        name = order.bare
        header = _text(table.columns[name].header) if name in table.columns else name
        direction = pgettext("sort", "descending") if order.is_descending else pgettext("sort", "ascending")
        parts.append(f"{header} {direction}")
    return "，".join(parts) or gettext("Default order")


def person(user) -> str:
    """A user as the note names them: full name and log-in name."""
    username = user.get_username()
    full_name = getattr(user, "full_name", "") or user.get_full_name()
    return f"{full_name}（{username}）" if full_name and full_name != username else username


def note(*, title: str, filters: Sequence[tuple[str, str]], user, sort: str | None = None, created=None) -> Note:
    """What an export holds: title, filters (label, chosen values) and sort in words, the exporter's
    scope, name and the time. For the file's properties and its 说明 sheet."""
    filters_text = "；".join(f"{label}：{words}" for label, words in filters) or gettext("None (all records)")
    created = created or timezone.now()
    items = [(pgettext("export note", "Title"), title), (pgettext("export note", "Filters"), filters_text)]
    if sort is not None:
        items.append((pgettext("export note", "Sort"), sort))
    region = getattr(user, "region", None)
    if region is not None:
        items.append((pgettext("export note", "Scope"), gettext("Records of %(region)s the exporter may see") % {
            "region": getattr(region, "full_name", None) or force_str(region)
        }))  # fmt: skip
    items += [
        (pgettext("export note", "Exported by"), person(user)),
        (pgettext("export note", "Exported at"), f"{timezone.localtime(created):%Y-%m-%d %H:%M}"),
    ]
    return Note(title=title, items=items, subject=filters_text, creator=person(user), created=created)


def list_note(*, title: str, filterset, table, user, created=None) -> Note:
    return note(title=title, filters=filter_words(filterset), sort=sort_words(table), user=user, created=created)


def list_sheets(*, title: str, table) -> list[Sheet]:
    columns = plan(table)
    return [
        Sheet(
            title,
            [c.header for c in columns],
            rows(table, columns),
            formats=[c.number_format for c in columns],
        )
    ]


def list_title(view) -> str:
    return force_str(view.model._meta.verbose_name_plural)
