import pytest

from tests.factories import make_curator


@pytest.fixture
def curator(db):
    return make_curator()


@pytest.fixture
def curator_client(client, curator):
    client.force_login(curator)
    return client
