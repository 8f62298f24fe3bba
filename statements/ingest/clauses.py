"""Find who a quotation is attributed to by the shape of its sentence, whatever words name the speaker.

The lexicon reads "the senior official" or "Cho" next to "said"; news writing names speakers in endless other ways
("the investor", "one user", "Murphy, the head of Right to Rise USA,"). Around a quotation the sentence's shape
tells where the speaker stands: `"…," NP said`, `"…," said NP`, `NP said: "…"`, `NP called it "…"`. These
functions read that shape on the masked text (quotations blanked out) and return the noun phrase's offsets.
"""

import re

from .lexicon import SPEECH_VERBS as BASE_SPEECH_VERBS
from .lexicon import words

# Reporting verbs in the forms news writing uses them, speech and not ("called it", "described as").
_VERBS = """said says say told tells wrote writes tweeted tweets added adds noted notes explained explains continued
continues asked asks argued argues insisted insists warned warns acknowledged acknowledges declared declares stated
states replied replies responded responds recalled recalls claimed claims joked jokes quipped quips gushed gushes
fumed fumes emailed emails posted posts countered counters complained complains conceded concedes cautioned
cautions predicted predicts promised promises vowed vows announced announces observed observes remarked remarks
suggested suggests concluded concludes wondered wonders mused muses marveled marvelled marvels boasted boasts
bragged brags touted touts pleaded pleads begged begs shouted shouts yelled yells screamed screams cried cries
laughed laughs sighed sighs snapped snaps scoffed scoffs mocked mocks griped gripes groaned groans grumbled
grumbles railed rails blasted blasts slammed slams charged charges reasoned reasons speculated speculates
theorized theorizes thundered thunders whispered whispers muttered mutters texted texts messaged messages opined
opines proclaimed proclaims concurred concurs offered offers interjected interjects recounted recounts related
reported reports reiterated reiterates repeated repeats confirmed confirms denied denies admitted admits
conceded agreed agrees disagreed disagrees objected objects protested protests lamented laments mourned mourns
demanded demands urged urges pledged pledges assured assures reassured reassures informed informs advised
advises cheered cheers chimed exclaimed exclaims stressed stresses emphasized emphasizes underscored underscores
highlighted highlights pointed points answered answers retorted retorts shot fired hit wrote writing saying
telling adding noting explaining asking arguing insisting warning declaring stating replying responding recalling
claiming joking tweeting posting writing calling describing urging vowing promising predicting complaining
suggesting concluding boasting bragging pleading lamenting demanding stressing emphasizing mused observing
remarked announcing acknowledging conceding confirming denying admitting countering reiterating repeating
called calls described describes dubbed dubs labeled labelled labels termed terms branded brands accused
accuses praised praises hailed hails criticized criticised criticizes denounced denounces condemned condemns
characterized characterizes referred refers cited cites quoted quotes invoked invokes promised read reads
echoed echoes"""
REPORTING_VERBS = words(_VERBS)
# The present tense of the speech verbs ("conclude", "concludes"), read as verbs only right after a quotation.
PRESENT_SPEECH = frozenset(
    verb for base in BASE_SPEECH_VERBS if " " not in base for verb in (base, base + "s", base + "es")
)
# The commonest speech verbs, which name a speaker however far after the quotation: "…," X, who …, said.
SPEECH_VERBS = words("""said says told tells wrote writes tweeted added adds noted explained continued asked argued""")
# Verbs after which the words are the speaker's object, not the speaker ("told reporters", "called it").
OBJECT_VERBS = words(
    """told tells telling asked asks asking informed informs assured assures reassured reassures advised advises
    urged urges urging called calls calling described describes describing dubbed dubs labeled labelled labels
    termed terms branded brands accused accuses praised praises hailed hails criticized criticised criticizes
    denounced denounces condemned condemns characterized characterizes referred refers cited cites quoted quotes
    invoked invokes"""
)
# Words that stand between a speaker and the verb ("also said", "said Tuesday").
ADVERBS = words(
    """also later then again previously earlier reportedly recently repeatedly once separately additionally simply
    flatly publicly privately bluntly openly firmly quickly immediately has had have was were is are would will
    could has just still already emphatically confidently cautiously candidly frankly yesterday today tonight
    Monday Tuesday Wednesday Thursday Friday Saturday Sunday on last night this week morning afternoon evening
    recently subsequently famously soon once initially ultimately finally always never often sometimes usually now even
    long first himself herself themselves itself too"""
)
LOWER_ADVERBS = frozenset(word.lower() for word in ADVERBS)
# Words in -ly that are no adverbs ("the family said").
NOUNS_IN_LY = words("""family ally assembly rally supply monopoly anomaly bully belly folly homily jelly reply""")
# Words that never belong to a speaker's noun phrase: a clause or phrase begins or ends there.
STOPS = words(
    """that which who whom whose when where while if because since after before until unless although though so
    and but or nor as than then to in on at by with from into about over under during for against between among
    through without within upon amid amidst despite it is was are were be been being has have had do does did will
    would can could should may might must not no also just only even there here this these those what how why said
    says say told i you me my your our us"""
)
# Words of the speaker after an inverted verb end at these ("said Cho in an interview", "said Cho on Tuesday").
AFTER_STOPS = STOPS - {"of"}
WORD_RE = re.compile(
    r"(?:[A-Z]\.(?:[A-Z]\.)+|(?:Mr|Mrs|Ms|Dr|Sen|Rep|Gov|Gen|Lt|Col|Sgt|St|Jr|Sr|Prof|Rev|Adm|Maj|Capt|[A-Z])\.|"
    r"[\w'’&@#-]+)"
)
AFTER_VERB = words("""in on at as after before while during with from when and but""")
# Words that open a phrase of time before the subject ("Earlier this week, ", "A week later, ").
DETERMINERS_OF_TIME = words("""days weeks months earlier later moments hours minutes seconds""")
# The words of a time phrase ending in "ago": "less than two weeks ago", "a few days ago".
TIME_WORDS = words(
    """a an few several some many less more than about nearly almost just only over one two three four five six
    seven eight nine ten day days week weeks month months year years moment moments hour hours minutes decade
    decades"""
)
TIME_NOUNS = words("""day days week weeks month months year years moment moments hour hours""")
# Verbs in the past tense that do not end in -ed, which end a subject as "issued" does ("Ames made a remark", "Pew
# found").
IRREGULAR_PAST = words(
    """made gave took sent spoke came went brought began broke drew put found thought said told wrote saw knew felt
    sang"""
)
# Words in lower case that open a subject ("the protesters chanted"), not the rest of an opening phrase.
SUBJECT_OPENINGS = words("""the a an this that these those his her its their our my some many he she they we i it""")
# Words that open a verb's object: a word in -s before one is a verb in the present ("Politico reveals a …").
OBJECT_DETERMINERS = words("""a an the that his her its their this these those""")
CONNECTIVES = words("""but and so yet still meanwhile instead also however""")
PRONOUNS = words("""he she they we i it""")
# Prepositions that open a phrase of time or place between a subject and its verb ("in the past", "at the time").
ADVERBIAL_PREPOSITIONS = words("""in on at during over since for""")
MAX_WORDS = 10
DEMONSTRATIVES = words("""this these""")
OBJECT_PREPOSITIONS = words("""to of for from with""")
DASHES = frozenset(("—", "–", "--"))
# Verbs whose object is the one spoken to ("told Bill O'Reilly"), never inverted with their speaker.
LISTENER_FORMS = words("""told tells asked asks urged urges""")
# Words before a noun, never before a verb ("the reports", "his remarks"), and auxiliaries after a plural subject
# ("messages have given"): a reporting verb's -s form between them is the noun.
NOUN_DETERMINERS = words("""the a an his her its their our my your these those such many several some few other""")
AUXILIARIES = words("""have had are were will would can could should may might must do did""")
# How many opening phrases, each closed by a comma, may stand before a sentence's subject.
OPENING_PHRASES = 3
# How many characters around a quotation are read: a speaker is named near it, and long sentences cost no more.
REACH = 400


