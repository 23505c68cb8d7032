"""Pages of the reports app, one module per page family; each lists its `urlpatterns`."""
