"""Read the transcript of a briefing: each official's turn is a statement of the labelled speaker.

Briefings carry no quotation marks: their speakers are labels at the start of a line ("SPOKESPERSON LIM:",
"MR MILLER:", "Lin Jian:", "Spokesperson:", "Q:"). A label is resolved to the person the text names ("Spokesperson
Lim Soo-suk" in the header, "Matthew Miller, Department Spokesperson"); journalists' questions and a moderator's
words are not statements; words before the first label belong to the briefer the header names.
"""

import datetime
import re
from dataclasses import dataclass, field

from .countries import detect_countries
from .headers import (
    ASIDE_LINE_RE,
    HONORIFICS,
    Line,
    Organization,
    Person,
    ends_sentence,
    first_country,
    head_role,
    is_end,
    is_heading,
    name_case,
    name_words,
    organizations,
    people,
    set_if_known,
    stated_date,
    text_lines,
    titlecase,
    trim_asides,
    un_context,
)
from .lexicon import EAST_ASIAN_FAMILY_NAMES, NON_NAME_CAPITALS, ROLES, TITLE_WORDS, words
from .records import Extraction, Quotation, Speaker

# "SPOKESPERSON LIM:", "MR. MILLER:", "Lin Jian:", "Yonhap News Agency:", "QUESTION (AFP):", "NHK, Yamada:"; at most
# six words.
LABEL_RE = re.compile(
    r"(?P<label>[A-ZÀ-Þ][\w.'’-]*(?:[^\S\n]+(?:[A-ZÀ-Þ][\w.'’-]*|of|the|for|and|de|la|von|van)){0,5}?)"
    r"(?:,[^\S\n]+(?P<outlet_name>[A-ZÀ-Þ][\w.'’-]*(?:[^\S\n]+[A-ZÀ-Þ][\w.'’-]*)?))?"  # "NHK, Yamada:"
    r"(?:[^\S\n]*\((?P<aside>[^()\n]{1,60})\))?[^\S\n]*:(?:[^\S\n]+|$)"
)
# White House transcripts write a question as "Q" and a tab or spaces, without a colon.
BARE_Q_RE = re.compile(r"(?P<label>Q)(?:\.[^\S\n]+|[^\S\n]{2,}|\t)")
# Labels of a header's fields, not of speakers.
FIELD_LABELS = words(
    """date time venue place location subject topic topics attachment attachments note notes source sources photo
    photos contact contacts tel phone fax email e-mail related tags keywords updated posted published by from to re
    cc url link links title category categories type language released print share summary agenda participants
    moderator's transcript briefing begin end text remarks statement"""
)
QUESTION_WORDS = words(
    """q question questions reporter reporters journalist journalists correspondent correspondents questioner
    interviewer audience participant participants unidentified voice voices press media crosstalk follow-up
    followup"""
)
PROCEDURAL_WORDS = words("""moderator operator host announcer interpreter staff mc master""")
# Titles labels shorten: "SG:" at the Secretary-General's press encounters.
ABBREVIATED = {
    "SG": "Secretary-General",
    "DSG": "Deputy Secretary-General",
    "PM": "Prime Minister",
    "FM": "Foreign Minister",
    "SRSG": "Special Representative of the Secretary-General",
}
# A journalist is often labelled by the outlet: "AFP:", "Yonhap News Agency:", "Global Times:".
OUTLET_ENDINGS = words(
    """news tv times daily post agency press radio broadcasting broadcast network media herald journal group
    channel ilbo shimbun sinmun television wire service gazette tribune telegraph review weekly magazine online
    report"""
)
OUTLETS = words(
    """afp ap reuters bloomberg cctv cgtn xinhua yonhap nhk kyodo jiji tass ria efe kbs mbc sbs jtbc ytn arirang
    sputnik aljazeera al-jazeera anadolu nikkei asahi yomiuri mainichi sankei newsis news1 phoenix bbc cnn abc cbs
    nbc fox npr pbs politico axios dpa ansa reuter ani pti chosun joongang dong-a hankyoreh kyunghyang hankook"""
)
BRIEFER_CONFIDENCE = 0.8
QUESTION_KEYS = frozenset(("Q", "QUESTION", "REPORTER", "JOURNALIST", "CORRESPONDENT"))
MIN_WORDS = 5
NEWS_PROSE_WORDS = 25  # shorter turns ("Go ahead.", "Thank you very much.") hand the floor on, they say nothing
QUESTION_SHARE = 0.5