def _words(text: str, start: int, end: int) -> list[tuple[int, int, str]]:
    """The words of text[start:end] with what stands between them: (start, end, word) and (start, end, mark)."""
    tokens = []
    position = start
    while position < end:
        char = text[position]
        if char.isspace():
            position += 1
            continue
        match = WORD_RE.match(text, position, end)
        if match:
            tokens.append((match.start(), match.end(), match.group()))
            position = match.end()
        else:
            tokens.append((position, position + 1, char))
            position += 1
    return tokens


def _is_word(token: tuple[int, int, str]) -> bool:
    return token[2][:1].isalnum() or token[2][:1] in "@#"


def _is_adverb_before_verb(tokens: list, index: int) -> bool:
    """An adverb between a subject and its verb: "also", "on Saturday", or a word in -ly after a name or another
    adverb ("Kasich has also broadly called", "Smith bluntly said"; but "the family said")."""
    word = tokens[index][2]
    if word.lower() in LOWER_ADVERBS:
        return True
    if not (word.islower() and word.endswith("ly") and len(word) > 4) or index == 0 or word in NOUNS_IN_LY:
        return False
    before = tokens[index - 1][2]
    if before.islower() and before.isalpha() and before not in STOPS:
        # "superdelegates currently pledged": after a noun in lower case too.
        return True
    # "Roe, the group's leader, forcefully told", "a comment that egregiously described": an adverb after an
    # appositive's closing comma or a relative pronoun, too.
    return before[:1].isupper() or before.lower() in LOWER_ADVERBS or before in (",", "that", "who", "which")


