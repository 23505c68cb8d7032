"""URLs of the registry (bureau, street, community and organization users), under /registry/."""

from django.urls import path

from . import views, views_import

app_name = "registry"

urlpatterns = [
    path("organizations/", views.OrganizationListView.as_view(), name="organization_list"),
    path("organizations/<int:pk>/", views.OrganizationDetailView.as_view(), name="organization_detail"),
    path("applications/", views.ApplicationListView.as_view(), name="application_list"),
    path("applications/new/<str:kind>/", views.ApplicationEditView.as_view(), name="application_create"),
    path("applications/<int:pk>/", views.ApplicationDetailView.as_view(), name="application_detail"),
    path("applications/<int:pk>/edit/", views.ApplicationEditView.as_view(), name="application_edit"),
    path("applications/<int:pk>/receipt/", views.application_receipt, name="application_receipt"),
    path("applications/<int:pk>/attachments/", views.attachment_upload, name="attachment_upload"),
    path("applications/<int:pk>/<str:action>/", views.application_transition, name="application_transition"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment_download"),
    path("attachments/<int:pk>/remove/", views.attachment_remove, name="attachment_remove"),
    path("roster-imports/", views_import.RosterImportListView.as_view(), name="rosterimport_list"),
    path("roster-imports/new/", views_import.RosterImportCreateView.as_view(), name="rosterimport_create"),
    path("roster-imports/template.xlsx", views_import.roster_import_template, name="rosterimport_template"),
    path("roster-imports/<int:pk>/", views_import.RosterImportDetailView.as_view(), name="rosterimport_detail"),
    path("roster-imports/<int:pk>/progress/", views_import.roster_import_progress, name="rosterimport_progress"),
    path("roster-imports/<int:pk>/confirm/", views_import.roster_import_confirm, name="rosterimport_confirm"),
    path("roster-imports/<int:pk>/errors.xlsx", views_import.roster_import_errors, name="rosterimport_errors"),
]
