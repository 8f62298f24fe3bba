"""Korean news articles and briefing transcripts: who said what, by the rules of Korean news writing.

Korean news quotes in “…” (or "…") and closes the sentence with a quotative particle and a speech verb:
“…”라고 말했다 / 밝혔다 / 강조했다 / 전했다 / 덧붙였다, “…”며 …. The speaker is the sentence's subject, marked by
은/는/이/가, before the quotation or between it and the verb: 조태열 외교부 장관은 (name, then organization and
title), 조 장관은 (surname and title: the person introduced so), 그는 (the last person named), 외교부 당국자는,
고위 당국자는, 정부 소식통은 (an unnamed speaker with an organization). Indirect speech, …다고 말했다 / 밝혔다,
is a paraphrase by the subject. Dates: 지난 12일 and 12일 (the publication's month, or the one before), 11월 12일,
2024년 11월 12일, 이날 (the day the article last named, else the publication's). A briefing transcript's
spokesperson turns (대변인: …) are statements of kind "speech"; questions (질문:, 기자:, 문:) are not.

Plain Python and regular expressions, like the rest of the extractor: no analyser is loaded.
"""

import datetime
import re
from dataclasses import dataclass

from statements.korean import SURNAMES

from .countries import detect_countries
from .records import Extraction, Quotation, Speaker

HANGUL_RE = re.compile(r"[가-힣]")
LATIN_RE = re.compile(r"[A-Za-z]")
QUOTE_RE = re.compile(r"“([^“”\n]+)”|\"([^\"\n]+)\"")
# The particle that closes a quotation reported as speech (“…”라고, “…”고, “…”며).
QUOTATIVE_RE = re.compile(r"(?:이?라고|고|이?라며|며|면서|이?라면서|이?라는\s+말을)(?=[\s,]|$)")
SPEECH_STEMS = (
    "말하 말했 말한 말해 밝히 밝혔 밝힌 밝혀 강조 전했 전하 전한 덧붙 설명 언급 지적 주장 촉구 경고 비판 "
    "답했 답하 답변 역설 당부 요청 부연 평가 규정 반박 일축 토로 발표 물었 질문 약속 다짐 시사 피력 호소 "
    "우려 제안 비난 규탄 말씀 얘기 이야기 거론 예고 확인 했다"  # 했다 alone: “…”라고 했다.
).split()
SPEECH_END_RE = re.compile(r"(?:다|습니다|어요|요)[.?!]?$")
SENTENCE_END_RE = re.compile(r"(?<=[다요까])[.?!](?=\s|$)|\n")
# Titles and descriptions that head a speaker's phrase.
TITLES = (
    "장관 차관 제1차관 제2차관 대변인 부대변인 대통령 부통령 총리 대사 위원장 부위원장 국무장관 외무상 외무장관 "
    "외교부장 부장 부부장 의원 실장 안보실장 수석 비서관 본부장 대표 특별대표 사무총장 보좌관 국무위원장 총비서 "
    "주석 차관보 국장 과장 특사 대행 장관대행 대통령실장 안보보좌관 국가안보보좌관 조정관 담당관"
).split()
UNNAMED = ("당국자", "관계자", "소식통")
ORGANIZATIONS = (
    "외교부 통일부 국방부 대통령실 청와대 국가안보실 정부 국무부 백악관 국방부 외무성 국무원 크렘린 유엔 "
    "안보리 나토 합참 합동참모본부 국정원 국가정보원 주한미군 노동당 조선중앙통신 외교부장 국회"
).split()
COUNTRY_WORDS = {
    "한국": "KR",
    "우리": "KR",
    "미국": "US",
    "미": "US",
    "북한": "KP",
    "북": "KP",
    "중국": "CN",
    "중": "CN",
    "일본": "JP",
    "일": "JP",
    "러시아": "RU",
    "러": "RU",
    "영국": "GB",
    "프랑스": "FR",
    "독일": "DE",
    "우크라이나": "UA",
}
# The English names of the organizations Korean news names most, for linking to the database's records.
ENGLISH_ORGANIZATIONS = {
    "외교부": "Ministry of Foreign Affairs",
    "통일부": "Ministry of Unification",
    "국방부": "Ministry of National Defense",
    "대통령실": "Office of the President",
    "국가안보실": "National Security Office",
    "국무부": "Department of State",
    "백악관": "White House",
    "외무성": "Ministry of Foreign Affairs",
}
DESCRIBING = ("고위", "정부", "외교", "당국", "전", "현", "신임", "당시")
SUBJECT_PARTICLES = ("은", "는", "이", "가")
# What may stand between a subject and the words it reports: the day, the setting, an adverb (이날 기자회견에서 또).
SETTING_RE = re.compile(
    r"(?:이날|지난\s+\d+일|\d+일|또|또한|다시|거듭|특히|아울러|이어|[가-힣]+(?:에서|에게|들에게))[,]?\s+"
)
INTRODUCING_PARTICLES = ("은", "는", "이", "가", "과", "와", "의", "도", "을", "를", "에게", "에")
DATE_RE = re.compile(
    r"(?:(?P<year>(?:19|20)\d\d)년\s*)?(?:(?P<month>1[0-2]|[1-9])월\s*)?(?P<day>3[01]|[12]\d|[1-9])일(?![가-힣])"
    r"|(?P<that_day>이날)|(?P<relative>오늘|어제|그제)(?![가-힣])"
)
DAYS_BEFORE = {"오늘": 0, "어제": 1, "그제": 2}
LABEL_RE = re.compile(r"^\s*(?P<label>대변인|부대변인|질문|기자|문|답|답변|사회자)\s*[:：]\s*", re.MULTILINE)
QUESTION_LABELS = {"질문", "기자", "문", "사회자"}
# A spokesperson's words that only hand the floor on: no statement.
HANDOVERS_RE = re.compile(r"^(?:네[.,]?|다음 질문 받겠습니다\.?|더 질문 없으십니까\?|감사합니다\.?)$")


