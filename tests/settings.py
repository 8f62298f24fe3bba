"""The test environment: the project's one settings file, with test values for what production must set.

The environment defaults below are inherited by the processes that tests start (manage.py, gunicorn).
"""

import os

os.environ.setdefault("SECRET_KEY", "tests-only-not-a-secret")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
os.environ.setdefault("EMBEDDED_DATABASE", "1")
# The test client and the live server speak plain HTTP; tests/test_production.py checks the HTTPS settings.
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("SESSION_COOKIE_SECURE", "0")
os.environ.setdefault("CSRF_COOKIE_SECURE", "0")
# Each test sees what its own requests compute (the context, the queries); tests/test_caching.py turns it on.
os.environ.setdefault("CACHE_PUBLIC_ANSWERS", "0")
# Never a Redis of the environment: tests clear their cache. tests/opendata/test_throttling.py names its own.
os.environ.pop("REDIS_URL", None)
# The intake's fixture servers are on loopback and answer at once: no pause between requests, short timeouts (a
# server sending a byte a second is cut after 3 seconds rather than 30).
os.environ.setdefault("INTAKE_HOST_DELAY", "0")
os.environ.setdefault("INTAKE_PRIVATE_ADDRESSES", "1")
os.environ.setdefault("INTAKE_TIMEOUT", "2")
os.environ.setdefault("INTAKE_DEADLINE", "3")
os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")

from diplotrack.settings import *  # noqa: F403

# Hashed names need a collectstatic first; tests/test_production.py serves real hashed files with gunicorn.
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
# Files from the apps' folders, as in development, rather than from a collected STATIC_ROOT.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# Password hashing is deliberately slow; tests create many users.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Tests make many API requests from one address; the throttling test lowers this itself.
API_ANONYMOUS_RATE = "100000/minute"

# A replica's place, read by nobody (DATABASE_REPLICAS is empty) until tests/test_replicas.py starts a real one
# and points it there: as a mirror, it names the test database.
DATABASES.setdefault("replica1", DATABASES["default"] | {"TEST": {"MIRROR": "default"}})  # noqa: F405