def _phrase_before(tokens: list, index: int) -> tuple[int, int] | None:
    """The noun phrase ending at tokens[index] (inclusive), read backwards; of "X, an adviser to Y, said", X."""
    while index >= 0 and _is_word(tokens[index]) and _is_adverb_before_verb(tokens, index):
        index -= 1
    if index > 0 and tokens[index][2].lower() == "ago":
        # "The State Department less than two weeks ago said": the time between the speaker and the verb.
        index -= 1
        while index >= 0 and (tokens[index][2].lower() in TIME_WORDS or tokens[index][2].isdigit()):
            index -= 1
        return _phrase_before(tokens, index) if index >= 0 else None
    if index < 0:
        return None
    if tokens[index][2] == ",":
        # "Murphy, the head of Right to Rise USA, said": the name before the appositive.
        closing = index
        for comma in range(index - 1, max(index - 16, -1), -1):
            if tokens[comma][2] == ",":
                index = comma - 1
                break
            if not _is_word(tokens[comma]) and tokens[comma][2] not in "'’.-&()":
                return None
        else:
            return None
        between = [token[2] for token in tokens[comma + 1 : closing] if _is_word(token)]
        if index >= 0 and between and all(word[:1].isupper() for word in between) and tokens[index][2][:1].islower():
            # "After winning Ohio in the primary, Gov. John Kasich (R-OH), said": the name between the commas, not
            # the opening phrase before them.
            index = closing - 1
            if tokens[index][2] == ")":
                opening = next((i for i in range(index - 1, max(index - 8, comma), -1) if tokens[i][2] == "("), None)
                index = opening - 1 if opening else index
            first = index
            while first > comma + 1 and _is_word(tokens[first - 1]):
                first -= 1
            return tokens[first][0], tokens[index][1]
    if index > 0 and tokens[index][2] == ")":
        # "Sen. Richard Durbin (D-Ill.) said": the party and state in brackets follow the name.
        opening = next((i for i in range(index - 1, max(index - 8, -1), -1) if tokens[i][2] == "("), None)
        if opening is None or opening == 0:
            return None
        index = opening - 1
    first = index
    while first >= 0 and index - first < MAX_WORDS and _is_word(tokens[first]):
        lower = tokens[first][2].lower()
        if lower in DEMONSTRATIVES and first < index:
            # "this Trump look-alike declared": a demonstrative opens the phrase.
            first -= 1
            break
        if lower in STOPS and not (first == index and lower in PRONOUNS):
            break
        first -= 1
        if tokens[first + 1][2].lower() in PRONOUNS:
            break
    first += 1
    if first > index:
        return None
    if tokens[first][2].islower():
        # "a White House official who spoke anonymously to discuss internal strategy said": the relative clause's
        # words are not the speaker, the phrase before "who" is.
        for who in range(first - 1, max(first - 14, 0), -1):
            if not _is_word(tokens[who]):
                break
            if tokens[who][2] == "who":
                return _phrase_before(tokens, who - 1)
    if first == index and tokens[index][2].islower() and tokens[index][2].endswith(("ed", "ing")):
        # "the networks that were hacked suggested": a verb, not a speaker.
        return None
    if (
        first >= 2
        and tokens[first - 1][2] in ADVERBIAL_PREPOSITIONS
        and (tokens[first][2].islower() or tokens[first][2].isdigit())
    ):
        # "Sanders in the past has criticized": a phrase of time or place, not the speaker, stands before the verb.
        return _phrase_before(tokens, first - 2)
    if (
        first >= 2
        and tokens[first - 1][2] in OBJECT_PREPOSITIONS
        and _is_word(tokens[first - 2])
        and tokens[first - 2][2].lower() not in STOPS
    ):
        # "Sanders' fundraising email to his supporters notes": the phrase after a preposition is its object.
        outer = _phrase_before(tokens, first - 2)
        if outer:
            return outer[0], tokens[index][1]
    return tokens[first][0], tokens[index][1]