@dataclass(eq=False, slots=True)
class Label:
    """One way a speaker is labelled, and what it says of them."""

    text: str
    aside: str
    words: list[str]  # title-cased words, honorifics dropped
    role: str  # "official", "question", "procedural"
    turns: list["Turn"] = field(default_factory=list)
    speaker: Speaker | None = None
    confidence: float = 0.0


@dataclass(eq=False, slots=True)
class Turn:
    label: Label | None
    label_start: int
    label_end: int
    start: int
    end: int
    segments: list[tuple[int, int]] = field(default_factory=list)


def _label_at(line: Line) -> re.Match | None:
    match = LABEL_RE.match(line.text) or BARE_Q_RE.match(line.text)
    if match is None:
        return None
    label = match["label"]
    first = label.split()[0].lower().rstrip(".")
    if first in FIELD_LABELS or (len(label.split()) == 1 and label.lower() in FIELD_LABELS):
        return None
    if match.end() >= len(line.text) and match.re is LABEL_RE and len(label.split()) > 3:
        return None
    return match


def labelled_lines(lines: list[Line]) -> list[tuple[Line, re.Match]]:
    return [(line, match) for line in lines if (match := _label_at(line))]


def looks_like_transcript(lines: list[Line]) -> bool:
    """Speaker labels open many lines, at least one of them again and again, and more than one speaker is labelled.

    A news article opens a line with "Name:" now and then (a dateline, a colon introduction), never a third of its
    lines with the same few labels."""
    found = labelled_lines(lines)
    # Turns say something: "Clinton: 547." in a list of results is no turn.
    if len(found) < 3 or sum(1 for line, match in found if len(line.text[match.end() :].split()) >= MIN_WORDS) < 2:
        return False
    counts: dict[str, int] = {}
    for _line, match in found:
        key = _key(match["label"])
        counts[key] = counts.get(key, 0) + 1
    # One speaker labelled again and again, or journalists' questions between the speakers' turns.
    asked = any(_classify(match["label"], "")[0] == "question" for _line, match in found)
    if len(counts) < 2 or (max(counts.values()) < 2 and not asked) or len(found) < 0.25 * len(lines):
        return False
    # A news story that prints an interview or part of a transcript tells its story first, in prose; a transcript
    # opens with its header, at most saying what it is ("The following is a near-verbatim transcript …").
    first = next(
        (line for line, match in found if counts[_key(match["label"])] >= 2 or _key(match["label"]) in QUESTION_KEYS),
        found[0][0],
    )
    for line in lines:
        if line is first:
            return True
        if len(line.text.split()) >= NEWS_PROSE_WORDS and ends_sentence(line.text):
            return False
        if _describes_document(line.text):
            return True
    return True


def _key(label: str) -> str:
    return " ".join(label.upper().replace(".", " ").split())


def _classify(label: str, aside: str) -> tuple[str, list[str]]:
    """The label's role (official, question, procedural) and its words in title case without honorifics."""
    label = ABBREVIATED.get(label.upper().rstrip("."), label)
    plain = titlecase(label) if label.isupper() or (len(label) > 1 and label[1:2].isupper()) else label
    words_ = [word for word in plain.split() if word.lower() not in HONORIFICS]
    lower = [word.lower().rstrip(".") for word in words_]
    if not lower:
        return "official", words_
    if lower[0] in QUESTION_WORDS or lower == ["q"]:
        return "question", words_
    if lower[0] in PROCEDURAL_WORDS:
        return "procedural", words_
    aside_words = aside.lower().split()
    if _is_outlet(lower) or (aside_words and _is_outlet(aside_words) and not _has_title(lower)):
        return "question", words_
    return "official", words_


