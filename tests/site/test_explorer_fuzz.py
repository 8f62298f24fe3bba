"""Random and hostile query strings never make the explorer fail."""

from urllib.parse import urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from statements.filters import StatementFilter
from tests.factories import make_official, make_statement, make_topic

# The explorer's filters, as declared, and the parameters a page reads beside them.
PARAMS = [*StatementFilter.base_filters, "page", "unknown"]
TRICKY = [
    "",
    " ",
    "\x00",
    "'; DROP TABLE statements_statement; --",
    "%",
    "_",
    "\\",
    '"',
    "-",
    "OR",
    "a:*",
    "!",
    "<script>alert(1)</script>",
    "9" * 30,
    "-1",
    "0",
    "2024-02-30",
    "9999-12-31",
    "0001-01-01",
    "KR",
    "kr",
    "relevance",
    "日本",
    "🇰🇷",
    "a" * 2000,
    "&&",
    "|",
    "(",
    ")",
    "<->",
    "'",
    "‘’“”",
]
text = st.text(alphabet=st.characters(exclude_categories=["Cs"]), max_size=60)
pairs = st.lists(st.tuples(st.sampled_from(PARAMS), text | st.sampled_from(TRICKY)), max_size=6)
# Raw bytes after the "?", including broken percent-encoding and invalid UTF-8.
raw = st.text(alphabet="abcdefgqz=&%+;0123456789FFZ\"'<>", max_size=80)

# Hypothesis runs of a hundred requests each: slow.
pytestmark = [pytest.mark.django_db, pytest.mark.slow]
FUZZ = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@pytest.fixture
def some_statements(db):
    official = make_official(name="Cho Tae-yul")
    topic = make_topic(name="Fuzzing")
    make_statement(text="The alliance will be strengthened.", official=official, topics=[topic], mentions=["US"])
    make_statement(text="Words in another language.", official=official, language="fr")


@FUZZ
@given(query=pairs)
def test_random_query_strings_never_fail(client, some_statements, query):
    for path in ["/statements/", "/officials/cho-tae-yul/", "/countries/KR/", "/topics/fuzzing/"]:
        response = client.get(f"{path}?{urlencode(query)}", follow=True)
        assert response.status_code == 200, (path, query)
        assert len(response.redirect_chain) <= 1
        assert b"<script>alert(1)</script>" not in response.content


@FUZZ
@given(query=raw)
def test_malformed_query_strings_never_fail(client, some_statements, query):
    assert client.get(f"/statements/?{query}", follow=True).status_code == 200
    assert client.get(f"/statements/?{query}", HTTP_HX_REQUEST="true").status_code == 200
    assert client.get(f"/officials/?{query}").status_code == 200