def is_korean(text: str) -> bool:
    """Whether a text is written in Korean: more Hangul syllables than Latin letters."""
    if HANGUL_RE.search(text) is None:  # Most texts: nothing to count.
        return False
    return len(HANGUL_RE.findall(text)) > len(LATIN_RE.findall(text))


def looks_like_korean_transcript(text: str) -> bool:
    labels = [match["label"] for match in LABEL_RE.finditer(text)]
    return sum(label in ("대변인", "부대변인", "답", "답변") for label in labels) >= 1 and len(labels) >= 2


@dataclass
class Phrase:
    """The words naming a speaker in a sentence, and who they name."""

    start: int
    end: int
    speaker: Speaker
    how: str  # "name", "pronoun", "description", "organization"


def read_korean(text: str, published: datetime.date | None, kind: str) -> Extraction:
    """A Korean article's quotations, or a Korean briefing's spokesperson turns (kind "transcript")."""
    reader = _Reader(text, published)
    return reader.transcript() if kind == "transcript" else reader.article()


class _Reader:
    def __init__(self, text: str, published: datetime.date | None) -> None:
        self.text = text
        self.published = published
        self.people: list[Speaker] = []
        self.unnamed: dict[str, Speaker] = {}
        self.last_person: Speaker | None = None
        self.last_organization: str | None = None
        self.last_subject: Phrase | None = None
        self.dates = self._dates()

    # Articles.

    def _introductions(self):
        """Register the people the article introduces by name and title anywhere (조태열 외교부 장관과 왕이 중국
        외교부장이 회담했다), so that 조 장관, 왕 부장 and 그 find them wherever they speak."""
        quoted = re.compile(QUOTE_RE.pattern + r"(?:이?라고|고|이?라며|며)?")
        outside = quoted.sub(lambda match: " " * len(match.group()), self.text)
        for match in re.finditer(r"[가-힣]+", outside):
            stem = _without_particle(match.group(), INTRODUCING_PARTICLES) or match.group()
            if stem in TITLES:
                particle = match.group()[len(stem) :]
                self._subject(max(0, match.start() - 60), match.end(), particles=(particle,), last_only=True)
        self.last_person = None
        for person in self.people:
            person.mentions.clear()
        self.unnamed.clear()

    def article(self) -> Extraction:
        self._introductions()
        quotations: list[Quotation] = []
        for start, end in self._sentences():
            sentence = self.text[start:end]
            quotes = list(QUOTE_RE.finditer(sentence))
            found = self._quoted(start, end, quotes) if quotes else self._indirect(start, end)
            quotations += found
            # Who a later quotation without a subject of its own (“…”라고 덧붙였다) continues: the last speaker
            # quoted, or the subject of a sentence since (조 장관은 기자회견을 열었다).
            if found:
                last = found[-1]
                self.last_subject = Phrase(last.mention_start, last.mention_end, last.speaker, "follow-on")
            elif (phrase := self._subject(start, end)) is not None:
                self.last_subject = Phrase(phrase.start, phrase.end, phrase.speaker, "follow-on")
            # The organization an unnamed official of a later sentence (고위 당국자) speaks for, if it names none.
            words = re.findall(r"[가-힣]+", QUOTE_RE.sub(" ", sentence))
            organizations = [word for word in words if _is_organization(_without_particle(word) or word)]
            if organizations:
                self.last_organization = _without_particle(organizations[-1]) or organizations[-1]
        return self._finish(quotations, "article")

    def _sentences(self):
        """(start, end) of each sentence; a quotation holds sentences of its own, so a sentence ends outside them."""
        quoted = [match.span() for match in QUOTE_RE.finditer(self.text)]
        start = 0
        for match in SENTENCE_END_RE.finditer(self.text):
            if any(first < match.start() < last for first, last in quoted):
                continue
            yield from self._nonblank(start, match.end())
            start = match.end()
        yield from self._nonblank(start, len(self.text))

    def _nonblank(self, start, end):
        while start < end and self.text[start].isspace():
            start += 1
        if start < end:
            yield start, end

    def _quoted(self, start, end, quotes):
        found = []
        sentence = self.text[start:end]
        after_last = sentence[quotes[-1].end() :]
        tail = after_last.strip()
        reported = QUOTATIVE_RE.match(tail) is not None and self._ends_in_speech(tail)
        for match in quotes:
            words = match.group(1) or match.group(2)
            q_start = start + match.start() + 1
            q_end = q_start + len(words)
            following = sentence[match.end() :].lstrip()
            direct = reported and (QUOTATIVE_RE.match(following) is not None or match is not quotes[-1])
            if not direct and not self._ends_in_speech(tail):
                continue  # A quoted term, a title: no statement.
            # The subject before the quotation, else between it (and its particle) and the verb.
            after = start + match.end()
            particle = QUOTATIVE_RE.match(self.text, after, end)
            phrase = self._subject(start, start + match.start()) or self._subject(
                particle.end() if particle else after, end
            )
            if phrase is None and direct:
                phrase = self.last_subject
            if phrase is None:
                continue
            found.append(self._quotation(words, q_start, q_end, "direct" if direct else "partial", phrase, start))
        return found

    def _indirect(self, start, end):
        """…다고 말했다: the subject's words reported, a paraphrase."""
        sentence = self.text[start:end]
        match = re.search(r"(?:다|라|까|냐|자)고\s+(?:[가-힣]+\s+){0,3}?([가-힣]+)[.?!]?\s*$", sentence)
        if not match or not any(match.group(1).startswith(stem) for stem in SPEECH_STEMS):
            return []
        phrase = self._subject(start, start + match.start())
        if phrase is None:
            return []
        # The reported clause: after the subject's particle, past dates and settings (이날, 기자회견에서).
        rest = self.text[phrase.end : start + match.start() + 1]
        offset = phrase.end + re.match(r"(?:은|는|이|가)?\s*", rest).end()
        words = self.text[offset : start + match.start() + 1]
        while True:
            first = re.match(
                r"(?:이날|지난\s+\d+일|\d+일|또|또한|다시|거듭|특히|아울러|이어|[가-힣]+(?:에서|에게|들에게))[,]?\s+",
                words,
            )
            if not first:
                break
            offset += first.end()
            words = words[first.end() :]
        if len(words) < 6:
            return []
        return [self._quotation(words, offset, offset + len(words), "paraphrase", phrase, start)]

    def _ends_in_speech(self, tail):
        """Whether the sentence ends in a speech verb (밝혔다), or in one and 있다 (말한 바 있다)."""
        words = re.findall(r"[가-힣]+", tail)
        if not words or SPEECH_END_RE.search(tail.rstrip()) is None:
            return False
        verbs = words[-3:-1] if words[-1] in ("있다", "있습니다") else words[-1:]
        return any(verb.startswith(stem) for verb in verbs for stem in SPEECH_STEMS)

    # Speakers.

    def _subject(self, start, end, particles=SUBJECT_PARTICLES, *, last_only=False):
        """The last subject phrase in text[start:end] that names a speaker: words, then 은/는/이/가 (last_only: the
        phrase of its last word, or None)."""
        region = self.text[start:end]
        words = [(m.start() + start, m.end() + start, m.group()) for m in re.finditer(r"[^\s“”\",]+", region)]
        for index in range(len(words) - 1, -1 if not last_only else len(words) - 2, -1):
            _, w_end, word = words[index]
            stem = _without_particle(word, particles)
            if stem is None:
                continue
            first, named = index, 0
            while first > 0 and index - first < 5:
                before, following = words[first - 1][2], stem if first == index else words[first][2]
                if _describing(before) or before in TITLES or before in ("이", "그") or before in SURNAMES:
                    first -= 1
                elif (
                    named < 2
                    and re.fullmatch(r"[가-힣]{1,4}(?<![과와을를의에은는가])", before)
                    and (_describing(following) or following in TITLES or named)
                ):
                    first, named = first - 1, named + 1  # A name before its title or organization.
                else:
                    break
            phrase = [word for _, _, word in words[first:index]] + [stem]
            found = self._speaker(phrase)
            if found is not None:
                speaker, how, dropped = found
                return Phrase(words[first + dropped][0], w_end - (len(word) - len(stem)), speaker, how)
        return None

    def _speaker(self, phrase):
        """Who a subject phrase names: (Speaker, how, words left out at its start), or None for a subject that is
        no speaker."""
        head = phrase[-1]
        if head in ("그", "그녀") and len(phrase) == 1:
            return (self.last_person, "pronoun", 0) if self.last_person else None
        dropped = 0
        if any(head.endswith(word) for word in UNNAMED) or not (head in TITLES or head.endswith(tuple(TITLES))):
            # From the first word that describes: not "한편" (meanwhile) read as a name.
            while len(phrase) > 1 and not (_describing(phrase[0]) or phrase[0] in ("이", "그")):
                phrase, dropped = phrase[1:], dropped + 1
        organization = next((word for word in phrase if _is_organization(word)), None)
        country = next((COUNTRY_WORDS[word] for word in phrase if word in COUNTRY_WORDS), None)
        if organization:
            self.last_organization = organization
        if any(head.endswith(word) for word in UNNAMED):
            if phrase[0] in ("이", "그") and len(phrase) == 2:  # 이 당국자: the one just quoted.
                same = [speaker for speaker in self.unnamed.values() if (speaker.description or "").endswith(head)]
                return (same[-1], "description", dropped) if same else None
            return self._unnamed(" ".join(phrase), organization, country), "description", dropped
        if head in TITLES or head.endswith(tuple(TITLES)):
            names = []
            for word in phrase[:-1]:
                if _describing(word) or word in TITLES:
                    break
                names.append(word)
            if len(names) == 2 and (_looks_like_name(names[1]) or names[1] in SURNAMES):  # "한편 조태열 외교부 장관"
                phrase, names, dropped = phrase[1:], names[1:], dropped + 1
            if names and (len(names) > 1 or len(names[0]) > 1 or names[0] in SURNAMES):
                title = " ".join(phrase[len(names) :])
                speaker = self._person(" ".join(names), title, organization, country)
                if speaker is not None:
                    speaker.mentions.append(" ".join(phrase))
                    self.last_person = speaker
                    return speaker, "name", dropped
        known = self._person(" ".join(phrase), None, None, None, create=False)
        if known is not None:
            self.last_person = known
            return known, "name", dropped
        if head in TITLES or head.endswith(tuple(TITLES)):
            # A title without a name: the person introduced with it (장관은), else an unnamed speaker described so
            # (북한 외무성 대변인은).
            same = [person for person in self.people if (person.title or "").endswith(head)]
            if len(phrase) == 1 and same:
                self.last_person = same[-1]
                return same[-1], "name", dropped
            if len(phrase) > 1 and (organization or country):
                return self._unnamed(" ".join(phrase), organization, country), "description", dropped
        if organization and head == organization and len(phrase) <= 2:
            speaker = self.unnamed.setdefault(
                organization, Speaker(description=organization, organization=organization, country=country or "KR")
            )
            return speaker, "organization", dropped
        return None

    def _unnamed(self, description, organization, country):
        """The unnamed speaker so described, the same one each time (정부 소식통)."""
        speaker = self.unnamed.get(description)
        if speaker is None:
            organization = organization or self.last_organization
            speaker = Speaker(description=description, organization=organization, country=country or "KR")
            self.unnamed[description] = speaker
        speaker.mentions.append(description)
        return speaker

    def _person(self, name, title, organization, country, *, create=True):
        """The person of the article this names: the one introduced with the name, with its surname and a title (조
        장관), or with the last word of a foreign name (밀러 대변인)."""
        for person in reversed(self.people):
            named = person.name or ""
            if named == name or (len(name) == 1 and named[0] == name) or (" " in named and named.split()[-1] == name):
                if title and not person.title:
                    person.title = title
                return person
        if len(name) == 1 or not create:
            return None  # A surname alone, nobody introduced so: not a speaker to guess.
        person = Speaker(name=name, title=title, organization=organization, country=country or "KR")
        self.people.append(person)
        return person

    def _quotation(self, words, start, end, kind, phrase, sentence_start):
        date, basis = self._date_for(sentence_start, start)
        quotation = Quotation(
            quote=words,
            start=start,
            end=end,
            kind=kind,
            speaker=phrase.speaker,
            mention=self.text[phrase.start : phrase.end],
            mention_start=phrase.start,
            mention_end=phrase.end,
            cue=None,
            date=date,
            date_basis=basis,
            countries=detect_countries(words),
            confidence=0.9 if phrase.how == "name" else 0.8,
            found_by=("subject", phrase.how),
        )
        return quotation

    # Dates.

    def _dates(self):
        """(position, date, basis) of each date the text names, in order."""
        found, last = [], None
        for match in DATE_RE.finditer(self.text):
            if match["that_day"]:
                date = last or self.published
                basis = "relative" if last is None else "stated"
            elif match["relative"]:
                if self.published is None:
                    continue
                date, basis = self.published - datetime.timedelta(days=DAYS_BEFORE[match["relative"]]), "relative"
            else:
                date, basis = self._resolve(match)
                last = date or last
            if date is not None:
                found.append((match.start(), date, basis))
        return found

    def _resolve(self, match):
        day = int(match["day"])
        if self.published is None and not (match["year"] and match["month"]):
            return None, None
        year = int(match["year"]) if match["year"] else self.published.year
        month = int(match["month"]) if match["month"] else None
        try:
            if month is None:
                month = self.published.month if day <= self.published.day else self.published.month - 1 or 12
                if month == 12 and self.published.month == 1:
                    year -= 1
                return datetime.date(year, month, day), "relative"
            date = datetime.date(year, month, day)
            if not match["year"] and self.published and date > self.published:
                date = date.replace(year=year - 1)
            return date, "stated"
        except ValueError:
            return None, None

    def _date_for(self, sentence_start, position):
        """The date the sentence names, else the nearest named before it, else the publication date."""
        before = [(at, date, basis) for at, date, basis in self.dates if at < position]
        if before:
            _, date, basis = before[-1]
            return date, basis
        return (None, "publication") if self.published else (None, None)

    # Transcripts.

    def transcript(self) -> Extraction:
        labels = list(LABEL_RE.finditer(self.text))
        header = self.text[: labels[0].start()] if labels else self.text
        spokesperson = self._spokesperson(header)
        quotations = []
        for number, label in enumerate(labels):
            end = labels[number + 1].start() if number + 1 < len(labels) else len(self.text)
            if label["label"] in QUESTION_LABELS:
                continue
            turn_start, turn_end = label.end(), end
            while turn_end > turn_start and self.text[turn_end - 1].isspace():
                turn_end -= 1
            words = self.text[turn_start:turn_end]
            if not words or HANDOVERS_RE.match(words):
                continue
            date, basis = (self.published, "publication") if self.published else (None, None)
            quotations.append(
                Quotation(
                    quote=words,
                    start=turn_start,
                    end=turn_end,
                    kind="speech",
                    speaker=spokesperson,
                    mention=label["label"],
                    mention_start=label.start("label"),
                    mention_end=label.end("label"),
                    date=self._header_date(header) or date,
                    date_basis="stated" if self._header_date(header) else basis,
                    countries=detect_countries(words),
                    confidence=0.9 if spokesperson.name else 0.8,
                    found_by=("paragraph", "name" if spokesperson.name else "description"),
                )
            )
        return self._finish(quotations, "transcript")

    def _spokesperson(self, header):
        """The spokesperson the header names (임수석 대변인), else the ministry's spokesperson, unnamed."""
        organization = "외교부" if "외교부" in header or not header.strip() else None
        for match in re.finditer(r"([가-힣]{2,4})\s+(?:외교부\s+)?(부?대변인)(?![가-힣])", header):
            if _looks_like_name(match.group(1)):
                return Speaker(name=match.group(1), title=match.group(2), organization=organization, country="KR")
        return Speaker(description="외교부 대변인", organization="외교부", country="KR")

    def _header_date(self, header):
        match = re.search(r"((?:19|20)\d\d)\s*[년.]\s*(1[0-2]|0?[1-9])\s*[월.]\s*(3[01]|[12]\d|0?[1-9])", header)
        return datetime.date(*map(int, match.groups())) if match else None

    def _finish(self, quotations, kind):
        speakers = list(dict.fromkeys(q.speaker for q in quotations if q.speaker is not None))
        return Extraction(quotations=quotations, speakers=speakers, kind=kind)


