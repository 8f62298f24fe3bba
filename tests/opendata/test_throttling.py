"""The API's rate limit holds across server processes, counted in the cache they share, per client behind the proxy.

Two gunicorn servers run with production settings against the test database, as two machines behind one proxy.
"""

import contextlib
import random
import socket

import pytest
from django.db import connection

from tests.test_production import get, gunicorn, server_env, static_root, url_of  # noqa: F401 (a fixture)

REDIS = ("127.0.0.1", 6379)
# Two gunicorn servers start for each test.
pytestmark = pytest.mark.slow


def redis_answers():
    with contextlib.suppress(OSError), socket.create_connection(REDIS, timeout=1) as sock:
        sock.sendall(b"PING\r\n")
        return sock.recv(16).startswith(b"+PONG")
    return False


@pytest.mark.django_db
@pytest.mark.parametrize("cache", ["database", "redis"])
def test_the_rate_limit_holds_across_two_servers(cache, static_root, tmp_path):  # noqa: F811
    env = server_env(url_of(connection.settings_dict), static_root)
    env |= {"API_ANONYMOUS_RATE": "5/minute", "TRUSTED_PROXY_COUNT": "1"}
    if cache == "redis":
        if not redis_answers():
            pytest.skip("no Redis server on 127.0.0.1:6379")
        env["REDIS_URL"] = f"redis://{REDIS[0]}:{REDIS[1]}/0"
    # A client of this run only (the counts outlive it, in Redis), sent as the proxy appends it.
    client = f"198.18.{random.randrange(256)}.{random.randrange(1, 255)}"
    with gunicorn(env, tmp_path / "first.log") as first, gunicorn(env, tmp_path / "second.log") as second:
        statuses = []
        for n, port in enumerate([first, second] * 4):
            # The client writes a new address each time before the proxy's entry: still the same client.
            response = get(port, "/api/topics/", **{"X-Forwarded-For": f"203.0.113.{n}, {client}"})
            statuses.append(response.status)
        # Another client behind the same proxy has a count of its own.
        other = get(first, "/api/topics/", **{"X-Forwarded-For": f"{client.rsplit('.', 1)[0]}.255"})
    assert statuses == [200] * 5 + [429] * 3
    assert other.status == 200
