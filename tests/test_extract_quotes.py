import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from statements.models import Official
from tests.shared import SAMPLE, need

REPO = Path(__file__).resolve().parents[1]
KEYS = [
    "quote",
    "start",
    "end",
    "kind",
    "speaker",
    "mention",
    "mention_start",
    "mention_end",
    "cue",
    "date",
    "countries",
    "confidence",
    "date_basis",
    "official",
]
ARTICLE = """Envoys meet in Seoul
South Korean Foreign Minister Cho Tae-yul said Tuesday that talks went well.
"We agreed to meet again soon in Tokyo," Cho said.
"""


@pytest.fixture
def sample():
    return need(SAMPLE, "The shared sample article")


def extract_quotes(*args):
    """The command's output lines and error text, and the CommandError if it failed."""
    stdout, stderr = io.StringIO(), io.StringIO()
    try:
        call_command("extract_quotes", *map(str, args), stdout=stdout, stderr=stderr)
        error = None
    except CommandError as raised:
        error = raised
    return stdout.getvalue().splitlines(), stderr.getvalue(), error


@pytest.mark.django_db
def test_json_gives_every_key_of_the_contract_with_offsets_into_the_file(sample):
    call_command("load_demo", stdout=io.StringIO())
    lines, errors, error = extract_quotes(sample, "--published", "2024-11-12")
    assert (error, errors, len(lines)) == (None, "", 1)
    record = json.loads(lines[0])
    assert record["file"] == str(sample)
    text = sample.read_bytes().decode("utf-8")
    cho = Official.objects.get(slug="cho-tae-yul")
    assert len(record["quotes"]) >= 14
    for quote in record["quotes"]:
        assert list(quote) == KEYS
        assert text[quote["start"] : quote["end"]] == quote["quote"]
        if quote["mention"] is not None:
            assert text[quote["mention_start"] : quote["mention_end"]] == quote["mention"]
        assert quote["kind"] in ("direct", "partial")
        assert quote["date"] == "2024-11-12"
        assert all(len(code) == 2 for code in quote["countries"])
        expected = cho.pk if quote["speaker"] == "Cho Tae-yul" else None
        assert quote["official"] == expected, quote
    speakers = {quote["speaker"] for quote in record["quotes"]}
    assert speakers == {"Cho Tae-yul", "senior Foreign Ministry official"}


@pytest.mark.django_db
def test_each_file_is_one_line_and_offsets_count_newlines_untouched(tmp_path):
    crlf = tmp_path / "crlf.txt"
    crlf.write_bytes(ARTICLE.replace("\n", "\r\n").encode())
    plain = tmp_path / "plain.txt"
    plain.write_text(ARTICLE)
    lines, _, error = extract_quotes(crlf, plain)
    assert error is None and len(lines) == 2
    for line, path in zip(lines, [crlf, plain], strict=True):
        record = json.loads(line)
        (quote,) = record["quotes"]
        text = path.read_bytes().decode()
        assert text[quote["start"] : quote["end"]] == quote["quote"] == "We agreed to meet again soon in Tokyo,"
        assert quote["date"] is None  # no --published: "Tuesday" cannot be read
        assert quote["official"] is None
    assert json.loads(lines[0])["quotes"][0]["start"] == json.loads(lines[1])["quotes"][0]["start"] + 2


@pytest.mark.django_db
def test_the_text_format_is_a_listing_for_people(tmp_path):
    path = tmp_path / "article.txt"
    path.write_text(ARTICLE)
    lines, _, error = extract_quotes(path, "--format", "text", "--published", "2024-11-12")
    assert error is None
    assert lines[0] == f"{path}: 1 quotation"
    assert "2024-11-12 · direct · Cho Tae-yul · as “Cho said” · countries JP" in lines[1]
    assert "“We agreed to meet again soon in Tokyo,”" in lines[2]


@pytest.mark.django_db
def test_an_article_without_quotations_gives_an_empty_list(tmp_path):
    path = tmp_path / "none.txt"
    path.write_text("Talks resume\nThe ministers met in Seoul and agreed to meet again next month in Tokyo.\n")
    lines, _, error = extract_quotes(path)
    assert error is None
    assert json.loads(lines[0]) == {"file": str(path), "kind": "article", "quotes": [], "doubled_left_out": 0}


