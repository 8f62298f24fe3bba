"""Which rows of the speakers sheet are one person: names compared within a country, across time, with evidence.

Plain Python (no database): the importer (statements.ungdc.importer) asks identify() which rows are one person, the
curators' duplicates page asks likely_pairs() which officials may be, and benchmarks/people_accuracy.py measures both
against a labelled list of pairs (tests/ungdc/people_gold.csv).

A name is reduced to its words (forms of address, titles, accents, "Al"/"el-" particles, "bin"/"oglu" connectors
and hyphens left out; initials and regnal numbers kept aside), compared in any order, a word matching a known
transliteration or a short form of it ("Joe" for "Joseph", "Mohamed" for "Muhammad"). Two rows of one country are
linked when one name holds the other's words and their years are close enough for one career; the nearer, the
first. Links never join rows that cannot be one person: two different names in the same debate, initials or
regnal numbers that differ (George H. W. Bush is not George W. Bush), a different given name before "bin"
(Al Hussein bin Abdullah II is not Abdullah II bin Al Hussein), Mr. and Mrs., or another holder of the same post
between two rows that do not give the whole same name (Clinton, between George Bush and George W. Bush).
Across countries, only a former state's speaker and one of its successor's first (Shevardnadze, for the USSR then
Georgia); any other person who spoke for two states is two records, for a curator to merge from the duplicates page.
"""

import difflib
import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import lru_cache

from statements import korean
from statements.ungdc import reader

# Words that take no part in matching: particles ("Al-Thani" is Thani), connectors of patronymics ("bin", "oglu"),
# honorifics the reader leaves in names ("Seyyed Ebrahim Raisi", "Haji Abdullah"), generational suffixes.
PARTICLES = set(
    "of al el ul ad as ash at az ar an da de del della di do dos das du van von der den la le y e bin ibn ben bint "
    "binti bte ogly oglu ogli uulu kyzy jr sr junior senior".split()
)
HONORIFIC_WORDS = set(
    "seyyed sayyid sayed sayyed haji hajji alhaji alhadji hadj sheikh shaikh sheik tun mr mrs ms hon "
    "excellency lord lady sir dr chief prince princess crown king queen emir amir sultan lyonpo lyonchoen samdech "
    "dato datuk general commander his her serene highness majesty royal prime mp mbbs obe qc kc phd "
    "gcmg setia paduka awang pehin datu pekerma".split()
)
CONNECTORS = {"bin", "ibn", "ben", "bint", "binti", "bte"}
NUMERALS = {"ii", "iii", "iv", "vi", "vii", "viii", "ix", "xi", "xii"}
FEMALE = re.compile(r"^\W*(mrs|ms|miss|mme|madame|madam|dame|her|queen|princess|sheikha|shaikha)\b", re.IGNORECASE)
MALE = re.compile(r"^\W*(mr|mir|sir|his|king|prince|emir|amir|sultan|sheikh|shaikh)\b", re.IGNORECASE)
# Short forms of given names: each maps to its full form.
SHORT_FORMS = {
    "joe": "joseph",
    "bill": "william",
    "jim": "james",
    "bob": "robert",
    "tony": "anthony",
    "mike": "michael",
    "dick": "richard",
    "tom": "thomas",
    "ted": "edward",
    "ed": "edward",
    "alex": "alexander",
    "nick": "nicholas",
    "dan": "daniel",
    "ben": "benjamin",
    "sam": "samuel",
    "pete": "peter",
    "andy": "andrew",
    "steve": "stephen",
    "chris": "christopher",
    "liz": "elizabeth",
    "sasha": "alexander",
    "fred": "frederick",
    "mohd": "mohammed",
    "muhd": "mohammed",
    "md": "mohammed",
}

# How far apart two rows may be, in years, by how much of the name they share: the whole name (a career, a
# return to office), a part of two words or more, or one word (the surname, as older rows often give it).
WINDOW = {"same": 25, "part": 25, "surname": 12}
# The whole same name in the same order, two words or more: a career's length, returns to office included (Son Sann
# in 1959 and 1987, Anwar Ibrahim in 1994 and 2023). The same words in another order are not enough that far apart:
# King Faisal Al Saud of 1946 and his son Saud Al-Faisal of 1975.
SAME_ORDER_WINDOW = 40
STRENGTH = {"same": 0, "part": 1, "surname": 2}
# A surname alone links further, to a return to office, when both rows give a post and no other name of the country
# holds that surname (_sole_bearer): Indira Gandhi of 1968 and Mrs. Gandhi of 1983, Castro of 1960 and of 1979. Not
# beyond twenty years: John Compton, Prime Minister of Saint Lucia in 1982, is not Petrus Compton, its Foreign
# Minister in 2006.
RETURN_WINDOW = 20


