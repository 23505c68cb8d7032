"""Pages: community."""

urlpatterns: list = []
