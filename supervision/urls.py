"""URLs of annual reports, the two lists and roster imports (namespace registry_lists, under /registry/)."""

from django.urls import path

from . import views_import, views_reports

app_name = "registry_lists"

urlpatterns = [
    path("annual-reports/", views_reports.AnnualReportListView.as_view(), name="annualreport_list"),
    path("annual-reports/owing/", views_reports.OwingReportListView.as_view(), name="annualreport_owing"),
    path("annual-reports/new/", views_reports.AnnualReportEditView.as_view(), name="annualreport_create"),
    path("annual-reports/<int:pk>/", views_reports.AnnualReportDetailView.as_view(), name="annualreport_detail"),
    path("annual-reports/<int:pk>/edit/", views_reports.AnnualReportEditView.as_view(), name="annualreport_edit"),
    path("annual-reports/<int:pk>/submit/", views_reports.annual_report_submit, name="annualreport_submit"),
    path("annual-reports/<int:pk>/review/", views_reports.annual_report_review, name="annualreport_review"),
    path("abnormal-list/", views_reports.AbnormalListingListView.as_view(), name="abnormallisting_list"),
    path("abnormal-list/new/", views_reports.AbnormalListingCreateView.as_view(), name="abnormallisting_create"),
    path("abnormal-list/<int:pk>/", views_reports.AbnormalListingDetailView.as_view(), name="abnormallisting_detail"),
    path("abnormal-list/<int:pk>/remove/", views_reports.abnormal_listing_remove, name="abnormallisting_remove"),
    path("serious-list/", views_reports.SeriousViolationListingListView.as_view(), name="seriousviolationlisting_list"),
    path(
        "serious-list/new/",
        views_reports.SeriousViolationListingCreateView.as_view(),
        name="seriousviolationlisting_create",
    ),
    path(
        "serious-list/<int:pk>/",
        views_reports.SeriousViolationListingDetailView.as_view(),
        name="seriousviolationlisting_detail",
    ),
    path("serious-list/<int:pk>/remove/", views_reports.serious_listing_remove, name="seriousviolationlisting_remove"),
    path("roster-imports/", views_import.RosterImportListView.as_view(), name="rosterimport_list"),
    path("roster-imports/new/", views_import.RosterImportCreateView.as_view(), name="rosterimport_create"),
    path("roster-imports/template.xlsx", views_import.roster_import_template, name="rosterimport_template"),
    path("roster-imports/<int:pk>/", views_import.RosterImportDetailView.as_view(), name="rosterimport_detail"),
    path("roster-imports/<int:pk>/progress/", views_import.roster_import_progress, name="rosterimport_progress"),
    path("roster-imports/<int:pk>/confirm/", views_import.roster_import_confirm, name="rosterimport_confirm"),
    path("roster-imports/<int:pk>/errors.xlsx", views_import.roster_import_errors, name="rosterimport_errors"),
]
