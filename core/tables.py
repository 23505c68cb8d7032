"""Base table: its columns are the list page's columns and the export's columns."""

from __future__ import annotations

import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_tables2.data import TableQuerysetData
from django_tables2.rows import BoundRow

from .models import AuditRecord
from .ordering import stable_ordering
from .xlsx import Sheet


class BaseTable(tables.Table):
    class Meta:
        attrs = {"class": "table table-sm table-hover align-middle"}
        empty_text = "—"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._order_stably()

    # Whatever sets the ordering (Meta.order_by, ?sort=, the queryset's own), the pk ends it, so
    # pages and exports are slices of one total order (core.ordering).
    @property
    def order_by(self):
        return tables.Table.order_by.fget(self)

    @order_by.setter
    def order_by(self, value):
        tables.Table.order_by.fset(self, value)
        self._order_stably()

    def _order_stably(self):
        if isinstance(self.data, TableQuerysetData):
            self.data.data = stable_ordering(self.data.data)

    def export_columns(self):
        return [c for c in self.columns.iterall() if not c.column.exclude_from_export]

    def export_rows(self, chunk_size: int = 2000):
        """Rows for export, streamed from the (already sorted) queryset rather than cached."""
        columns = self.export_columns()
        data = self.data.data
        records = data.iterator(chunk_size=chunk_size) if hasattr(data, "iterator") else iter(data)
        for record in records:
            row = BoundRow(record, table=self)
            yield [self._export_value(row, record, column) for column in columns]

    @staticmethod
    def _export_value(row, record, column):
        if isinstance(column.column, tables.BooleanColumn):
            # django-tables2 gives the text "True"; the writer shows a real boolean as 是/否.
            value = column.accessor.resolve(record, quiet=True)
            return None if value is None else bool(value)
        return row.get_cell_value(column.name)

    def as_sheet(self, title: str) -> Sheet:
        return Sheet(title, [column.header for column in self.export_columns()], self.export_rows())


class ActionsColumn(tables.TemplateColumn):
    """A column of row links that belongs on the page only."""

    def __init__(self, template_name="core/includes/row_actions.html", **kwargs):
        kwargs.setdefault("verbose_name", pgettext_lazy("table column", "Actions"))
        kwargs.setdefault("orderable", False)
        kwargs.setdefault("exclude_from_export", True)
        super().__init__(template_name=template_name, **kwargs)

    @property
    def header(self):
        # Screen readers announce every cell with its column's header; sighted users need none.
        return format_html('<span class="visually-hidden">{}</span>', self.verbose_name)


class AuditRecordTable(BaseTable):
    timestamp = tables.DateTimeColumn(verbose_name=_("time"), format="Y-m-d H:i:s")
    actor_name = tables.Column(verbose_name=_("actor"))
    action = tables.Column(verbose_name=_("action"))
    content_type = tables.Column(verbose_name=_("object type"), orderable=False)
    object_repr = tables.Column(verbose_name=_("object"))
    message = tables.Column(verbose_name=_("message"))
    request_id = tables.Column(verbose_name=_("request id"))

    class Meta(BaseTable.Meta):
        model = AuditRecord
        fields = ("timestamp", "actor_name", "action", "content_type", "object_repr", "message", "request_id")
        order_by = "-timestamp"

    def render_content_type(self, value):
        model = value.model_class()
        return model._meta.verbose_name if model else value.model

    def value_content_type(self, value):
        return self.render_content_type(value)
