"""The evaluation API's viewsets. ROUTES lists (prefix, viewset, basename) for config.api_router's
router; URLS the plain paths (the anonymous survey answer under surveys/<token>/responses/)."""

ROUTES: list = []
URLS: list = []