@dataclass(frozen=True)
class Name:
    """A name as matching sees it."""

    words: tuple[str, ...]  # Sorted, particles and honorifics out: ("abdullah", "hussein").
    initials: frozenset[str]
    numeral: str  # "ii" for Abdullah II.
    given: str  # The word before "bin" (the person's own name in a patronymic), else "".
    gender: str  # "f", "m" or "" from the form of address.
    ordered: tuple[str, ...] = ()  # The words in the order printed.

    @property
    def key(self):
        return (self.words, self.initials, self.numeral, self.given)


@dataclass
class Row:
    """A row of the speakers sheet (or an official's statement): what identify() compares."""

    id: object  # The caller's: (code, year) for the sheet.
    country: str
    year: int
    name: str  # As printed.
    post: str = ""


@dataclass
class Person:
    """Rows identify() found to be one person, and why."""

    rows: list[Row]
    evidence: list[str] = field(default_factory=list)

    @property
    def printed(self):
        """How many times each name is printed (forms of address dropped), the earliest first."""
        return Counter(reader.person_name(row.name) for row in sorted(self.rows, key=lambda row: row.year))

    @property
    def names(self):
        """The names printed, most often first, each once."""
        counted = self.printed
        return sorted(counted, key=lambda name: (-counted[name], -len(parse(name).words), name))

    @property
    def full_name(self):
        """The name to show: the first printed, unless another is fuller ("Bush" in 1989, "George Bush" in 1990);
        of the fullest, the one with the fewest titles ("Hamad bin Jassem...", not "Sheik Hamad bin Jassem..."), the
        most printed, the earliest. A word of one or two letters does not make a name fuller: in a garbled row it is
        a stray letter ("Motee'A", "AI-Thani")."""
        counted = self.printed
        fullness = {name: sum(len(word) > 2 for word in parse(name).words) for name in counted}
        first, fullest = next(iter(counted)), max(fullness.values())
        if fullness[first] == fullest:
            return first
        fullest_names = [name for name in counted if fullness[name] == fullest]
        return min(fullest_names, key=lambda name: (len(name.split()), -counted[name]))


@lru_cache(maxsize=50_000)
def parse(printed: str) -> Name:
    """A printed name ("H.E. Mr. Ilham Heydar oglu Aliyev") as matching sees it."""
    gender = "f" if FEMALE.search(printed) else "m" if MALE.search(printed) else ""
    name = reader.person_name(re.sub(r"\(.*?\)", " ", printed))  # "(first name not provided)"
    name = re.sub(r"(?<=\S)\s+of\s+.*$", "", name)  # "Albert II of Monaco"
    name = re.sub(r"['’`‘ʻ](?=[a-zà-ÿ])", "", name)  # "Ásgr'msson", "Tuʻiʻonetoa"; not D'Alva
    initials, words, numeral, given = set(), [], "", ""
    for position, part in enumerate(name.replace(",", " ").split()):
        plain = ascii_fold(part).strip(".'’`")
        if position == 0 and part.endswith(".") and len(plain) in (2, 3):
            continue  # An abbreviated form of address the reader does not know: "Mir. GROMYKO".
        if len(plain) == 1 and plain.isalpha():
            initials.add(plain)
            continue
        if "." in plain and all(len(piece) <= 1 for piece in plain.split(".")):
            initials.update(piece for piece in plain.split(".") if piece)  # "H.W."
            continue
        for word in re.split(r"[-'’`‘ʻ.]+", plain):
            word = without_punctuation(word)  # "¡vila": the sheet's Ávila, garbled.
            if not word:
                continue
            if word in CONNECTORS and words and not given:
                given = words[0]
            if word in NUMERALS:
                numeral = word
            elif word not in PARTICLES and word not in HONORIFIC_WORDS:
                words.append(word)
            if len(words) >= 2 and words[-2] + words[-1] in HONORIFIC_WORDS:
                del words[-2:]  # An honorific split in two: "Sayy id Badr".
    return Name(tuple(sorted(words)), frozenset(initials), numeral, given, gender, tuple(words))


