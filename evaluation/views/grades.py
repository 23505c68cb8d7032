"""Pages: grades."""

urlpatterns: list = []
