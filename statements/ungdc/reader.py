"""Read the UN General Debate Corpus (UNGDC): its speeches, its speakers sheet, and clean names and posts.

Nothing here touches the database: the importer (statements/ungdc/importer.py) turns what
these functions return into statements, officials and positions.

The corpus is one plain-text file per speech, `TXT/Session NN - YYYY/XXX_NN_YYYY.txt` (XXX the ISO
alpha-3 code of the speaking state, or EU), packed as a .tgz or unpacked in a folder; the speakers sheet
(Speakers_by_session.xlsx) has one row per speech since 1946: Year, Session, ISO Code, Country,
Name of Person Speaking, Post. See ../shared/data/ungdc/README.md.
"""

import datetime
import re
import tarfile
import unicodedata
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import openpyxl

from statements.ingest.countries import detect_countries
from statements.text import name_words, normalized

SPEECH_FILE_RE = re.compile(r"^(?P<code>[A-Za-z]{2,4})_(?P<session>\d{1,3})_(?P<year>\d{4})\.txt$")
SESSION_FOLDER_RE = re.compile(r"\bSession\s+\d+\s*-\s*(?P<year>\d{4})\b")
DEBATE_MONTH = 9  # The General Debate opens each September (2020's was virtual, and in September too).

# Codes the speakers sheet gets wrong, as the files spell them.
SHEET_CODE_TYPOS = {"POR": "PRT", "ZFA": "ZAF", "PKR": "PRK", "DKN": "DNK", "CZK": "CSK", "PAR": "PRY", "EC": "EU"}

# The corpus files a state under its successor's code in some years: (code, first year, last year) -> the
# ISO 3166-3 code of the state that spoke. The USSR's speeches are filed as RUS; Serbia and Montenegro's
# (2003-2006) as YUG, which until then was the Federal Republic of Yugoslavia.
HISTORIC_CODES = [("RUS", None, 1991, "SUHH"), ("BLR", None, 1990, "BYAA"), ("YUG", 2003, 2006, "CSXX")]

# Forms of address: always dropped from a name ("Mr. Moon Jae-in" is Moon Jae-in).
STYLES = [
    "his excellency",
    "her excellency",
    "his majesty",
    "her majesty",
    "his royal highness",
    "her royal highness",
    "his serene highness",
    "her serene highness",
    "his highness",
    "her highness",
    "his holiness",
    "his beatitude",
    "the right honourable",
    "the honourable",
    "right honourable",
    "honourable",
    "rt. hon.",
    "hon.",
    "h. e.",
    "h.e.",
    "mr.",
    "mr",
    "mrs.",
    "mrs",
    "ms.",
    "ms",
    "miss",
    "mme.",
    "mme",
    "dr.",
    "dr",
    "prof.",
    "professor",
    "sir",
    "dame",
]
# Ranks and titles of nobility or religion: dropped when at least two words of name remain, so that
# "His Highness Sheikh Tamim bin Hamad Al-Thani" is Tamim bin Hamad Al-Thani, while "Sheikh Hasina" and
# "Pope Francis", known by title and one name, keep them.
TITLES = [
    "crown prince",
    "king",
    "queen",
    "prince",
    "princess",
    "grand duke",
    "emir",
    "amir",
    "sultan",
    "sheikh",
    "sheikha",
    "shaikh",
    "shaikha",
    "pope",
    "cardinal",
    "archbishop",
    "bishop",
    "monsignor",
    "field marshal",
    "marshal",
    "lieutenant general",
    "major general",
    "brigadier general",
    "general",
    "admiral",
    "colonel",
    "captain",
    "dato seri paduka",
    "dato' seri",
    "dato' sri",
    "dato’ seri",
    "dato’ sri",
    "dato seri",
    "dato sri",
    "datuk seri",
    "dato'",
    "dato’",
    "dato",
    "datuk",
    "tan sri",
    "tun",
]


def _prefix_re(words):
    alternatives = "|".join(re.escape(word).replace(r"\ ", r"\s+") for word in sorted(words, key=len, reverse=True))
    # A prefix ends at a space (or is the dotted abbreviation itself): "Mr." and "Mr" but not "Mrinal".
    return re.compile(rf"^(?:{alternatives})(?:\s+|(?<=\.)(?=\S))", re.IGNORECASE)