# Letters that do not decompose into a Latin letter and an accent, and Cyrillic letters that look Latin (a sheet
# row spells "Jеаn-Claude" with a Cyrillic е and а).
FOLDED = str.maketrans(
    {"ð": "d", "þ": "th", "ø": "o", "æ": "ae", "œ": "oe", "ß": "ss", "ł": "l", "đ": "d", "ı": "i"}
    | dict(zip("аеорсухі", "aeopcyxi", strict=True))
)


# A name written in Cyrillic, in the Latin letters English writes it with: Громыко is Gromyko.
CYRILLIC = str.maketrans(
    dict(zip("абвгдеёзийклмнопрстуфыэії", "abvgdeeziyklmnoprstufyeiі", strict=True))
    | {"ж": "zh", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ь": "", "ю": "yu", "я": "ya"}
    | {"є": "ye", "ї": "yi", "і": "i"}
)
CYRILLIC_WORD = re.compile(r"^[\u0400-\u04ff'’-]+$")


def ascii_fold(text):
    """Lower case without accents: "Abdullâh Gül" -> "abdullah gul", "Þórðarson" -> "thordarson", "Громыко" ->
    "gromyko" (a word all in Cyrillic is transliterated; Cyrillic letters in a Latin word are look-alikes)."""
    text = text.casefold()
    text = text.translate(CYRILLIC) if CYRILLIC_WORD.match(text) else text.translate(FOLDED)
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char))


SOUNDS = [("kh", "k"), ("gh", "g"), ("ph", "f"), ("dh", "d"), ("th", "t"), ("ou", "u"), ("oo", "u"), ("ee", "i")]
SOUNDS += [("y", "i"), ("j", "i"), ("q", "k"), ("c", "k"), ("w", "v"), ("z", "s")]


@lru_cache(maxsize=100_000)
def skeleton(word):
    """The consonants of a word as transliterations keep them: Mohammed, Muhammad and Mohamed are all "mhmd"."""
    for spelling, sound in SOUNDS:
        word = word.replace(spelling, sound)
    rest = re.sub(r"[aeiou]", "", word[1:])
    return re.sub(r"(.)\1+", r"\1", word[:1] + rest)


FEMININE = ("ova", "eva", "ina", "ska", "aya")
VOWELS = set("aeiou")


def bare(word):
    """A word without an "al"/"el" glued to it: "Alnuaimi" is Nuaimi, "Elsisi" Sisi."""
    return word[2:] if word[:2] in ("al", "el") and len(word) > 6 else word


@lru_cache(maxsize=200_000)
def same_word(a, b):
    """Whether two words are one name: spelled alike, a known short form, or a transliteration of it."""
    if a == b:
        return True
    a, b = SHORT_FORMS.get(a, a), SHORT_FORMS.get(b, b)
    if a == b or bare(a) == bare(b) or (a[1:] == b[1:] and ({a[0], b[0]} == {"i", "l"} or {a[0], b[0]} <= VOWELS)):
        return True  # Equal but for an Al glued on, an I read as l ("leng Sary"), a first vowel (Iriya, Eriya).
    if len(a) < 4 or len(b) < 4 or (a[0] != b[0] and {a[0], b[0]} not in ({"y", "i"}, {"j", "y"}, {"c", "k"})):
        return False
    ratio = difflib.SequenceMatcher(None, a, b).ratio()
    longer = min(len(a), len(b)) >= 6
    if a.rstrip("a") == b.rstrip("a") and a.endswith(FEMININE) != b.endswith(FEMININE):
        return False  # Zhivkov, Zhivkova: a father and his daughter.
    if longer and (a.endswith(("ov", "ev")) or b.endswith(("ov", "ev"))):
        # Russian endings dropped: Rakhmonov, Rahmon.
        stems = [word.removesuffix("ov").removesuffix("ev") for word in (a, b)]
        ratio = max(ratio, difflib.SequenceMatcher(None, *stems).ratio())
    if ratio >= (0.82 if longer else 0.85) or (longer and ratio >= 0.8 and skeleton(a)[:3] == skeleton(b)[:3]):
        return True  # A letter or two apart: Nahyan, Nahayan; Abdulla, Abdallah (not Charles, Chalmers).
    return skeleton(a) == skeleton(b) and ratio >= (0.6 if longer else 0.75)  # Ismail, Isamil; not Pella, Plaja.


