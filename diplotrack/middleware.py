"""A JSON log line for every request, and a 503 instead of a traceback while the database is down or frozen."""

import contextlib
import contextvars
import logging
import os
import socket
import threading
import time
import uuid
from urllib.parse import parse_qsl

import psycopg
from django.conf import settings
from django.core.exceptions import TooManyFieldsSent
from django.db import DEFAULT_DB_ALIAS, InterfaceError, OperationalError, connections
from django.http import HttpResponse, HttpResponseBadRequest, JsonResponse, QueryDict
from django.template.loader import render_to_string
from psycopg.pq import TransactionStatus

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
        if not settings.DATABASE_STATEMENT_TIMEOUT:
            return self.get_response(request)
        database = connections[DEFAULT_DB_ALIAS]
        deadline = QueryDeadline(database, settings.DATABASE_STATEMENT_TIMEOUT + 1)
        with WATCHDOG.watching(deadline), database.execute_wrapper(deadline):
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


class QueryDeadline:
    """Cuts the request's database connection once a query has waited `seconds` for an answer.

    statement_timeout is the server's own: a server that does not run (stopped, its machine hung) cancels nothing,
    the kernel of its machine still answers TCP keepalives, and psycopg has neither a timeout on a query
    nor a way to cancel one that does not need that same server (cancel_safe). So the Watchdog watches the request:
    when the connection has been waiting on the server for `seconds` since the last query started (an execute
    wrapper restarts the clock), it shuts the socket down. The blocked read fails with an OperationalError, a 503
    above, and Django discards the connection. A kept connection's health check at the start of the request is
    watched too.
    """

    def __init__(self, database, seconds):
        self.database = database
        self.seconds = seconds
        self.deadline = time.monotonic() + seconds
        # The request's context, so that the line the watchdog logs for it has the request's id.
        self.context = contextvars.copy_context()

    def __call__(self, execute, sql, params, many, context):
        """Django's execute wrapper: each query starts the clock again."""
        self.deadline = time.monotonic() + self.seconds
        return execute(sql, params, many, context)

    def check(self, now):
        """Cut the connection if it has waited on the server past the deadline: True then, else False."""
        if now < self.deadline:
            return False
        waiting = self.database.connection
        if waiting is None or waiting.info.transaction_status != TransactionStatus.ACTIVE:
            self.deadline = now + self.seconds  # Not waiting on the server: Python's own work.
            return False
        self.context.run(logger.warning, "No answer from the database in %s s: its connection is cut", self.seconds)
        # The connection may have closed meanwhile, and its descriptor with it.
        with contextlib.suppress(OSError, psycopg.Error), socket.socket(fileno=os.dup(waiting.fileno())) as sock:
            sock.shutdown(socket.SHUT_RDWR)
        return True


class Watchdog:
    """One thread a process that watches every request's QueryDeadline (a worker with threads serves several).

    Where a thread a request was started and stopped (0.15 ms of every request, 0.25 with a query, measured in one
    process on this machine), a request now puts its deadline in a set and takes it out. The thread wakes at the
    earliest deadline, and at least once a second: a new request's deadline is `seconds` away, never sooner.
    """

    AT_LEAST_EVERY = 1.0  # Seconds.

    def __init__(self):
        self.deadlines = set()
        self.lock = threading.Lock()
        self.owner = None  # The process whose thread runs: a forked worker starts its own.

    @contextlib.contextmanager
    def watching(self, deadline):
        if self.owner != os.getpid():
            self.start()
        with self.lock:
            self.deadlines.add(deadline)
        try:
            yield deadline
        finally:
            with self.lock:
                self.deadlines.discard(deadline)

    def start(self):
        with self.lock:
            if self.owner != os.getpid():
                self.owner = os.getpid()
                threading.Thread(target=self.watch, name="query-watchdog", daemon=True).start()

    def watch(self):
        while True:
            now = time.monotonic()
            with self.lock:
                watched = list(self.deadlines)
            wake = now + self.AT_LEAST_EVERY
            for deadline in watched:
                if deadline.check(now):
                    with self.lock:
                        self.deadlines.discard(deadline)
                else:
                    wake = min(wake, deadline.deadline)
            time.sleep(max(wake - time.monotonic(), 0.001))


WATCHDOG = Watchdog()
