"""The JSON log lines of production (settings.LOGGING, deploy/gunicorn.conf.py)."""

from pythonjsonlogger.core import RESERVED_ATTRS
from pythonjsonlogger.json import JsonFormatter as BaseJsonFormatter


class JsonFormatter(BaseJsonFormatter):
    """One JSON object per line, with a record's extra fields, except ``request``: Django puts
    the request on its records, and its repr carries the query string, where an old QR link
    had a survey code (docs/privacy.md: no code in a request log)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("reserved_attrs", [*RESERVED_ATTRS, "request"])
        super().__init__(*args, **kwargs)