@lru_cache(maxsize=200_000)
def likeness(a: Name, b: Name) -> str:
    """How much of the name two names share: "same", "part" (the words of one are among the other's), "surname"
    (one word, found in the other) or "" (not one person's names)."""
    if not a.words or not b.words:
        return ""
    if _hard_conflict(a, b):
        return ""
    korean_likeness = _korean_likeness(a, b)
    if korean_likeness is not None:
        return korean_likeness
    if a.given and b.given and not same_word(a.given, b.given):
        return ""  # Al Hussein bin Abdullah is not Abdullah bin Al Hussein.
    short, long = (a, b) if len(a.words) <= len(b.words) else (b, a)
    unmatched, missing = list(long.words), []
    for word in short.words:
        match = next((other for other in unmatched if same_word(word, other)), None)
        if match is None:
            missing.append(word)
        else:
            unmatched.remove(match)
    if missing:
        # One misspelt word among names that agree on the others ("Al-Sand" for Al-Saud, "Janies" for James): a
        # typo, not a namesake, when the words are alike, or fairly alike beside two words that agree.
        if len(missing) != 1 or len(unmatched) != 1 or len(short.words) < 2:
            return ""
        (typed,), (other,) = missing, unmatched
        ratio = difflib.SequenceMatcher(None, typed, other).ratio()
        alike = ratio >= 0.7 and typed[0] == other[0]  # Not Nasheed, Waheed.
        # Fairly alike, the typo keeps the first letter or drops one ("Jaio" for Joao, "Li Bongo" for Ali Bongo):
        # another syllable of a given name is another person (Han Sung-joo, Han Seung-soo; Pham Binh Minh, Pham Minh
        # Chinh).
        fairly = ratio >= 0.5 and len(short.words) >= 3 and (typed[0] == other[0] or one_letter_dropped(typed, other))
        return "part" if alike or fairly else ""
    if short.given and long.given == "" and not any(same_word(short.given, word) for word in long.words):
        return ""
    if len(short.words) == 1:
        return "surname"  # However it is spelled, and whatever initials come with it: "Mr. R. SCHUMAN".
    if not unmatched:
        return "same" if a.initials == b.initials else "part"  # George Bush is part of George W. Bush.
    return "part"


def without_punctuation(word):
    """A word without the punctuation and symbols a garbled row leaves in it."""
    return "".join(char for char in word if unicodedata.category(char)[0] not in "PS")


def one_letter_dropped(a, b):
    """Whether one word is the other with one letter left out ("li" and "ali")."""
    short, long = sorted((a, b), key=len)
    return len(long) == len(short) + 1 and any(long[:i] + long[i + 1 :] == short for i in range(len(long)))


def _korean_likeness(a: Name, b: Name) -> str | None:
    """For Korean names: a name in Hangul is its romanisations' (조태열, Cho Tae-yul), and a given name is the same
    joined or hyphenated (Cho Taeyul, Tae-yul Cho); None for names this cannot tell about."""
    # ascii_fold() took Hangul syllables apart into their letters (NFKD): put them together again.
    written = [unicodedata.normalize("NFC", " ".join(name.ordered)) for name in (a, b)]
    hangul = [n for n, text in enumerate(written) if korean.HANGUL.search(text)]
    if len(hangul) == 2:
        return "same" if a.words == b.words else ""
    if hangul:
        return "same" if korean.same_person(written[hangul[0]], written[1 - hangul[0]]) else ""
    if a.words != b.words and len(a.ordered) >= 2 and len(b.ordered) >= 2:
        # One surname, first or last, beside the same given name in one word or two.
        forms = [{"".join(n.ordered), "".join(n.ordered[-1:] + n.ordered[:-1])} for n in (a, b)]
        if forms[0] & forms[1] and korean.roman_name_keys(" ".join(a.ordered)):
            return "same"
    return None


