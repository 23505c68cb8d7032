"""Pages: feedback."""

urlpatterns: list = []
