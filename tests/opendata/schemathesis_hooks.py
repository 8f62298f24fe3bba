"""A check of our own for Schemathesis (schemathesis.toml loads it): what the schema allows, the API refuses only
for what no schema can say.

A request can be well formed and still name nothing that exists (a country, a topic, an official, words that
are all stop words, a page past the last), or set two parameters at odds (date_from after date_to, sorting by
relevance without q). The API answers those with its 400, so schemathesis.toml lets a schema-valid request have
one; this check keeps the rest of what positive_data_acceptance guards: every other 400 it fails.
"""

import schemathesis

# The explorer's parameters whose values the API checks against the data or against each other, and where.
DEPENDS_ON_DATA = {"country", "mentions", "topic", "official", "organization", "q", "sort", "date_from"}
EXPLORER_PATHS = {"/api/statements/", "/api/statements/timeline/"}


@schemathesis.check
def schema_valid_requests_are_refused_only_for_the_data(ctx, response, case):
    if response.status_code != 400 or case.meta is None or not case.meta.generation.mode.is_positive:
        return
    for error in response.json()["errors"]:
        name, value = error["parameter"], error["value"]
        past_the_last_page = name == "page" and value.isdigit() and int(value) > 1
        if not past_the_last_page and not (case.operation.path in EXPLORER_PATHS and name in DEPENDS_ON_DATA):
            raise AssertionError(f"The schema allows {name}={value!r}, which the API refuses: {error['reason']}")
