"""A JSON log line for every request, and a 503 instead of a traceback while the database is down."""

import logging
import time
import uuid
from urllib.parse import parse_qsl

from django.core.exceptions import TooManyFieldsSent
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponseBadRequest, JsonResponse, QueryDict
from django.template.loader import render_to_string

from diplotrack import logs

request_log = logging.getLogger("diplotrack.requests")
logger = logging.getLogger("diplotrack")
RETRY_AFTER_SECONDS = 30


class RequestLogMiddleware:
    """One line per request: method, path, status, duration and size, and nothing that identifies the visitor.

    No address, user, cookie, user agent, referrer or query string: a search can name a person.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.request_id = uuid.uuid4().hex
        token = logs.request_id.set(request.request_id)
        start = time.perf_counter()
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = request.request_id
            fields = {
                "method": request.method,
                "path": request.path[:500],
                "status": response.status_code,
                "duration_ms": round((time.perf_counter() - start) * 1000, 1),
                "size": response_size(response),
            }
            request_log.info(
                "%s %s %s", request.method, fields["path"], response.status_code, extra={"fields": fields}
            )
            return response
        finally:
            logs.request_id.reset(token)


class NulCharacterMiddleware:
    """No NUL character reaches a view: PostgreSQL can neither store nor compare text that holds one.

    Nobody types one on purpose. An address with one is a 400; query parameters lose theirs, so that
    `?q=alli%00ance` still searches for "alliance" and a filter value is checked like any other.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path:
            return HttpResponseBadRequest("An address cannot hold a NUL character (%00).", content_type="text/plain")
        if any("\x00" in key + "".join(values) for key, values in request.GET.lists()):
            cleaned = QueryDict(mutable=True)
            for key, values in request.GET.lists():
                cleaned.setlist(key.replace("\x00", ""), [value.replace("\x00", "") for value in values])
            cleaned._mutable = False
            request.GET = cleaned
        return self.get_response(request)


class FormFieldsMiddleware:
    """Lets a view marked with @accepts_form_fields(n) read up to n form fields, for staff.

    Django refuses a form of more than DATA_UPLOAD_MAX_NUMBER_FIELDS (1,000) fields with a bare 400, and the
    quotation review sends some sixteen a quotation. Every other view, and anyone but staff, keeps that limit.
    Listed before the CSRF middleware, the first to read a form.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        limit = getattr(view_func, "max_form_fields", None)
        form = request.method == "POST" and request.content_type == "application/x-www-form-urlencoded"
        if limit and form and request.user.is_staff:
            request.POST = read_form(request, limit)


def accepts_form_fields(limit):
    """Mark a view whose form may have up to `limit` fields (FormFieldsMiddleware reads it)."""

    def mark(view):
        view.max_form_fields = limit
        return view

    return mark


def read_form(request, limit):
    """The urlencoded form of the request, as Django reads it, with another limit on its number of fields."""
    form = QueryDict(mutable=True, encoding=request.encoding)
    try:
        body = request.body.decode(form.encoding)
    except UnicodeDecodeError:
        body = request.body.decode("iso-8859-1")
    try:
        for key, value in parse_qsl(body, keep_blank_values=True, encoding=form.encoding, max_num_fields=limit):
            form.appendlist(key, value)
    except ValueError as error:
        raise TooManyFieldsSent(f"The form has more than {limit} fields.") from error
    form._mutable = False
    return form


def response_size(response):
    """The body's length in bytes; None for a stream of unknown length (the CSV export)."""
    if response.has_header("Content-Length"):
        return int(response["Content-Length"])
    return None if response.streaming else len(response.content)


class DatabaseUnavailableMiddleware:
    """A 503 page (JSON for the API) with Retry-After when PostgreSQL cannot be reached or cannot answer in time.

    The broken connection is not reused: at the end of the request Django closes a connection that had errors
    and no longer answers, and CONN_HEALTH_CHECKS checks a kept one before the next request uses it, so the site
    recovers by itself when the database is back.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        logger.error("Database unavailable", exc_info=exception, extra={"request": request, "status_code": 503})
        if request.path.startswith("/api/"):
            response = JsonResponse({"detail": "The database is unavailable. Try again in a minute."}, status=503)
        else:
            # No request context: the page must render without the database (no user, no session, no messages).
            page = render_to_string("503.html", {"request_id": getattr(request, "request_id", None)})
            response = HttpResponse(page, status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
