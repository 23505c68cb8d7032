"""Pages: objections."""

urlpatterns: list = []
