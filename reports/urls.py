"""URLs of the reports app's pages (namespace reports), mounted at /reports/ (config.urls). Each
views module lists its own routes."""

from .views import dashboard, jobs, reminders, workbooks

app_name = "reports"

urlpatterns = [
    *dashboard.urlpatterns,
    *workbooks.urlpatterns,
    *jobs.urlpatterns,
    *reminders.urlpatterns,
]
