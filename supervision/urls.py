"""URLs of annual reports and the two lists (namespace supervision). Mounted under /registry/, where
these pages have always been (config.urls)."""

from django.urls import path

from . import views

app_name = "supervision"

urlpatterns = [
    path("annual-reports/", views.AnnualReportListView.as_view(), name="annualreport_list"),
    path("annual-reports/owing/", views.OwingReportListView.as_view(), name="annualreport_owing"),
    path("annual-reports/new/", views.AnnualReportEditView.as_view(), name="annualreport_create"),
    path("annual-reports/<int:pk>/", views.AnnualReportDetailView.as_view(), name="annualreport_detail"),
    path("annual-reports/<int:pk>/edit/", views.AnnualReportEditView.as_view(), name="annualreport_edit"),
    path("annual-reports/<int:pk>/<str:name>/", views.annual_report_transition, name="annualreport_transition"),
    path("abnormal-list/", views.AbnormalListingListView.as_view(), name="abnormallisting_list"),
    path("abnormal-list/new/", views.AbnormalListingCreateView.as_view(), name="abnormallisting_create"),
    path("abnormal-list/<int:pk>/", views.AbnormalListingDetailView.as_view(), name="abnormallisting_detail"),
    path("abnormal-list/<int:pk>/remove/", views.abnormal_listing_remove, name="abnormallisting_remove"),
    path("abnormal-list/<int:pk>/keep/", views.abnormal_listing_keep, name="abnormallisting_keep"),
    path("serious-list/", views.SeriousViolationListingListView.as_view(), name="seriousviolationlisting_list"),
    path(
        "serious-list/new/",
        views.SeriousViolationListingCreateView.as_view(),
        name="seriousviolationlisting_create",
    ),
    path(
        "serious-list/<int:pk>/",
        views.SeriousViolationListingDetailView.as_view(),
        name="seriousviolationlisting_detail",
    ),
    path("serious-list/<int:pk>/remove/", views.serious_listing_remove, name="seriousviolationlisting_remove"),
    path("revocations/", views.RevocationListView.as_view(), name="revocation_list"),
    path("revocations/new/", views.RevocationEditView.as_view(), name="revocation_create"),
    path("revocations/<int:pk>/", views.RevocationDetailView.as_view(), name="revocation_detail"),
    path("revocations/<int:pk>/edit/", views.RevocationEditView.as_view(), name="revocation_edit"),
    path("revocations/<int:pk>/<str:name>/", views.revocation_transition, name="revocation_transition"),
]
