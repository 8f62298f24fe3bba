"""Reads from PostgreSQL streaming replicas, when DATABASE_REPLICA_URLS names some.

Only what anyone may see is read from a replica: an anonymous GET of a public address (no session cookie, no
credentials, not the admin or the alerts' pages). Everything else reads the primary: curators (who must see
their own edits at once), any request that writes, management commands, the intake worker. A replica that
cannot be reached is left alone for REPLICA_RETRY_SECONDS, and its readers read the primary meanwhile.

    ReplicaReadsMiddleware    chooses, for each request, where its reads go
    ReplicaRouter             tells Django's ORM (settings.DATABASE_ROUTERS)
    reading()                 the connection for raw SQL that only reads (counts, timelines)
"""

import contextvars
import itertools
import logging
import time

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections

logger = logging.getLogger(__name__)

# Where this request's reads go: DEFAULT_DB_ALIAS unless the middleware chose a replica.
_reads = contextvars.ContextVar("reads", default=DEFAULT_DB_ALIAS)
_down_until = {}  # alias: time.monotonic() before which it is not tried again.
_turns = itertools.count()
PRIVATE = ("/admin/", "/alerts/")


def reading():
    """The connection this request's reads use."""
    return connections[_reads.get()]


def reads_alias():
    return _reads.get()


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        return _reads.get()

    def db_for_write(self, model, **hints):
        return DEFAULT_DB_ALIAS

    def allow_relation(self, first, second, **hints):
        return True  # One database, copied.

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == DEFAULT_DB_ALIAS


class ReplicaReadsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        alias = choose_replica() if settings.DATABASE_REPLICAS and public_read(request) else DEFAULT_DB_ALIAS
        token = _reads.set(alias)
        try:
            return self.get_response(request)
        finally:
            _reads.reset(token)


def public_read(request):
    return (
        request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "Authorization" not in request.headers
        and not request.path.startswith(PRIVATE)
    )


def choose_replica():
    """A replica that answers, in turn; the primary when none does."""
    replicas = settings.DATABASE_REPLICAS
    start = next(_turns)
    for offset in range(len(replicas)):
        alias = replicas[(start + offset) % len(replicas)]
        if _down_until.get(alias, 0) > time.monotonic():
            continue
        connection = connections[alias]
        try:
            # A kept connection is checked first (as CONN_HEALTH_CHECKS would, later), so that a replica gone since
            # the last request is noticed here, before any of this request's reads is sent to it.
            if connection.connection is not None and not connection.is_usable():
                connection.close()
            connection.ensure_connection()
            connection.health_check_done = True
            return alias
        except DatabaseError as error:
            logger.warning("Replica %s unavailable, reading the primary: %s", alias, error)
            connection.close()
            _down_until[alias] = time.monotonic() + settings.REPLICA_RETRY_SECONDS
    return DEFAULT_DB_ALIAS
