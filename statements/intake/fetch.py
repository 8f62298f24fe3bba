"""Fetch a page as a polite client: robots.txt obeyed, our User-Agent with a contact address, conditional GET, and
limits on time, size and redirects that no server can talk us out of.

Every failure is a FetchError carrying what was received before it (kept with the document: nothing is lost).
"""

import ipaddress
import socket
import time
import urllib.robotparser
from dataclasses import dataclass, field
from urllib.parse import urlsplit, urlunsplit

import httpx
from django.conf import settings

# robots.txt read per site, kept this long by each process (a worker polls the same hosts all day).
ROBOTS_TTL = 3600
ROBOTS_MAX_BYTES = 512 * 1024
_robots: dict[str, tuple[float, urllib.robotparser.RobotFileParser | None]] = {}
# When each host was last asked, by this process: the pause between two requests (INTAKE_HOST_DELAY).
_last_request: dict[str, float] = {}


class FetchError(Exception):
    """A fetch that gave no usable response; `transient` ones (timeouts, 5xx) are worth retrying later."""

    def __init__(self, message, *, status=None, body=b"", content_type="", transient=False):
        super().__init__(message)
        self.status, self.body, self.content_type, self.transient = status, body, content_type, transient


@dataclass
class Response:
    url: str  # after redirects
    status: int
    body: bytes = b""
    content_type: str = ""
    etag: str = ""
    last_modified: str = ""
    redirects: list[str] = field(default_factory=list)

    @property
    def not_modified(self):
        return self.status == 304

    @property
    def gone(self):
        return self.status in (404, 410)


_client: httpx.Client | None = None


def client() -> httpx.Client:
    """The process's one client (thread-safe): its connections are kept alive, and certificates loaded once (35 ms
    a client, measured: a third of the time of a document when each request made its own)."""
    global _client
    if _client is None:
        _client = _new_client()
    return _client


def _new_client() -> httpx.Client:
    return httpx.Client(
        headers={"User-Agent": settings.INTAKE_USER_AGENT},
        timeout=httpx.Timeout(settings.INTAKE_TIMEOUT),
        follow_redirects=True,
        max_redirects=settings.INTAKE_MAX_REDIRECTS,
        # Every request, each redirect's too: a listing must not send us to the machine's own services.
        event_hooks={"request": [_public_only]},
        # Certificates are checked (httpx's default); proxies come from the environment as usual.
    )


def fetch(url: str, *, etag: str = "", last_modified: str = "", accept_gone: bool = False) -> Response:
    """GET the URL within the limits; a 304 comes back as such, 404/410 too when `accept_gone` (re-checks ask)."""
    if urlsplit(url).scheme not in ("http", "https"):
        raise FetchError(f"Not a web address: {url}")
    if not allowed(url):
        raise FetchError(f"robots.txt of {urlsplit(url).netloc} forbids fetching {url}")
    headers = {}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    _pause(url)
    response = _get(url, headers, settings.INTAKE_MAX_BYTES)
    if response.not_modified or (accept_gone and response.gone) or 200 <= response.status < 300:
        return response
    raise FetchError(
        f"HTTP {response.status} from {url}",
        status=response.status,
        body=response.body,
        content_type=response.content_type,
        transient=response.status >= 500 or response.status == 429,
    )


def _get(url, headers, limit) -> Response:
    """The response, its body streamed up to `limit` bytes and cut off at the deadline, however slowly it comes."""
    deadline = time.monotonic() + settings.INTAKE_DEADLINE
    body = bytearray()
    try:
        with client().stream("GET", url, headers=headers) as response:
            content_type = response.headers.get("content-type", "")
            declared = response.headers.get("content-length", "")
            if declared.isdigit() and int(declared) > limit:
                raise FetchError(f"{url} is {int(declared):,} bytes, more than the {limit:,} allowed")
            for chunk in response.iter_bytes():  # decoded: a gzip bomb is cut at the limit too
                body += chunk
                if len(body) > limit:
                    raise FetchError(
                        f"{url} sent more than the {limit:,} bytes allowed",
                        body=bytes(body[:limit]),
                        content_type=content_type,
                    )
                if time.monotonic() > deadline:
                    raise FetchError(
                        f"{url} took longer than {settings.INTAKE_DEADLINE:g} seconds",
                        body=bytes(body),
                        content_type=content_type,
                        transient=True,
                    )
            return Response(
                url=str(response.url),
                status=response.status_code,
                body=bytes(body),
                content_type=content_type,
                etag=response.headers.get("etag", ""),
                last_modified=response.headers.get("last-modified", ""),
                redirects=[str(step.url) for step in response.history],
            )
    except httpx.DecodingError as error:
        raise FetchError(f"{url} sent a body that cannot be decoded: {error}", body=bytes(body)) from error
    except httpx.TooManyRedirects as error:
        raise FetchError(f"Too many redirects from {url} (a loop?): {error}") from error
    except httpx.TimeoutException as error:
        raise FetchError(f"{url} did not answer in time ({type(error).__name__})", transient=True) from error
    except httpx.HTTPError as error:
        raise FetchError(f"Could not fetch {url}: {type(error).__name__}: {error}", transient=True) from error


def _public_only(request):
    """Refuse an address on this machine or its private network (unless INTAKE_PRIVATE_ADDRESSES allows them):
    a feed's items and their redirects are written by others, and could name a database or a cloud's metadata."""
    if settings.INTAKE_PRIVATE_ADDRESSES:
        return
    host = request.url.host
    try:
        found = {info[4][0] for info in socket.getaddrinfo(host, request.url.port or 443, proto=socket.IPPROTO_TCP)}
    except OSError as error:
        raise FetchError(f"Cannot resolve {host}: {error}", transient=True) from error
    for address in found:
        ip = ipaddress.ip_address(address.split("%")[0])
        if not ip.is_global:
            raise FetchError(f"{host} is a private address ({ip}): refused")


def _pause(url):
    host = urlsplit(url).netloc.lower()
    last = _last_request.get(host)
    wait = last + settings.INTAKE_HOST_DELAY - time.monotonic() if last is not None else 0
    if wait > 0:
        time.sleep(wait)
    _last_request[host] = time.monotonic()


def allowed(url: str) -> bool:
    """Whether the site's robots.txt lets our User-Agent fetch the URL (no robots.txt, or none readable: yes)."""
    parts = urlsplit(url)
    site = urlunsplit((parts.scheme, parts.netloc, "", "", ""))
    checked, parser = _robots.get(site, (None, None))
    if checked is None or time.monotonic() - checked > ROBOTS_TTL:
        parser = _read_robots(site)
        _robots[site] = (time.monotonic(), parser)
    return parser is None or parser.can_fetch(settings.INTAKE_USER_AGENT, url)


def _read_robots(site):
    parser = urllib.robotparser.RobotFileParser(f"{site}/robots.txt")
    try:
        _pause(site)
        response = _get(f"{site}/robots.txt", {}, ROBOTS_MAX_BYTES)
    except FetchError:
        return None  # Unreachable or oversized: the pages themselves will tell whether the site answers.
    if response.status in (401, 403):
        parser.disallow_all = True
    elif 200 <= response.status < 300:
        parser.parse(response.body.decode("utf-8", "replace").splitlines())
    else:
        return None
    return parser


def forget_robots():
    """Read robots.txt again on the next fetch (tests change it between fetches)."""
    _robots.clear()
    _last_request.clear()
