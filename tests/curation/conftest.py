import io

import pytest
from django.core.management import call_command


@pytest.fixture
def demo(db):
    """The demo data: the article of DEMO_URL, its speakers and their statements."""
    call_command("load_demo", stdout=io.StringIO())