STYLE_RE = _prefix_re(STYLES)
TITLE_RE = _prefix_re(TITLES)
# A word of three capitals or more that is not a regnal number (Abdullah II, Louis XIV).
SHOUTED_RE = re.compile(r"(?!(?:[IVXL]+)\b)[A-Z][A-Z'’-]*[A-Z]{2}[A-Z'’-]*,?")
SMALL_WORDS = {"a", "an", "and", "at", "de", "del", "for", "in", "of", "on", "the", "to", "with"}


@dataclass(frozen=True)
class Speech:
    """One speech file of the corpus."""

    path: str
    code: str  # As in the file name: "KOR", "EU", "YUG".
    session: int
    year: int
    text: str
    note: str = ""  # What was odd about the file but did not stop it: "not valid UTF-8: ...".

    @property
    def external_id(self):
        return f"ungdc:{self.code}:{self.year}"

    @property
    def date(self):
        return debate_month(self.year)[0]


@dataclass(frozen=True)
class Skip:
    """A file of the corpus that is not a speech, or cannot be read as one."""

    path: str
    reason: str


@dataclass(frozen=True)
class SpeakerRow:
    """One row of the speakers sheet."""

    year: int
    session: int
    code: str  # Cleaned: stray spaces removed, known typos corrected.
    country: str
    name: str  # As printed, spaces collapsed: "Mr. Moon Jae-in".
    post: str  # As printed, spaces collapsed.


# What reading a damaged archive or file can raise.
READ_ERRORS = (OSError, EOFError, ValueError, tarfile.TarError, zlib.error)


def read_corpus(path: Path, *, since: int | None = None, until: int | None = None) -> Iterator[Speech | Skip]:
    """Yield the speeches of a corpus folder or archive from since to until, and what was skipped."""
    for name, read in _entries(path):
        year = _year_of(name)
        if year is not None and ((since and year < since) or (until and year > until)):
            continue
        yield _speech(name, read)


def _entries(path: Path):
    """(name, function returning the bytes) for each regular file of a folder or a tar archive."""
    if path.is_dir():
        for file in sorted(path.rglob("*")):
            if file.is_file():
                yield file.relative_to(path).as_posix(), file.read_bytes
        return
    # The archive is read as a stream: members come in order, each read once when it is wanted.
    with tarfile.open(path, mode="r|*") as archive:
        for member in archive:
            if member.isfile():
                yield member.name, lambda member=member: archive.extractfile(member).read()


def _year_of(name):
    """The year a file belongs to, from its name or its session folder; None when neither says."""
    path = PurePosixPath(name)
    match = SPEECH_FILE_RE.match(path.name)
    if match:
        return int(match["year"])
    match = SESSION_FOLDER_RE.search(str(path.parent))
    return int(match["year"]) if match else None


def _speech(name, read) -> Speech | Skip:
    filename = PurePosixPath(name).name
    if filename == ".DS_Store":
        return Skip(name, "macOS folder settings, not a speech")
    if filename.startswith("._"):
        return Skip(name, "macOS AppleDouble resource file, not a speech")
    if filename.startswith("."):
        return Skip(name, "hidden file, not a speech")
    if not filename.lower().endswith(".txt"):
        return Skip(name, "not a .txt file")
    match = SPEECH_FILE_RE.match(filename)
    if not match:
        return Skip(name, "file name is not CODE_SESSION_YEAR.txt")
    text, note = decode(read())
    if text is None:
        return Skip(name, note)
    if not text:
        return Skip(name, "empty file")
    return Speech(name, match["code"].upper(), int(match["session"]), int(match["year"]), text, note)


def decode(data: bytes) -> tuple[str | None, str]:
    """The text of a speech file and a note on its encoding; None for a file that is not text."""
    note = ""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text, note = data.decode("utf-16", errors="replace"), "UTF-16 text"
    elif b"\x00" in data:
        return None, "binary file (NUL bytes), not text"
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            text = data.decode("utf-8", errors="replace")
            replaced = text.count("\ufffd")
            note = f"not valid UTF-8 (first bad byte at {error.start}): {replaced} character(s) replaced with �"
    return normalized(text).strip(), note  # Stored as every text is: line ends as \n, no control characters.


