"""Pages: experts."""

urlpatterns: list = []
