"""jobs pages."""

urlpatterns: list = []