def phrase_before(text: str, start: int, end: int) -> tuple[int, int] | None:
    """The noun phrase that ends text[start:end] (adverbs aside): the subject of a verb at end."""
    # A paragraph's break ends any phrase: the headline above is never part of the speaker.
    tokens = _words(text, max(start, text.rfind("\n", start, end) + 1), end)
    if not tokens or not _is_word(tokens[-1]):
        return None
    return _phrase_before(tokens, len(tokens) - 1)


def source_after(text: str, start: int, end: int) -> tuple[int, int] | None:
    """The source named after "according to" in text[start:end], up to the comma that closes it: "According to
    Paul Sperry of Counter Jihad, “…”", "according to the Trump campaign"."""
    tokens = _words(text, start, min(end, start + REACH))
    last = 0
    while last < len(tokens) and last < MAX_WORDS and (_is_word(tokens[last]) or tokens[last][2] in "'’-&"):
        last += 1
    if last == 0 or last == MAX_WORDS or (last < len(tokens) and tokens[last][2] not in ",:.;"):
        return None
    return tokens[0][0], tokens[last - 1][1]


def _phrase_after(tokens: list, index: int) -> tuple[int, int] | None:
    """The noun phrase starting at tokens[index]: "said Anna Greenberg, a Democratic pollster"."""
    while index < len(tokens) and _is_word(tokens[index]) and tokens[index][2] in ADVERBS:
        index += 1
    last = index
    while last < len(tokens) and last - index < MAX_WORDS and _is_word(tokens[last]):
        if tokens[last][2].lower() in AFTER_STOPS and last > index:
            break
        last += 1
    if last == index or tokens[index][2].lower() in AFTER_STOPS:
        return None
    return tokens[index][0], tokens[last - 1][1]


def _is_verb(word: str, loose: bool) -> bool:
    """A reporting verb; loose takes any past tense too ("barked", "beamed"), as right after a quotation."""
    lower = word.lower()
    if lower in REPORTING_VERBS:
        return True
    # Right after a quotation, the present tense too ("…," they conclude / she notes), a noun elsewhere.
    return loose and word.islower() and ((lower.endswith("ed") and len(lower) > 4) or lower in PRESENT_SPEECH)


def _ends_clause(tokens: list, index: int) -> bool:
    """Whether the clause may end at tokens[index]: "…," he barked. / "…," he barked on Tuesday."""
    return index >= len(tokens) or not _is_word(tokens[index]) or tokens[index][2].lower() in AFTER_VERB


