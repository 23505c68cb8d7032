"""The API's resources under /api/v1/: kebab-case plural names, one router."""

from django.urls import path
from rest_framework.authtoken.views import obtain_auth_token
from rest_framework.routers import DefaultRouter

from accounts.api.views import RegionViewSet, UserMeView
from registry.api.views import ApplicationViewSet, OrganizationViewSet

router = DefaultRouter()
router.register("regions", RegionViewSet, basename="region")
router.register("organizations", OrganizationViewSet, basename="organization")
router.register("applications", ApplicationViewSet, basename="application")

app_name = "api"
urlpatterns = [
    path("users/me/", UserMeView.as_view(), name="user-me"),
    path("auth/token/", obtain_auth_token, name="auth-token"),
    *router.urls,
]
