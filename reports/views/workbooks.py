"""workbooks pages."""

urlpatterns: list = []
