"""/api/v1/party-statistics/ (registered in config.api_router from ROUTES)."""

ROUTES: list = []