def tail_speaker(text: str, start: int, end: int, loose: bool = False) -> tuple[int, int, str] | None:
    """ "…," NP said / "…," said NP: the speaker right after a quotation, in text[start:end]; loose when the
    quotation closed as an attribution follows ("…," or "…?"), which lets any past tense be the verb ("barked")."""
    tokens = _words(text, start, min(end, start + REACH))
    index = 0
    while index < len(tokens) and not _is_word(tokens[index]) and tokens[index][2] in ",—–-":
        index += 1
    if index == len(tokens):
        return None
    first = tokens[index][2]
    if index and tokens[index - 1][2] in "—–-":
        # "“…” — Bernie Sanders": a credit after a dash.
        last = index
        while last < len(tokens) and last - index < 6 and _is_word(tokens[last]) and tokens[last][2][:1].isupper():
            last += 1
        if last > index and (last == len(tokens) or tokens[last][2] in ",.;("):
            return tokens[index][0], tokens[last - 1][1], ""
    # Right after a quotation, "asked the boy" names the one who asked.
    if first.lower().endswith("ing") and first.islower():
        # "…,” saying the city embodied …: a participle's subject is the sentence's, never the words after it.
        return None
    if _is_verb(first, loose or first.lower().endswith("ed")) and first.lower() not in OBJECT_VERBS - {"asked"}:
        phrase = _phrase_after(tokens, index + 1)
        return (*phrase, first) if phrase else None
    # After "…," a capitalised word opens no sentence: it is a name even when it is also a word ("…," Will wrote).
    named = loose and first[:1].isupper() and first != "I"
    if ((first.lower() in STOPS and first.lower() not in PRONOUNS) or first in ADVERBS) and not named:
        return None
    for verb in range(index + 1, min(len(tokens), index + 30)):
        word = tokens[verb][2]
        if not _is_word(tokens[verb]) and word not in ",()'’.-$%&":
            return None
        if verb - index > 6 and tokens[verb - 1][2] not in ",)" and tokens[verb][2].lower() not in SPEECH_VERBS:
            # Further than a short noun phrase, only "X, who …, said" names the speaker.
            continue
        went_on = word == "went" and verb + 1 < len(tokens) and tokens[verb + 1][2] == "on"
        if went_on or (word[:1].islower() and _is_verb(word, verb - index <= 4 and _ends_clause(tokens, verb + 1))):
            # The speaker's name, its appositive left out: "Harry Bond, 30, of Raleigh, N.C., who …, said".
            last = next((i for i in range(index, verb) if tokens[i][2] in ",("), verb) - 1
            while last > index and tokens[last][2].lower() in ADVERBS:
                last -= 1
            if last < index:
                return None
            return tokens[index][0], tokens[last][1], word
    return None


