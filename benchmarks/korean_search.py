"""Recall and precision of Korean search on the Korean test set (tests/korean_search_set.py), with the morphemes
DiploTrack indexes (statements.korean) against PostgreSQL's word-for-word parse alone (the simple configuration,
which Korean text had before).

Usage: .venv/bin/python benchmarks/korean_search.py

Each searched word (a noun, a verb in its dictionary form) should find exactly the sentences that hold one of its
inflected forms. Each sentence's search document is made as the trigger makes it (the simple parse of the words,
then the stored morphemes) and matched in PostgreSQL (the embedded server, or DATABASE_URL); no table is read or
written.
"""

import os
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "diplotrack.settings")
os.environ.setdefault("SECRET_KEY", "benchmark-only-not-a-secret")
os.environ.setdefault("ALLOWED_HOSTS", "localhost")
os.environ.setdefault("EMBEDDED_DATABASE", "1")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402

from statements import korean  # noqa: E402
from tests.korean_search_set import NOUN_FORMS, VERB_FORMS, cases  # noqa: E402

MATCH = """
    SELECT number FROM unnest(%s::text[], %s::text[]) WITH ORDINALITY AS s(words, morphemes, number)
     WHERE (to_tsvector('simple', words) || coalesce(morphemes::tsvector, '')) @@ websearch_to_tsquery('simple', %s)
"""


def score(rows, analysed):
    """Micro-averaged precision and recall over the searched words, and the forms missed."""
    texts = [sentence for _, _, sentence in rows]
    documents = [korean.document((text, "A")) if analysed else None for text in texts]
    hits = relevant = returned = 0
    missed = []
    with connection.cursor() as cursor:
        for word in [*NOUN_FORMS, *VERB_FORMS]:
            cursor.execute(MATCH, [texts, documents, korean.analysed(word) if analysed else word])
            got = {number - 1 for (number,) in cursor.fetchall()}
            expected = {n for n, (searched, _, _) in enumerate(rows) if searched == word}
            hits += len(got & expected)
            relevant += len(expected)
            returned += len(got)
            missed += [rows[n][1] for n in sorted(expected - got)]
    return hits / max(returned, 1), hits / relevant, missed


def main():
    rows = cases()
    print(f"{len(rows)} sentences, {len(NOUN_FORMS) + len(VERB_FORMS)} searched words")
    for label, analysed in (("word for word (simple)", False), ("morphemes (kiwipiepy)", True)):
        precision, recall, missed = score(rows, analysed)
        print(f"{label:24} precision {precision:.3f}  recall {recall:.3f}  missed {len(missed)}")
        if analysed and missed:
            print("  missed:", " ".join(missed))


if __name__ == "__main__":
    main()
