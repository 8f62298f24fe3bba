"""How well the UN importer tells people apart: pairwise precision and recall on a labelled list of pairs.

Usage: .venv/bin/python benchmarks/people_accuracy.py [--gold tests/ungdc/people_gold.csv] [--speakers XLSX]

Runs statements.ungdc.people.identify() on every row of the speakers sheet, as the importer does (no database
needed), and compares its answer for each labelled pair of rows (same person or not) with the label. Precision:
of the pairs it says are one person, how many are; recall: of the pairs that are one person, how many it finds.
Prints both, the errors, and how long matching the whole sheet took.

The gold list (tests/ungdc/people_gold.csv) holds a random sample of same-country pairs of differently written
names that share a word (seed 14), each labelled by hand, and hard cases chosen by hand: relatives and namesakes,
returns to office, transliterations, names written with and without honorifics, initials or particles.
"""

import argparse
import csv
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from diplotrack.shared_data import UNGDC  # noqa: E402
from statements.ungdc import people, reader  # noqa: E402

DATA = UNGDC
TARGETS = {"precision": 0.98, "recall": 0.95}


def sheet_people(speakers):
    """{(code, year, name as printed): person number} for every row of the sheet."""
    rows = reader.read_speakers(speakers)
    start = time.perf_counter()
    codes = people.country_codes()
    found = people.identify(people.sheet_rows(rows, lambda code, year: reader.country_code(code, year, codes)))
    seconds = time.perf_counter() - start
    person_of = {}
    for number, person in enumerate(found):
        for row in person.rows:
            person_of[row.id[0], row.id[1], row.name] = number
    return person_of, len(rows), len(found), seconds


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gold", type=Path, default=REPO / "tests" / "ungdc" / "people_gold.csv")
    parser.add_argument("--speakers", type=Path, default=DATA / "Speakers_by_session.xlsx")
    args = parser.parse_args()
    if not args.speakers.exists():
        sys.exit(f"The speakers sheet is not at {args.speakers}.")

    person_of, row_count, person_count, seconds = sheet_people(args.speakers)
    counts = {"tp": 0, "fp": 0, "fn": 0, "tn": 0}
    errors = []
    with args.gold.open(newline="") as file:
        for pair in csv.DictReader(file):
            a = person_of[pair["code_a"], int(pair["year_a"]), pair["name_a"]]
            b = person_of[pair["code_b"], int(pair["year_b"]), pair["name_b"]]
            same, said = pair["label"] == "same", a == b
            counts[("t" if same == said else "f") + ("p" if said else "n")] += 1
            if same != said:
                errors.append(pair)
    precision = counts["tp"] / ((counts["tp"] + counts["fp"]) or 1)
    recall = counts["tp"] / ((counts["tp"] + counts["fn"]) or 1)
    pairs = sum(counts.values())
    print(f"{row_count} rows of the speakers sheet: {person_count} people, found in {seconds:.1f} s")
    print(f"gold pairs: {pairs} ({counts['tp'] + counts['fn']} same person, {counts['fp'] + counts['tn']} different)")
    print(f"precision: {precision:.3f} (target {TARGETS['precision']})")
    print(f"recall: {recall:.3f} (target {TARGETS['recall']})")
    print(f"errors: {len(errors)}")
    for pair in errors:
        said = "merged" if pair["label"] == "different" else "kept apart"
        print(
            f"  {said}: {pair['name_a']} ({pair['code_a']} {pair['year_a']}) / {pair['name_b']} "
            f"({pair['code_b']} {pair['year_b']}), {pair['label']}; {pair['note']}"
        )


if __name__ == "__main__":
    main()