@pytest.mark.django_db
def test_quotations_in_doubled_marks_are_counted_and_returned_when_asked(tmp_path):
    path = tmp_path / "archive.txt"
    path.write_text(ARTICLE.replace('"', "''"))
    lines, _, error = extract_quotes(path)
    assert error is None
    record = json.loads(lines[0])
    assert (record["quotes"], record["doubled_left_out"]) == ([], 1)

    lines, _, error = extract_quotes(path, "--format", "text")
    assert error is None
    assert lines[:2] == [
        f"{path}: no quotations",
        "     1 more between doubled marks (''…'') left out: --doubled-marks returns them",
    ]

    lines, _, error = extract_quotes(path, "--doubled-marks", "--published", "2024-11-12")
    assert error is None
    record = json.loads(lines[0])
    assert [(quote["quote"], quote["speaker"]) for quote in record["quotes"]] == [
        ("We agreed to meet again soon in Tokyo,", "Cho Tae-yul")
    ]
    assert record["doubled_left_out"] == 0


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("missing.txt", None, "no such file"),
        ("folder", "dir", "is a directory"),
        ("binary.bin", b"\x89PNG\r\n\x1a\n\x00\x00", "a binary file"),
        ("latin1.txt", "Café said “hello”".encode("latin-1", "replace"), "not UTF-8 text"),
        ("empty.txt", b"", "empty file"),
        ("blank.txt", b" \n\n\t\n", "empty file"),
    ],
)
def test_a_bad_file_is_named_on_stderr_and_the_others_are_still_read(tmp_path, name, content, message):
    bad = tmp_path / name
    if content == "dir":
        bad.mkdir()
    elif content is not None:
        bad.write_bytes(content)
    good = tmp_path / "good.txt"
    good.write_text(ARTICLE)
    lines, errors, error = extract_quotes(bad, good)
    assert errors.startswith(f"{bad}: {message}")
    assert len(errors.splitlines()) == 1
    assert [json.loads(line)["file"] for line in lines] == [str(good)]
    assert isinstance(error, CommandError)
    assert "1 of 2 file(s) could not be read" in str(error)


TRANSCRIPT = """Regular Press Briefing by Spokesperson Lim Soo-suk
November 12, 2024
SPOKESPERSON LIM: Good afternoon. The Minister will visit Lima this week for the APEC meeting.
Q: Will he meet his Japanese counterpart there?
SPOKESPERSON LIM: The two ministers are expected to meet, and the details are being coordinated.
"""


@pytest.mark.django_db
def test_each_file_is_read_as_its_kind_unless_told(tmp_path):
    briefing = tmp_path / "briefing.txt"
    briefing.write_text(TRANSCRIPT)
    article = tmp_path / "article.txt"
    article.write_text(ARTICLE)
    lines, _, error = extract_quotes(briefing, article)
    assert error is None
    read, news = map(json.loads, lines)
    assert (read["kind"], news["kind"]) == ("transcript", "article")
    assert [(quote["speaker"], quote["kind"], quote["mention"]) for quote in read["quotes"]] == [
        ("Lim Soo-suk", "speech", "SPOKESPERSON LIM"),
        ("Lim Soo-suk", "speech", "SPOKESPERSON LIM"),
    ]
    for quote in read["quotes"]:
        assert list(quote) == KEYS
        assert TRANSCRIPT[quote["mention_start"] : quote["mention_end"]] == quote["mention"]
        assert quote["date"] == "2024-11-12"

    lines, _, error = extract_quotes(briefing, "--kind", "release", "--format", "text")
    assert error is None
    assert lines[0] == f"{briefing}: 1 quotation, read as a release"


@pytest.mark.django_db
def test_an_unknown_kind_is_refused(tmp_path):
    path = tmp_path / "article.txt"
    path.write_text(ARTICLE)
    lines, _, error = extract_quotes(path, "--kind", "memo")
    assert lines == []
    assert "invalid choice: 'memo'" in str(error)


@pytest.mark.django_db
def test_an_invalid_publication_date_is_refused(tmp_path):
    path = tmp_path / "article.txt"
    path.write_text(ARTICLE)
    lines, _, error = extract_quotes(path, "--published", "2024-02-30")
    assert lines == []
    assert "invalid date '2024-02-30': give it as YYYY-MM-DD" in str(error)


@pytest.mark.slow
def test_from_the_command_line_failure_is_a_message_and_a_status_not_a_traceback(tmp_path):
    good = tmp_path / "good.txt"
    good.write_text("Talks resume\nThe ministers met in Seoul and agreed to meet again next month.\n")
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings"}
    run = subprocess.run(
        [sys.executable, "manage.py", "extract_quotes", str(tmp_path / "missing.txt"), str(good)],
        cwd=REPO,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 1
    assert "Traceback" not in run.stderr
    assert f"{tmp_path / 'missing.txt'}: no such file" in run.stderr
    assert json.loads(run.stdout) == {"file": str(good), "kind": "article", "quotes": [], "doubled_left_out": 0}

    run = subprocess.run(
        [sys.executable, "manage.py", "extract_quotes", str(good), "--published", "yesterday"],
        cwd=REPO,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 2
    assert "Traceback" not in run.stderr
    assert "invalid date 'yesterday'" in run.stderr
