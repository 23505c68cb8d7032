"""Top-level URLs."""

from csp.decorators import csp_update
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from core.admin import view_on_site
from core.views import pages

urlpatterns = [
    path("", pages.home, name="home"),
    path("healthz", pages.healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("accounts.urls")),
    path("core/", include("core.urls")),
    path("registry/", include("registry.urls")),
    # Supervision's pages keep the addresses they had under the registry (/registry/annual-reports/…).
    path("registry/", include("supervision.urls")),
    path("public/evaluation/", include("evaluation.public_urls")),
    path("public/", include("registry.public_urls")),
    path("party/", include("party.urls")),
    path("projects/", include("projects.urls")),
    path("evaluation/", include("evaluation.urls")),
    path("reports/", include("reports.urls")),
    # Ahead of the admin's own shortcut, which would redirect to objects outside the user's scope.
    path("admin/r/<int:content_type_id>/<path:object_id>/", admin.site.admin_view(view_on_site)),
    path("admin/", admin.site.urls),
    path("api/v1/", include("config.api_router")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # Swagger UI's start-up script is served as a file (split view), so scripts stay 'self' here too;
    # only its page's own inline <style> needs styles relaxed, on this page alone.
    path(
        "api/docs/",
        csp_update({"style-src": ["'unsafe-inline'"]})(SpectacularSwaggerSplitView.as_view(url_name="api-schema")),
        name="api-docs",
    ),
]

handler400 = "core.views.pages.bad_request"
# Uploaded files have no URL, not even under DEBUG: they go out only through the scoped views
# (core.uploads.serve), after the object has been found among those the user may see.
