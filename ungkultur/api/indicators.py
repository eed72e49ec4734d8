"""API endpoints of indicators (wired into api/urls.py and api/openapi.py)."""

urlpatterns = []
OPENAPI_PATHS: dict = {}
OPENAPI_SCHEMAS: dict = {}