def country_codes():
    """{ISO alpha-3 or DiploTrack code: DiploTrack code}, as the country table holds them (migration 0002), for
    callers without a database."""
    import pycountry

    codes = {country.alpha_2: country.alpha_2 for country in pycountry.countries}
    codes |= {country.alpha_3: country.alpha_2 for country in pycountry.countries}
    for country in pycountry.historic_countries:
        codes[country.alpha_4] = country.alpha_4
        codes.setdefault(country.alpha_3, country.alpha_4)
    return codes | {"EU": "EU", "XK": "XK"}


def sheet_rows(rows, country_of):
    """The speakers sheet's rows (reader.SpeakerRow) as Rows of their country (country_of(code, year), None to leave
    a row out), each known by (sheet code, year, name as printed)."""
    found = []
    for row in rows:
        country = country_of(row.code, row.year)
        if country and row.name:
            found.append(Row((row.code, row.year, row.name), country, row.year, row.name, row.post))
    return found


def identify(rows: list[Row]) -> list[Person]:
    """The people the rows are: rows of one country linked by their names, nearest in time first; then a state's
    last speakers with its successors' first (Shevardnadze, for the USSR, then for Georgia)."""
    by_country = defaultdict(list)
    for row in rows:
        if row.name and parse(row.name).words:
            by_country[row.country].append(row)
    people = []
    for country_rows in by_country.values():
        people += _identify_in_country(sorted(country_rows, key=lambda row: (row.year, str(row.id))))
    return _across_successions(people)


# States that broke up or merged (DiploTrack's codes, ISO 3166-3 for the former ones): the year of the last debate
# they spoke at, and the states that spoke for their people afterwards.
SUCCESSIONS = {
    "SUHH": (1991, {"RU", "UA", "BY", "GE", "AM", "AZ", "KZ", "KG", "TJ", "TM", "UZ", "MD", "EE", "LV", "LT"}),
    "YUCS": (2002, {"CSXX", "HR", "SI", "BA", "MK"}),
    "CSXX": (2006, {"RS", "ME"}),
    "CSHH": (1992, {"CZ", "SK"}),
    "DDDE": (1990, {"DE"}),
    "YDYE": (1989, {"YE"}),
    "BYAA": (1991, {"BY"}),
}
SUCCESSION_GAP = 4  # Years between the last debate of the one state and the first of the other.


def _across_successions(found):
    """Join a former state's speaker with a successor's when their names are alike and only one fits."""
    by_country = defaultdict(list)
    for person in found:
        by_country[person.rows[0].country].append(person)
    first_debate = {country: min(p.rows[0].year for p in persons) for country, persons in by_country.items()}
    merged = set()
    for former, (_, successors) in SUCCESSIONS.items():
        for before in by_country.get(former, []):
            end = before.rows[-1].year
            # Among the successor's first speakers, soon after the last speech for the former state (Drnovsek, for
            # Yugoslavia in 1989 and for Slovenia from 1993).
            candidates = [
                after
                for code in successors
                for after in by_country.get(code, [])
                if id(after) not in merged
                and 0 < after.rows[0].year - end <= SUCCESSION_GAP
                and after.rows[0].year <= first_debate[code] + SUCCESSION_GAP
                and _names_alike(before, after)
            ]
            if len(candidates) == 1:
                after = candidates[0]
                before.rows += after.rows
                why = (
                    f"{before.rows[0].name} spoke for {former} until {end} and {after.rows[0].name} for "
                    f"{after.rows[0].country} from {after.rows[0].year}: names alike, one state the other's successor"
                )
                before.evidence += [*after.evidence, why]
                merged.add(id(after))
    return [person for person in found if id(person) not in merged]


def _succeeded(former, successor):
    return successor in SUCCESSIONS.get(former, (0, set()))[1]


def _names_alike(a, b):
    last, first = parse(a.rows[-1].name), parse(b.rows[0].name)
    return bool(likeness(last, first)) and not _hard_conflict(last, first)


