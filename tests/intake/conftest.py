import pytest

from statements.intake.fetch import forget_robots
from tests.intake.server import FixtureServer


@pytest.fixture
def server():
    """A web server on 127.0.0.1 with no pages yet; robots.txt read afresh for it."""
    forget_robots()
    fixture = FixtureServer()
    yield fixture
    fixture.stop()
    forget_robots()
