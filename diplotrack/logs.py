"""Log records as JSON, one object a line, each tagged with the id of the request it belongs to."""

import contextvars
import datetime
import json
import logging

from django.http import HttpRequest

# Set by diplotrack.middleware.RequestLogMiddleware for the length of a request.
request_id = contextvars.ContextVar("request_id", default=None)


class JsonFormatter(logging.Formatter):
    """Time, level, logger and message; the request's id, method and path; a record's `fields`; any traceback."""

    def format(self, record):
        line = {
            "time": datetime.datetime.fromtimestamp(record.created, datetime.UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if current := request_id.get():
            line["request_id"] = current
        # Django's records of failed requests carry the request: its method and path, never its query or cookies.
        request = getattr(record, "request", None)
        if isinstance(request, HttpRequest):
            line |= {"method": request.method, "path": request.path[:500]}
        if status := getattr(record, "status_code", None):
            line["status"] = status
        line |= getattr(record, "fields", {})
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False, default=str)
