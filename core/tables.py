"""Base table: its columns are the list page's columns and the export's columns."""

from __future__ import annotations

import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_tables2.data import TableQuerysetData

from . import exports
from .exports import FromQuery  # noqa: F401 - declared by domain tables
from .models import AuditRecord
from .ordering import stable_ordering
from .xlsx import AMOUNT_FORMAT, Sheet


class BaseTable(tables.Table):
    # The columns a user may sort by, each served by an index (column, id) on the table's model
    # (tests/core/test_indexes.py holds every list to it); None: every orderable column. Columns
    # reached through a relation or computed by the query cannot be indexed here and stay out.
    sortable: tuple[str, ...] | None = None

    class Meta:
        attrs = {"class": "table table-sm table-hover align-middle"}
        empty_text = "—"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.sortable is not None:
            for bound in self.columns.columns.values():
                if bound.name not in self.sortable:
                    bound.column.orderable = False
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

    def paginate(self, *args, **kwargs):
        """Nothing: django-tables2 pages every table given a request by OFFSET with an exact COUNT;
        lists page by keyset with a capped count instead (core.views.generic.paginate_table)."""
        return self

    def export_columns(self):
        return [c for c in self.columns.iterall() if not c.column.exclude_from_export]

    # Exports read rows straight from the query (core.exports): a computed column may declare here
    # the query paths it needs and a function of their values, e.g.
    # {"number": FromQuery("uscc", "filing_number", function=lambda uscc, filing: uscc or filing)}.
    export_from_query: dict = {}

    def export_rows(self):
        """Rows for export as typed values, streamed from the (already sorted) query."""
        return exports.rows(self)

    def as_sheet(self, title: str) -> Sheet:
        return exports.list_sheets(title=title, table=self)[0]


class AmountColumn(tables.Column):
    """An amount in 元: two decimals with separators on the page; the number itself, formatted
    #,##0.00, in exports."""

    export_plain = True
    export_format = AMOUNT_FORMAT

    def __init__(self, **kwargs):
        kwargs.setdefault("attrs", {"td": {"class": "text-end text-nowrap"}, "th": {"class": "text-end"}})
        super().__init__(**kwargs)

    def render(self, value):
        return f"{value:,.2f}"


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
    sortable = ("timestamp",)
    timestamp = tables.DateTimeColumn(verbose_name=_("time"), format="DATETIME_FORMAT")
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

    def render_actor_name(self, value, record):
        # People are named as colleagues know them: full name, with the log-in name.
        return exports.person(record.actor) if record.actor_id else value

    def value_actor_name(self, value, record):
        return self.render_actor_name(value, record)

    def render_content_type(self, value):
        model = value.model_class()
        return model._meta.verbose_name if model else value.model

    def value_content_type(self, value):
        return self.render_content_type(value)