def head_speaker(text: str, start: int, end: int, sentence_start: int | None = None) -> tuple[int, int, str] | None:
    """NP said: "…" / NP called it "…": the speaker of a quotation in the words before it, text[start:end]; a
    participle's subject is read from sentence_start (start if not given)."""
    tokens = _words(text, max(start, end - REACH), end)
    for verb in range(len(tokens) - 1, -1, -1):
        word = tokens[verb][2].lower()
        if word not in REPORTING_VERBS:
            continue
        if tokens[verb][2][:1].isupper() and verb > 0 and _is_word(tokens[verb - 1]):
            # Capitalised within a phrase, it is part of a name: "the United States", "the Washington Post Reports".
            continue
        if word == "called" and verb + 1 < len(tokens) and tokens[verb + 1][2] == "for":
            continue
        if _is_plural_noun(tokens, verb):
            continue
        joined_at = verb - 1
        while joined_at > 0 and _is_word(tokens[joined_at]) and tokens[joined_at][2] in ADVERBS:
            # "… but now said", "and later told": the adverbs between the conjunction and its verb.
            joined_at -= 1
        joined = verb > 0 and tokens[joined_at][2].lower() in ("and", "but")
        named = tokens[verb - 1][2] if verb > 1 and _is_word(tokens[verb - 1]) else ""
        if word.endswith("ing") and named[:1].isupper() and named.lower() not in STOPS:
            # "…, Ryan saying he was "very encouraged" and Trump calling it "…"": the name before the participle.
            phrase = _phrase_before(tokens, verb - 1)
            if phrase:
                return (*phrase, tokens[verb][2])
        if (
            word.endswith("ing")
            or joined
            or (verb > 0 and tokens[verb - 1][2] == "," and not _appositive(tokens, verb - 1))
        ):
            # "…, telling the crowd", ", saying", "He praised them but said": the subject opens the sentence, and
            # the verb is the cue.
            if sentence_start is not None and sentence_start < start:
                subject = _subject(_words(text, sentence_start, min(end, sentence_start + REACH)))
            else:
                subject = _subject(tokens)
            return (subject[0], subject[1], tokens[verb][2]) if subject else None
        before = verb - 1
        if before > 0 and tokens[before][2].lower() == "to":
            # "He went on to say", "The paper had this to say": the subject stands before the verb phrase.
            before -= 1
            while before > 0 and tokens[before][2].lower() in ("on", "this", "that", "quick", "was", "is"):
                before -= 1
            before -= 1
        phrase = _phrase_before(tokens, before) if before >= 0 else None
        if phrase:
            return (*phrase, tokens[verb][2])
        if verb > 1 and tokens[verb - 1][2] in DASHES:
            # "Gingrich — mentioned by Newsmax as a running mate — told": the speaker before the dashes' aside.
            aside = next(
                (index for index in range(verb - 2, max(verb - 30, 0), -1) if tokens[index][2] in DASHES), None
            )
            phrase = _phrase_before(tokens, aside - 1) if aside else None
            if phrase:
                return (*phrase, tokens[verb][2])
        if word in LISTENER_FORMS:
            # "… — told Bill O'Reilly of Fox News": the one told is never the speaker.
            return None
        if verb == 0 or (verb > 0 and not _is_word(tokens[verb - 1])):
            # "Said Dorothy Poynter, who grew up with him, "…"", "Stated Stone:": the speaker after the verb.
            phrase = _phrase_after(tokens, verb + 1)
            return (*phrase, tokens[verb][2]) if phrase else None
        return None
    if tokens and tokens[-1][2] == ":":
        # "Name, Outlet: "…"": a colon introduction names the speaker first; "Polls were wrong - HuffPollster:
        # "…"" right before the colon.
        dash = next((index for index in range(len(tokens) - 2, -1, -1) if tokens[index][2][:1] in "-—–"), None)
        if dash is not None and len(tokens[dash][2]) > 1:
            # "… all along -More from Blumenthal:": a dash pasted onto the next word still ends the phrase before.
            tokens = [(tokens[dash][0] + 1, tokens[dash][1], tokens[dash][2][1:]), *tokens[dash + 1 :]]
        elif dash is not None:
            tokens = tokens[dash + 1 :]
        source = next(
            (index for index in range(len(tokens) - 2, -1, -1) if tokens[index][2] in ("from", "From")), None
        )
        if source is not None and source < 2:
            # "From the report:", "More from Jones:": the source follows "from".
            return tokens[source + 1][0], tokens[-2][1], ""
        return _subject(tokens)
    return None


def _is_plural_noun(tokens: list, index: int) -> bool:
    """A reporting verb's -s form read as the noun it also is: "Trump's seemingly confused messages have given",
    "his remarks", "the reports were": after a possessive or determiner, or before an auxiliary."""
    word = tokens[index][2]
    if not (word.endswith("s") and word.islower()):
        return False
    previous = tokens[index - 1][2] if index > 0 else ""
    following = tokens[index + 1][2].lower() if index + 1 < len(tokens) else ""
    return (
        previous.endswith(("'s", "’s", "s'", "s’")) or previous.lower() in NOUN_DETERMINERS or following in AUXILIARIES
    )


def _appositive(tokens: list, comma: int) -> bool:
    """Whether the comma before a verb closes an appositive ("Murphy, the head of X, said")."""
    return any(tokens[index][2] == "," for index in range(max(0, comma - 15), comma))


