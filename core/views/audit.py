"""The district's audit trail, for bureau administrators and auditors."""

from core.filtersets import AuditRecordFilterSet
from core.models import AuditRecord
from core.tables import AuditRecordTable
from core.views.generic import ObjectListView


class AuditRecordListView(ObjectListView):
    queryset = AuditRecord.objects.select_related("content_type", "actor")
    filterset = AuditRecordFilterSet
    table = AuditRecordTable
