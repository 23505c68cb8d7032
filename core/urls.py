"""URLs of the frame's own pages."""

from django.urls import path

from .views import pages

app_name = "core"

urlpatterns = [
    path("history/<int:content_type_id>/<str:object_id>/", pages.object_history, name="object_history"),
]
