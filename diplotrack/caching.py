"""Public answers (pages, htmx fragments, API answers, feeds), cached for as long as the data they show is unchanged.

Every answer to an anonymous GET of a public address is stored in the shared cache (Django's: a table in
PostgreSQL, or Redis when REDIS_URL is set) under the data version (statements.models.DataVersion), a number the
database's triggers change in the very transaction that publishes, edits or retracts a statement, or changes what
the pages show beside it. A later request reads the version (one small query) and finds its answer under it; once
the data changes, no answer of the old version is found again (they expire after CACHED_ANSWERS_SECONDS). So a
cached answer is never stale, and nothing need be invalidated by hand. Any other GET reads the version once too,
when first needed: what a process keeps per data version (statements.models.per_data_version) costs it no more.

Each answer also carries an ETag of the version and the request, and the version's time as Last-Modified: a
client (or a proxy) that asks again with If-None-Match gets a 304 without a body.

Not cached: anyone signed in (a session cookie: curators see drafts), requests with credentials, the admin, the
alerts' pages with their tokens, anything but a 200 or a 301, streamed answers (the CSV export), and answers that set a
cookie or vary on one.
"""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError
from django.http import HttpResponse, HttpResponseNotModified
from django.utils.http import http_date, quote_etag

from statements.models import DataVersion

# The request headers an answer may depend on (each view's Vary says which it does): part of the key.
KEYED_HEADERS = ["HX-Request", "HX-History-Restore-Request", "HX-Target", "Accept", "Accept-Language"]
NOT_CACHED = ("/admin/", "/alerts/", "/static/", "/healthz")


class PublicAnswerCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not cacheable_request(request):
            if request.method not in ("GET", "HEAD"):
                return self.get_response(request)
            # Not cached, but read-only: the data version read once, when first needed (per_data_version's answers).
            with DataVersion.read_once():
                return self.get_response(request)
        try:
            version, changed_at = DataVersion.current()
        except DatabaseError:  # The view answers as it can (diplotrack.middleware: a 503 page).
            return self.get_response(request)
        asked = [
            request.method,
            request.get_full_path(),
            *(request.headers.get(name, "") for name in KEYED_HEADERS),
            request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, ""),
        ]
        digest = hashlib.sha256("\n".join(asked).encode()).hexdigest()[:32]
        etag = quote_etag(f"{version}-{digest[:16]}")
        if etag in request.headers.get("If-None-Match", ""):
            return with_validators(HttpResponseNotModified(), etag, changed_at)
        key = f"answer:{version}:{digest}"
        stored = cache.get(key)
        if stored is not None:
            status, headers, content, policy = stored
            response = HttpResponse(content, status=status)
            for header, value in headers:
                response[header] = value
            for name, value in policy.items():
                setattr(response, name, value)
            response["X-Cache"] = "hit"
            return with_validators(response, etag, changed_at)
        with DataVersion.read_once((version, changed_at)):
            response = self.get_response(request)
        if cacheable_response(request, response):
            headers = [(header, value) for header, value in response.items() if kept(header)]
            # What a view's decorators said of its Content Security Policy (the embed's frame-ancestors), for the
            # policy's middleware to read again on each answer.
            policy = {name: value for name, value in vars(response).items() if name.startswith("_csp_")}
            stored = (response.status_code, headers, response.content, policy)
            cache.set(key, stored, settings.CACHED_ANSWERS_SECONDS)
            response["X-Cache"] = "miss"
            with_validators(response, etag, changed_at)
        return response


# Headers that each answer gets from the middleware around this one (the security headers, the Content Security
# Policy with its nonce, the request log's id), or from this one.
SET_ELSEWHERE = {
    "content-security-policy",
    "x-request-id",
    "etag",
    "last-modified",
    "x-cache",
    "cross-origin-opener-policy",
    "referrer-policy",
    "x-content-type-options",
    "strict-transport-security",
}


def kept(header):
    header = header.lower()
    return header not in SET_ELSEWHERE and not header.startswith("access-control-")  # CORS: per request's Origin.


def cacheable_request(request):
    if request.method not in ("GET", "HEAD") or not settings.CACHE_PUBLIC_ANSWERS:
        return False
    if settings.SESSION_COOKIE_NAME in request.COOKIES or "Authorization" in request.headers:
        return False
    return not request.path.startswith(NOT_CACHED)


def cacheable_response(request, response):
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):  # A form's token, and its cookie: this visitor's alone.
        return False
    # A 200, or a 301 to a page's canonical address (a statement's slug, a country's code in capitals).
    if response.status_code not in (200, 301) or response.streaming or response.cookies:
        return False
    vary = {header.strip().lower() for header in response.get("Vary", "").split(",")}
    if "cookie" in vary or "*" in vary:
        return False
    control = response.get("Cache-Control", "")
    return "private" not in control and "no-store" not in control


def with_validators(response, etag, changed_at):
    response["ETag"] = etag
    response["Last-Modified"] = http_date(changed_at.timestamp())
    # A browser or proxy may keep it, but asks again (If-None-Match) before each use: a publish shows at once.
    if "Cache-Control" not in response:
        response["Cache-Control"] = "public, no-cache"
    return response
