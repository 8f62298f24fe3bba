"""How gunicorn serves the site: `.venv/bin/gunicorn diplotrack.wsgi -c gunicorn.conf.py` (see the README).

Flags on the command line (or in GUNICORN_CMD_ARGS) override these.
"""

bind = "127.0.0.1:8000"

# Threads, so that a request waiting on the database holds one thread, not a whole worker: the other requests and
# the static files are still served while the database is slow or frozen. Each thread keeps its own database
# connection: workers × threads of them (12).
worker_class = "gthread"
workers = 3
threads = 4
# A worker process silent this long is restarted. With threads, requests do not count (a worker answers while its
# threads wait): each is bounded by the database's own limits, seconds (DATABASE_STATEMENT_TIMEOUT and
# DATABASE_CONNECT_TIMEOUT; see diplotrack/settings.py).
timeout = 30

# gunicorn's own lines (start, stop, a worker's error, a malformed request) as the site's JSON lines on stderr, with
# every IP address masked ("Invalid request from ip=<address>").
logconfig_dict = {
    "formatters": {"json": {"()": "diplotrack.logs.AddressFreeJsonFormatter"}},
    "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "json"}},
    "root": {"handlers": ["stderr"], "level": "INFO"},
    "loggers": {
        # No level here: gunicorn's --log-level.
        "gunicorn.error": {"handlers": ["stderr"], "propagate": False},
        # Off: it would record every visitor's address, and the site logs each request itself, without one.
        "gunicorn.access": {"handlers": [], "level": "CRITICAL", "propagate": False},
    },
}