def _is_outlet(lower: list[str]) -> bool:
    joined = "".join(lower)
    return lower[-1] in OUTLET_ENDINGS or any(word in OUTLETS for word in lower) or joined in OUTLETS


def _has_title(lower: list[str]) -> bool:
    return any(word in TITLE_WORDS for word in lower)


def read_transcript(
    text: str, published: datetime.date | None, article: Extraction | None = None, korea: str = "KR"
) -> Extraction:
    """The officials' turns of a briefing transcript as quotations of kind "speech"; korea: what "Korea" means.

    Quotations of the text read as an article (article) that stand outside every turn are kept: a news story
    that prints part of a transcript still quotes people around it."""
    reader = _TranscriptReader(text, published, korea)
    extraction = reader.read()
    if article is not None:
        turns = [(turn.label_start if turn.label else turn.start, turn.end) for turn in reader.turns]
        extraction = _with_quotations_outside_turns(extraction, article, turns)
    return extraction


class _TranscriptReader:
    def __init__(self, text: str, published: datetime.date | None, korea: str) -> None:
        self.text = text
        self.korea = korea
        self.published = published
        self.lines = text_lines(text)
        self.labels: dict[str, Label] = {}
        self.turns: list[Turn] = []

    def read(self) -> Extraction:
        first_label = self._turns()
        header = self.lines[:first_label]
        self.people = people(self.text, header)
        self.body_people = people(self.text, self.lines[first_label:])
        orgs = organizations(self.text, header)
        self.organization: Organization | None = orgs[0] if orgs else None
        self.un = un_context(header)
        self.country = (
            self.organization.country if self.organization and self.organization.country else first_country(header)
        )
        if self.un and (self.organization is None or "Spokesperson" in self.organization.name):
            self.country = None
        date = stated_date(header, self.published)
        for label in list(self.labels.values()):
            self._resolve(label)
        briefer = self._briefer()
        korea = self.korea
        quotations, speakers = [], []
        for turn in self.turns:
            label = turn.label
            speaker = label.speaker if label else briefer
            confidence = label.confidence if label else BRIEFER_CONFIDENCE
            if (label is not None and label.role != "official") or speaker is None:
                continue
            if len(self.text[turn.start : turn.end].split()) < MIN_WORDS:
                continue
            labelled = turn.label_end > turn.label_start
            for start, end in turn.segments:
                words_ = self.text[start:end]
                quotation = Quotation(
                    quote=words_,
                    start=start,
                    end=end,
                    kind="speech",
                    speaker=speaker,
                    mention=self.text[turn.label_start : turn.label_end] if labelled else None,
                    mention_start=turn.label_start if labelled else None,
                    mention_end=turn.label_end if labelled else None,
                    date=date or self.published,
                    countries=detect_countries(words_, korea=korea),
                    confidence=confidence,
                )
                set_if_known(quotation, date_basis="stated" if date else "publication")
                quotations.append(quotation)
                if speaker is not None and all(speaker is not known for known in speakers):
                    speakers.append(speaker)
        return Extraction(quotations=quotations, speakers=speakers, kind="transcript")

    # Turns

    def _turns(self) -> int:
        """Split the lines into turns at labels; returns the index of the first labelled line."""
        lines = self.lines
        found = {id(line): match for line, match in labelled_lines(lines)}
        first = next((index for index, line in enumerate(lines) if id(line) in found), len(lines))
        opening = self._opening_start(first) if first < len(lines) else None
        current: Turn | None = None
        if opening is not None:
            current = Turn(None, 0, 0, lines[opening].start, lines[opening].start)
        for line in lines[opening if opening is not None else first :]:
            if is_end(line.text):
                break
            match = found.get(id(line))
            if match is not None:
                self._close(current)
                label = self._label(match["label"], match.groupdict().get("aside") or "")
                start = line.start + match.end()
                current = Turn(label, line.start, line.start + match.end("label"), start, start)
                label.turns.append(current)
                self.turns.append(current)
                if start < line.end:
                    current.segments.append((start, line.end))
                continue
            if current is None:
                continue
            if current.label is None and not self.turns:
                self.turns.append(current)
            if ASIDE_LINE_RE.match(line.text):
                continue
            if is_heading(line.text):
                current.segments.append((-1, -1))  # a break: what follows is another segment
                continue
            current.segments.append((line.start, line.end))
        self._close(current)
        return first

    def _opening_start(self, first_label: int) -> int | None:
        """Where the unlabelled words before the first label begin, after the header's lines."""
        for index, line in enumerate(self.lines[:first_label]):
            if ends_sentence(line.text) and not _describes_document(line.text):
                return index
        return None

    def _close(self, turn: Turn | None) -> None:
        if turn is None:
            return
        segments, run = [], None
        for start, end in [*turn.segments, (-1, -1)]:
            if start < 0:
                if run:
                    segments.append(run)
                run = None
            elif run is None:
                run = (start, end)
            else:
                run = (run[0], end)
        turn.segments = []
        for start, end in segments:
            end = trim_asides(self.text, start, end)
            if end > start:
                turn.segments.append((start, end))
        if turn.segments:
            turn.start, turn.end = turn.segments[0][0], turn.segments[-1][1]

    def _label(self, label: str, aside: str) -> Label:
        key = _key(label) + ("" if not aside else f" ({aside.upper()})")
        if key not in self.labels:
            role, label_words = _classify(label, aside)
            self.labels[key] = Label(label, aside, label_words, role)
        return self.labels[key]

    # Speakers

    def _briefer(self) -> Speaker | None:
        """Who speaks the unlabelled words before the first label: the briefer the header names."""
        person = self._briefer_person()
        return self._speaker(person.name, person.title) if person is not None else None

    def _briefer_person(self) -> Person | None:
        """The one person the header names, or the spokesperson among them."""
        if len(self.people) == 1:
            return self.people[0]
        spokespeople = [person for person in self.people if person.role == "spokesperson"]
        return spokespeople[0] if len(spokespeople) == 1 else None

    def _resolve(self, label: Label) -> None:
        if label.role == "official" and label.turns and not self._titled(label):
            # An untitled name whose turns are mostly questions is a journalist's ("MATT LEE:").
            asked = sum(1 for turn in label.turns if self.text[turn.start : turn.end].rstrip().endswith("?"))
            if asked >= QUESTION_SHARE * len(label.turns) and not self._header_person(label):
                label.role = "question"
        if label.role != "official":
            return
        title_words, names = _title_and_name(label.words)
        title = " ".join(title_words)
        if names:
            person = self._header_person(label)
            if person is not None:
                label.speaker, label.confidence = self._speaker(person.name, person.title or title), 0.95
                return
            # A full name in the label ("Vladimir Putin:", "LIN JIAN:") is the name; a family name alone is completed.
            full = self._full_name(names) if len(names) == 1 else None
            if full:
                label.speaker, label.confidence = self._speaker(full, title), 0.85
                return
            label.speaker = self._speaker(name_case(" ".join(names)), title)
            # "LIN JIAN" is a full name; "MR. KIM" names nobody the text introduces.
            label.confidence = 0.7 if len(names) > 1 else 0.5
            return
        if not title_words and label.text.upper() == "A":
            person = self._briefer_person()
            if person is not None:
                label.speaker, label.confidence = self._speaker(person.name, person.title), 0.7
            return
        role = head_role(title)
        holders = [person for person in self.people if person.role == role]
        if len({person.name for person in holders}) == 1:
            person = holders[0]
            label.speaker, label.confidence = self._speaker(person.name, person.title), 0.9
            return
        organization = self._organization_name()
        label.speaker = Speaker(
            description=title,
            title=title,
            organization=organization,
            country=self.country,
            mentions=[label.text],
        )
        label.confidence = 0.5  # a role ("SECRETARY-GENERAL:"), not who held it

    def _titled(self, label: Label) -> bool:
        return (
            any(word.lower().rstrip(".") in TITLE_WORDS for word in label.words)
            or label.text.split()[0].lower() in HONORIFICS
        )

    def _header_person(self, label: Label) -> Person | None:
        wanted = name_words(" ".join(_title_and_name(label.words)[1]))
        if not wanted:
            return None
        for person in [*self.people, *self.body_people]:
            if wanted <= person.name_words:
                return person
        return None

    def _full_name(self, names: list[str]) -> str | None:
        """The fullest form of a labelled name the text gives: "LIM" -> "Lim Soo-suk"."""
        surname = name_case(names[-1] if len(names) == 1 else " ".join(names))
        # On one line; an initial is one letter ("Antony J. Blinken"), "Korea." ends a sentence.
        pattern = re.compile(
            rf"(?:(?P<before>(?:(?:[A-Z]\.|[A-ZÀ-Þ][\w'’-]*)[ \t]+){{1,2}}){re.escape(surname)}\b"
            rf"|\b{re.escape(surname)}[ \t]+(?P<after>[A-Z][a-z]+-[a-z]+|[A-Z][a-z]+)\b)"
        )
        best = None
        for match in pattern.finditer(self.text):
            if match["before"]:
                given = match["before"].split()
                while given and (given[0] in NON_NAME_CAPITALS or given[0].lower().rstrip(".") in TITLE_WORDS):
                    given.pop(0)
                if given and all(word.lower().rstrip(".") not in TITLE_WORDS for word in given):
                    candidate = " ".join([*given, surname])
                else:
                    continue
            elif match["after"] and (surname in EAST_ASIAN_FAMILY_NAMES or "-" in match["after"]):
                if match["after"].lower() in TITLE_WORDS or match["after"] in NON_NAME_CAPITALS:
                    continue
                candidate = f"{surname} {match['after']}"
            else:
                continue
            if best is None or len(candidate) > len(best):
                best = candidate
        return best

    def _organization_name(self) -> str | None:
        if self.organization is not None:
            return self.organization.name
        return "United Nations" if self.un else None

    def _speaker(self, name: str, title: str) -> Speaker:
        for label in self.labels.values():
            if label.speaker is not None and label.speaker.name == name:
                return label.speaker
        return Speaker(
            name=name,
            title=title or None,
            organization=self._organization_name(),
            country=self.country,
            mentions=[name],
        )


