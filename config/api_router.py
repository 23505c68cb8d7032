"""The API's resources under /api/v1/: kebab-case plural names, one router."""

from django.urls import path
from rest_framework.authtoken.views import obtain_auth_token
from rest_framework.routers import DefaultRouter

from accounts.api.views import RegionViewSet, UserMeView
from registry.api.views import ApplicationViewSet, OrganizationViewSet
from registry.api_reports import AbnormalListingViewSet, AnnualReportViewSet, SeriousViolationListingViewSet

router = DefaultRouter()
router.register("regions", RegionViewSet, basename="region")
router.register("organizations", OrganizationViewSet, basename="organization")
router.register("applications", ApplicationViewSet, basename="application")
router.register("annual-reports", AnnualReportViewSet, basename="annual-report")
router.register("abnormal-listings", AbnormalListingViewSet, basename="abnormal-listing")
router.register("serious-violation-listings", SeriousViolationListingViewSet, basename="serious-violation-listing")

app_name = "api"
urlpatterns = [
    path("users/me/", UserMeView.as_view(), name="user-me"),
    path("auth/token/", obtain_auth_token, name="auth-token"),
    *router.urls,
]
