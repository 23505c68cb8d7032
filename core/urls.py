"""URLs of the frame's own pages."""

from django.urls import path

from .views import autocomplete, exports, notifications, pages
from .views.audit import AuditRecordListView

app_name = "core"

urlpatterns = [
    path("audit/", AuditRecordListView.as_view(), name="auditrecord_list"),
    path("history/<int:content_type_id>/<str:object_id>/", pages.object_history, name="object_history"),
    path("notifications/", notifications.notification_list, name="notification_list"),
    path("notifications/<int:pk>/read/", notifications.notification_read, name="notification_read"),
    path("notifications/read-all/", notifications.notification_read_all, name="notification_read_all"),
    path("notifications/preferences/", notifications.notification_preferences, name="notification_preferences"),
    path("downloads/", exports.exportjob_list, name="exportjob_list"),
    path("downloads/<int:pk>/progress/", exports.exportjob_progress, name="exportjob_progress"),
    path("downloads/<int:pk>/file/", exports.exportjob_download, name="exportjob_download"),
    path("autocomplete/<slug:kind>/", autocomplete.options, name="autocomplete"),
]