def _identify_in_country(rows):
    names = [parse(row.name) for row in rows]
    links = []
    for i, (first, first_name) in enumerate(zip(rows, names, strict=True)):
        for j in range(i + 1, len(rows)):
            second, second_name = rows[j], names[j]
            gap = second.year - first.year
            if gap > SAME_ORDER_WINDOW:
                break
            level = "same" if first_name.key == second_name.key else likeness(first_name, second_name)
            if level == "same" and len(first_name.words) == 1:
                level = "surname"  # A surname alone, however spelled, says no more than a surname.
            same_order = level == "same" and first_name.ordered == second_name.ordered
            window = SAME_ORDER_WINDOW if same_order else WINDOW.get(level, 0)
            if level == "surname" and window < gap <= RETURN_WINDOW and first.post and second.post:
                # Two rows that say who spoke (their posts), nothing but time between them: a return to office.
                window = RETURN_WINDOW if _sole_bearer(rows, names, i, j) else window
            if not level or gap > window or (gap == 0 and first_name.key != second_name.key):
                continue
            links.append((STRENGTH[level], gap, i, j, level))
    links.sort()

    # Union-find over the rows; a group keeps its names, to check each new link against all of them.
    parent = list(range(len(rows)))
    members = {i: [i] for i in range(len(rows))}
    evidence = defaultdict(list)

    def root(i):
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for _, gap, i, j, level in links:
        a, b = root(i), root(j)
        if a == b:
            continue
        why = _conflict(rows, names, members[a], members[b])
        if why:
            continue
        if level == "surname" or (min(len(names[i].words), len(names[j].words)) <= 2 and level != "same"):
            blocked = _another_holder_between(rows, names, i, j)
            if blocked:
                continue
        parent[b] = a
        members[a] += members.pop(b)
        why = _because(rows[i], rows[j], level, gap)
        if level == "surname" and gap > WINDOW["surname"]:
            why += f", both with a post, and no other speaker for the country within {WINDOW['same']} years"
            why += " has the name"
        evidence[a] += [*evidence.pop(b, []), why]
    return [
        Person([rows[i] for i in sorted(group)], evidence.get(head, [])) for head, group in sorted(members.items())
    ]


def _conflict(rows, names, group_a, group_b):
    """Why two groups of rows cannot be one person, or ""."""
    years_a = defaultdict(set)
    for i in group_a:
        years_a[rows[i].year].add(names[i].key)
    keys_a = {names[i] for i in group_a}
    for j in group_b:
        other = years_a.get(rows[j].year)
        if other and names[j].key not in other:
            return f"two names in the {rows[j].year} debate"
    # Two fuller names that do not match (Indira Gandhi, Rajiv Gandhi) are two people, whatever surname-only rows
    # stand between them; surnames alone may differ ("Abdullah", "Al-Nuaimi": Rashid Abdullah Al-Nuaimi's).
    # Unless a fuller name holds both (Denis Ronaldo Moncada Colindres: Denis Moncada, Ronaldo Moncada Colindres).
    both = keys_a | {names[j] for j in group_b}
    for name in {names[j] for j in group_b}:
        for known in keys_a:
            if known.key == name.key or likeness(known, name):
                continue
            if _hard_conflict(known, name):
                return f"{' '.join(known.words)} and {' '.join(name.words)} are not one name"
            if len(known.words) >= 2 and len(name.words) >= 2:
                bridged = any(
                    len(other.words) > max(len(known.words), len(name.words))
                    and likeness(known, other) == likeness(name, other) == "part"
                    for other in both
                )
                if not bridged:
                    return f"{' '.join(known.words)} and {' '.join(name.words)} are not one name"
    return ""


def _sole_bearer(rows, names, i, j):
    """Whether a one-word name (row i's or row j's), the other's last word as spelled, is borne by no other name of
    the country within a career's span of the two rows: then only time says they may be two people (Mrs. Gandhi of
    1983 and Indira Gandhi of 1968; Castro of 1960 and of 1979). A fuller name of that surname nearby (Rajiv Gandhi;
    George W. Bush beside George Bush) leaves it to the rules for names."""
    short, other = (i, j) if len(names[i].words) == 1 else (j, i)
    (surname,) = names[short].words
    if names[other].ordered[-1:] != (surname,):
        return False  # Alike but not the same (Andersen, Anders), or not the other's surname (Lopez Michelsen).
    first, last = rows[i].year - WINDOW["same"], rows[j].year + WINDOW["same"]
    return not any(
        first <= row.year <= last
        and len(name.words) > 1
        and name.key != names[other].key
        and any(same_word(surname, word) for word in name.words)
        for row, name in zip(rows, names, strict=True)
    )


