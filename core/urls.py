"""URLs of the frame's own pages."""

from django.urls import path

from .views import pages
from .views.audit import AuditRecordListView

app_name = "core"

urlpatterns = [
    path("audit/", AuditRecordListView.as_view(), name="auditrecord_list"),
    path("history/<int:content_type_id>/<str:object_id>/", pages.object_history, name="object_history"),
]
