"""Log records as JSON, one object a line, each tagged with the id of the request it belongs to."""

import contextvars
import datetime
import ipaddress
import json
import logging
import re

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


# IPv4 addresses, and runs of hex digits, colons and dots that may be IPv6 ones ("::1", "::ffff:10.0.0.1"), which
# ipaddress then checks, so that times (19:07:08.123) stay.
ADDRESS_LIKE = re.compile(r"\d{1,3}(?:\.\d{1,3}){3}|[0-9A-Fa-f]*:[0-9A-Fa-f:.]*")


def mask_addresses(text):
    """The text with every IP address in it replaced by <address>."""

    def mask(match):
        # A colon or a dot after an address is the sentence's own: "from ip=::1: Invalid request".
        candidate = match.group().rstrip(":.")
        try:
            ipaddress.ip_address(candidate)
        except ValueError:
            return match.group()
        return "<address>" + match.group().removeprefix(candidate)

    return ADDRESS_LIKE.sub(mask, text)


class AddressFreeJsonFormatter(JsonFormatter):
    """The same lines for gunicorn's own messages, which name the client ("Invalid request from ip=..."): masked."""

    def format(self, record):
        masked = logging.makeLogRecord(record.__dict__ | {"msg": mask_addresses(record.getMessage()), "args": None})
        return super().format(masked)

    def formatException(self, exc_info):
        return mask_addresses(super().formatException(exc_info))