def read_speakers(path: Path) -> list[SpeakerRow]:
    """The rows of the speakers sheet (the first sheet with the expected headings)."""
    headings = {
        "year": "year",
        "session": "session",
        "iso code": "code",
        "country": "country",
        "name of person speaking": "name",
        "post": "post",
    }
    workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        for sheet in workbook.worksheets:
            rows = sheet.iter_rows(values_only=True)
            header = [clean(cell).casefold() for cell in next(rows, ())]
            columns = {headings[cell]: index for index, cell in enumerate(header) if cell in headings}
            if len(columns) == len(headings):
                return [row for row in (_speaker_row(values, columns) for values in rows) if row]
    finally:
        workbook.close()
    raise ValueError(f"{path} has no sheet with the columns {', '.join(h.title() for h in headings)}.")


def _speaker_row(values, columns):
    def cell(key):
        index = columns[key]
        return values[index] if index < len(values) else None

    try:
        year, session = int(cell("year")), int(cell("session"))
    except (TypeError, ValueError):
        return None
    code = clean(cell("code")).upper()
    return SpeakerRow(
        year=year,
        session=session,
        code=SHEET_CODE_TYPOS.get(code, code),
        country=clean(cell("country")),
        name=clean(cell("name")),
        post=clean(cell("post")),
    )


def clean(value) -> str:
    """A cell as text, spaces (line breaks included) collapsed."""
    if value is None:
        return ""
    # A few cells hold Windows-1252 letters read as control characters: "Dra\x9akovic" is Draškovic.
    return " ".join(normalized(str(value)).split())


def country_code(corpus_code: str, year: int, countries: dict[str, str]) -> str | None:
    """The DiploTrack country code for a corpus code in a year, given {alpha-3 or code: country code}."""
    corpus_code = corpus_code.upper()
    for code, first, last, historic in HISTORIC_CODES:
        if corpus_code == code and (first is None or year >= first) and (last is None or year <= last):
            return historic
    return countries.get(corpus_code)


def person_name(printed: str) -> str:
    """The name of a speaker without forms of address or titles: "H.E. Mr. Moon Jae-in" -> "Moon Jae-in"."""
    name = clean(printed).strip(" ,;:")
    while True:
        shorter = STYLE_RE.sub("", name, count=1)
        if shorter == name:
            shorter = TITLE_RE.sub("", name, count=1)
            if len(shorter.split()) < 2:
                break
        if shorter == name or not shorter:
            break
        name = shorter
    if not any(char.islower() for char in name):
        # "Mr. GENSCHER", "BORISLAV JOVIC": the older rows shout.
        name = name.title()
    # A surname in capitals among other words, as the sheet often prints it: "Mr. George BUSH" is George Bush.
    words = name.split(" ")
    return " ".join(word.title() if SHOUTED_RE.fullmatch(word) or word in ("AL", "EL") else word for word in words)


def name_key(name: str) -> str:
    """A key for matching a person's name: the words in any order, initials left out when words remain.

    The same as Official.name_key (case, accents, hyphens and order ignored: "Tae-yul Cho" is
    "Cho Tae-yul"), except that "Frederick A. Mitchell" is also "Frederick Mitchell".
    """
    words = name_words(name)
    full = [word for word in words if len(word) > 1]
    return " ".join(sorted(full if len(full) >= 2 else words))


def post_title(printed: str) -> str:
    """A post as a role: spaces and capitals made consistent ("Prime minister " -> "Prime Minister")."""
    post = clean(printed).strip(" ,;:.")
    if not any(char.islower() for char in post):
        post = post.lower()  # "PRIME MINISTER": capitals everywhere say nothing of acronyms.
    words = post.split(" ")
    return " ".join(_title_word(word, first=index == 0) for index, word in enumerate(words) if word)


def _title_word(word, *, first):
    parts = word.split("-")
    return "-".join(_title_part(part, first=first and index == 0) for index, part in enumerate(parts))


