"""Long texts of unattributed quotations cost work in proportion to their length, never its square."""

import sys

import pytest

from statements.ingest import extract


def calls(text: str) -> int:
    """Python function calls made while extracting: work done, the same on any machine, however busy."""
    count = 0

    def profile(frame, event, arg):
        nonlocal count
        if event == "call":
            count += 1

    sys.setprofile(profile)
    try:
        extract(text)
    finally:
        sys.setprofile(None)
    return count


@pytest.mark.parametrize(
    "shape",
    [
        '"We will not back down number {i}." ',  # one paragraph of quotations
        '"We will not back down number {i}, and the people want it."\n',  # a paragraph each
        '"word{i}", ',  # one sentence of quoted words
        'He said "yes {i}" and "no" ',  # verbs and quotations in one sentence
        'He said "{i} ',  # marks that never close
    ],
)
def test_work_grows_linearly_with_the_number_of_quotations(shape):
    small, large = ("Headline\n" + "".join(shape.format(i=i) for i in range(count)) + "." for count in (1000, 4000))
    extract(large)  # warm the word caches, which a first run fills
    # Four times the quotations: about four times the work; their square would be sixteen times.
    assert calls(large) < 5 * calls(small)