def _hard_conflict(a, b):
    """Initials, regnal numbers or forms of address that differ."""
    return (
        (a.initials and b.initials and a.initials != b.initials)
        or (a.numeral and b.numeral and a.numeral != b.numeral)
        or (a.gender and b.gender and a.gender != b.gender)
    )


def _another_holder_between(rows, names, i, j):
    """Another person in the same post in a debate between rows i and j (evidence of two people), or None."""
    # The post both held, or the one known when the other row has none (older rows often give none).
    posts = {post_key(rows[i].post), post_key(rows[j].post)} - {""}
    if len(posts) != 1:
        return None
    (post,) = posts
    for k in range(i + 1, j):
        row = rows[k]
        other = not likeness(names[k], names[i]) and not likeness(names[k], names[j])
        if rows[i].year < row.year < rows[j].year and post_key(row.post) == post and other:
            return row
    return None


@lru_cache(maxsize=10_000)
def post_key(post):
    """reader.post_key, with the sheet's misspelling of 2005 ("Minister for Foregn Affairs") read as meant."""
    return reader.post_key(post).replace("foregn", "foreign")


def _because(first, second, level, gap):
    what = {
        "same": "the same name",
        "part": "one name holds the other's words",
        "surname": "the one name given is among the other's",
    }[level]
    when = "in consecutive debates" if gap == 1 else f"{gap} years apart" if gap else "in the same debate"
    return f"{first.name} ({first.year}) and {second.name} ({second.year}): {what}, same country, {when}"


def likely_pairs(records, *, not_same=frozenset()):
    """Pairs of records (id, country, names, years) that may be one person, most likely first, with why.

    records: (id, country code, [names], [years]) of officials; not_same: pairs of ids a curator said are two
    people (frozensets), never offered again. Across countries only the whole same name counts (a person who
    later led another state); within a country any likeness within a career's span.
    """
    by_word = defaultdict(list)
    parsed = []
    for record in records:
        record_id, country, record_names, years = record
        forms = {parse(name) for name in record_names if name and parse(name).words}
        parsed.append((record_id, country, forms, sorted(years)))
        for word in {word for form in forms for word in form.words}:
            by_word[skeleton(word)].append(len(parsed) - 1)
    pairs = {}
    for candidates in by_word.values():
        if len(candidates) > 200:
            continue  # A word as common as Mohammed says nothing alone.
        for x in range(len(candidates)):
            for y in range(x + 1, len(candidates)):
                a, b = parsed[candidates[x]], parsed[candidates[y]]
                key = frozenset((a[0], b[0]))
                if a[0] == b[0] or key in pairs or key in not_same:
                    continue
                found = _pair_evidence(a, b)
                if found:
                    pairs[key] = (a[0], b[0], *found)
    return sorted(pairs.values(), key=lambda pair: (-pair[2], str(pair[0]), str(pair[1])))


def _pair_evidence(a, b):
    """(score, reasons) for two records, or None when nothing says they may be one person."""
    _, country_a, forms_a, years_a = a
    _, country_b, forms_b, years_b = b
    best = ""
    for form_a in forms_a:
        for form_b in forms_b:
            level = "same" if form_a.key == form_b.key else likeness(form_a, form_b)
            if level == "same" and len(form_a.words) == 1:
                level = "surname"  # "Al-Sabah" and "Al-Sabah": a surname, however alike.
            if level and (not best or STRENGTH[level] < STRENGTH[best]):
                best = level
    if not best:
        return None
    reasons, score = [], {"same": 60, "part": 45, "surname": 25}[best]
    reasons.append({"same": "the same name", "part": "one name holds the other's words", "surname": "a surname"}[best])
    if country_a == country_b:
        score += 25
        reasons.append("the same country")
    elif _succeeded(country_a, country_b) or _succeeded(country_b, country_a):
        score += 15
        reasons.append("one state the other's successor")
    elif best == "same":
        reasons.append("different countries")
    else:
        return None
    if years_a and years_b:
        gap = max(years_b[0] - years_a[-1], years_a[0] - years_b[-1], 0)
        if set(years_a) & set(years_b) and country_a == country_b:
            return None  # Two speakers of one country in one debate.
        if gap > WINDOW["same"] + 10:
            return None
        score += max(0, 15 - gap)
        reasons.append("overlapping years" if gap == 0 else f"{gap} year(s) apart")
    return score, reasons
