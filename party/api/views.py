"""The party app's API resources (registered in config.api_router from ROUTES)."""

ROUTES: list = []