def _without_particle(word, particles=SUBJECT_PARTICLES):
    """A subject's words without its particle (장관은 → 장관), else None for a word that is no subject."""
    for particle in particles:
        if word.endswith(particle) and len(word) > len(particle):
            return word[: len(word) - len(particle)]
    return None


def _describing(word):
    """An organization, a country, or a word that describes an unnamed speaker (고위, 정부)."""
    return (
        word in COUNTRY_WORDS
        or word in ("고위", "정부", "외교", "당국", "전", "현", "신임", "당시")
        or _is_organization(word)
    )


def _is_organization(word):
    return word in ORGANIZATIONS or (word.endswith(("부", "성")) and 2 <= len(word) <= 5 and word not in TITLES)


def _looks_like_name(word):
    """A Korean name (two to four syllables, a known surname first) or a foreign one written in Hangul."""
    if not re.fullmatch(r"[가-힣]{2,4}", word) or word in TITLES or word in ORGANIZATIONS or word in COUNTRY_WORDS:
        return False
    titled = [title for title in TITLES if word.endswith(title)]
    # 외교부장 is a title; 임수석 is a name though it ends like one (수석), its surname before it.
    if (
        any(word[: -len(title)] not in SURNAMES for title in titled)
        or word.endswith(UNNAMED)
        or _is_organization(word)
    ):
        return False
    return word[0] in SURNAMES or word[:2] in SURNAMES
