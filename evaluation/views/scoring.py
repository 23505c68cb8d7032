"""Pages: scoring."""

urlpatterns: list = []