def _title_and_name(label_words: list[str]) -> tuple[list[str], list[str]]:
    """ "Spokesperson Lim" -> (["Spokesperson"], ["Lim"]); "Senior Administration Official" is a title alone."""
    lower = [word.lower().rstrip(".") for word in label_words]
    if lower and (lower[-1] in TITLE_WORDS or lower[-1] in ROLES):
        return label_words, []
    split = 0
    while split < len(lower) and lower[split] in TITLE_WORDS:
        split += 1
    return label_words[:split], label_words[split:]


def _with_quotations_outside_turns(
    extraction: Extraction, article: Extraction, turns: list[tuple[int, int]]
) -> Extraction:
    outside = [
        quotation
        for quotation in article.quotations
        if not any(start < quotation.end and quotation.start < end for start, end in turns)
    ]
    if not outside:
        return extraction
    quotations = sorted([*extraction.quotations, *outside], key=lambda quotation: quotation.start)
    speakers = list(extraction.speakers)
    for quotation in outside:
        if quotation.speaker is not None and all(quotation.speaker is not known for known in speakers):
            speakers.append(quotation.speaker)
    return Extraction(quotations=quotations, speakers=speakers, kind=extraction.kind)


DOCUMENT_WORDS_RE = re.compile(
    r"\b(?:transcript|the following|as delivered|check against delivery|near-verbatim|briefing by|press "
    r"conference by|remarks by)\b",
    re.IGNORECASE,
)


def _describes_document(line: str) -> bool:
    """A header's sentence about the transcript itself ("The following is a near-verbatim transcript …")."""
    return bool(DOCUMENT_WORDS_RE.search(line))
