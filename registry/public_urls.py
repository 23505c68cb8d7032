"""URLs of the public register, open to anonymous visitors under /public/."""

from django.urls import path

from . import public_views

app_name = "registry_public"

urlpatterns = [
    path("", public_views.organization_list, name="organization_list"),
    path("organizations/<int:pk>/", public_views.organization_detail, name="organization_detail"),
]