def _subject(tokens: list) -> tuple[int, int, str] | None:
    """The noun phrase that opens the clause, after an opening phrase ("On Saturday, ", "In a statement, "): up to
    its first stop word."""
    # "But ", "Meanwhile, ": a connective and its comma open no subject.
    while tokens and (tokens[0][2].lower() in CONNECTIVES or (tokens[0][2] == "," and len(tokens) > 1)):
        tokens = tokens[1:]
    if len(tokens) > 1 and tokens[0][2].isupper():
        # A dateline: "WASHINGTON — Sen. Chuck Grassley said", "LOS ANGELES -- ", "PHILADELPHIA, July 25 (UPI) — ".
        dash = next(
            (index for index, token in enumerate(tokens[1:10], 1) if token[2] in DASHES or token[2] == "-"), None
        )
        if dash is not None:
            tokens = tokens[dash + 1 :]
            while tokens and tokens[0][2] == "-":
                tokens = tokens[1:]
    for _ in range(OPENING_PHRASES):
        first = tokens[0][2].lower() if tokens else ""
        of_time = first in DETERMINERS_OF_TIME or any(token[2].lower() in TIME_NOUNS for token in tokens[1:3])
        # "Shortly after the call ended, ", "Early in his campaign, ": an adverb opening a phrase, not a name.
        adverb = first.endswith("ly") and len(tokens) > 1 and tokens[1][2].islower()
        # "On July 6, 2015, Sanders said": the year closes the date's phrase.
        adverb = adverb or first.isdigit()
        if not ((first in STOPS | ADVERBS and first not in PRONOUNS) or first.endswith("ing") or of_time or adverb):
            break
        # "Holding signs calling Christie a loser, the protesters chanted", "A few days later, Trump said", and
        # one phrase after another: "On Thursday, after remaining neutral, Warren appeared".
        comma = next((index for index, token in enumerate(tokens[:20]) if token[2] == ","), None)
        if comma is None:
            return None
        place = comma > 1 and tokens[comma - 1][2][:1].isupper() and tokens[comma - 2][2] in ("in", "at", "from")
        tokens = tokens[comma + 1 :]
        state = next((index for index, token in enumerate(tokens[:4]) if token[2] == ","), None)
        if place and state and all(token[2][:1].isupper() for token in tokens[:state]):
            # "Speaking at a town hall in Salem, New Hampshire, Trump went": the state closes the place.
            tokens = tokens[state + 1 :]
        elif (
            state
            and all(token[2][:1].islower() for token in tokens[:state])
            and tokens[0][2] not in SUBJECT_OPENINGS
            and not any(token[2] in REPORTING_VERBS for token in tokens[:state])
        ):
            # "Following a swiftly called, late-afternoon meeting, the Council issued": words in lower case between
            # two commas go on with the opening phrase.
            tokens = tokens[state + 1 :]
    if tokens and tokens[0][2].lower().endswith("ing"):
        return None
    last = 0
    while last < len(tokens) and last < MAX_WORDS and _is_word(tokens[last]):
        word = tokens[last][2]
        if word.lower() in STOPS and not (last == 0 and word.lower() in PRONOUNS):
            break
        if last and word.islower() and (word in REPORTING_VERBS or word.endswith("ed") or word in IRREGULAR_PAST):
            # The verb: "The report found", "Roe issued a statement".
            break
        following = tokens[last + 1][2].lower() if last + 1 < len(tokens) else ""
        if last and word.islower() and word.endswith("s") and following in OBJECT_DETERMINERS:
            # "Politico reveals a few facts", "The ad targets the senator": a verb in the present, before its object
            # (where "Trump supporters said" and "Clinton aides" are nouns).
            break
        if last and word.islower() and _is_adverb_before_verb(tokens, last):
            # "Roe bluntly dismissed", "Roe also said".
            break
        last += 1
        if word.lower() in PRONOUNS:
            break
    if last == 0 or (last > 1 and all(token[2].isupper() for token in tokens[:last] if token[2][:1].isalpha())):
        # Words all in capitals are a headline ("NEW YORK ENDS TAMPON TAX “…”"), not a speaker.
        return None
    return tokens[0][0], tokens[last - 1][1], ""


def opening_subject(text: str, start: int, end: int) -> tuple[int, int, str] | None:
    """The noun phrase opening the sentence text[start:end] when it names someone: a capitalised name or a pronoun."""
    tokens = _words(text, start, min(end, start + REACH))
    while tokens and tokens[0][2].lower() in CONNECTIVES:
        tokens = tokens[1:]
    if not tokens or not (tokens[0][2][:1].isupper() or tokens[0][2].lower() in PRONOUNS):
        return None
    return _subject(tokens)