def _title_part(part, *, first):
    if len(part) > 1 and part.isupper():
        return part  # An acronym: CARICOM.
    if part.lower() in SMALL_WORDS and not first:
        return part.lower()
    return part[:1].upper() + part[1:].lower()


def post_key(role: str) -> str:
    """A key equal for the same post however it is written: "Vice President" is "vice-President",
    "Minister of Foreign Affairs" is "Minister for Foreign Affairs", "Chair of Delegation" is
    "Chair of the delegation"."""
    words = unicodedata.normalize("NFKD", role).casefold().replace("-", " ").replace(",", " ").split()
    return " ".join("for" if word == "of" else word for word in words if word != "the")


def debate_month(year: int) -> tuple[datetime.date, datetime.date]:
    """The first and last days of the month of the year's General Debate."""
    return datetime.date(year, DEBATE_MONTH, 1), datetime.date(year, DEBATE_MONTH, 30)


def ordinal(number: int) -> str:
    suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def occasion(session: int) -> str:
    return f"General Debate of the {ordinal(session)} session of the UN General Assembly"


def government_name(country_name: str) -> str:
    """ "Government of the United Kingdom", "Government of Japan"."""
    the = re.search(
        r"^(United|Republic|Democratic|Federated|Holy|Soviet|Russian Federation)"
        r"|^(Bahamas|Gambia|Netherlands|Philippines|Comoros|Maldives)$|(Islands|Emirates|Republic)$",
        country_name,
    )
    return f"Government of {'the ' if the else ''}{country_name}"


# Cities whose names stand for agreements, conferences and processes made there: "the Paris Agreement" is not
# a mention of France, nor "the Addis Ababa Action Agenda" one of Ethiopia. (Measured on 2014-2024: without
# this, France was "mentioned" in half of all speeches.)
INSTRUMENT_PLACES = (
    "Abu Dhabi|Accra|Addis Ababa|Algiers|Almaty|Arusha|Astana|Baku|Bangkok|Beijing|Beirut|Berlin|Bridgetown|"
    "Brussels|Busan|Cairo|Cartagena|Copenhagen|Cotonou|Doha|Dushanbe|Havana|Helsinki|Istanbul|Jeddah|Juba|"
    "Kampala|Kathmandu|Khartoum|Kyoto|Lima|Lomé|Luanda|Lusaka|Madrid|Maputo|Marrakech|Marrakesh|Mauritius|Minsk|"
    "Monterrey|Moscow|Nairobi|Oslo|Ottawa|Paris|Riyadh|Rome|Samoa|Sochi|Stockholm|Tehran|Tokyo|Ulaanbaatar|"
    "Valletta|Vienna|Vientiane"
)
INSTRUMENT_NOUNS = (
    "Agreements?|Accords?|Conventions?|Declarations?|Protocols?|Statute|Consensus|Pathway|Programme|Program|"
    "Platform|Framework|Agenda|Round|Process|Principles|Outcome|Commitments?|Pact|Road ?map|Format|Summits?|"
    "Conferences?|Communiqu[eé]|Document|Plan|Strategy|Initiative|Treaty|Talks"
)
# No \b before the names: it makes the search four times slower; _blank checks the boundary instead.
INSTRUMENT_RE = re.compile(rf"(?:{INSTRUMENT_PLACES})(?=(?:\s+[A-Z][\w’'-]*){{0,2}}\s+(?i:{INSTRUMENT_NOUNS})\b)")


def without_instrument_names(text: str) -> str:
    """The text with the city names of agreements and conferences blanked, for country detection."""

    def blank(match):
        start = match.start()
        return match[0] if start and (text[start - 1].isalnum() or text[start - 1] == "_") else " "

    return INSTRUMENT_RE.sub(blank, text)


def mentioned_countries(text: str, own: str) -> list[str]:
    """The countries a speech names, as ISO alpha-2 codes in order of first mention, but the speaker's own."""
    korea = "KP" if own == "KP" else "KR"  # What "Korea" alone means.
    return [code for code in detect_countries(without_instrument_names(text), korea=korea) if code != own]
