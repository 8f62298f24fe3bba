"""The test environment: the project's one settings file, with test values for what production must set."""

import os

os.environ.setdefault("SECRET_KEY", "tests-only-not-a-secret")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")

from diplotrack.settings import *  # noqa: F403

# Password hashing is deliberately slow; tests create many users.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Tests make many API requests from one address; the throttling test lowers this itself.
API_ANONYMOUS_RATE = "100000/minute"
