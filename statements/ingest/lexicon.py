"""Small hand-written word lists of news attribution: speech verbs, titles, roles and organizations."""

import re

from .trie import trie_pattern


def words(text: str) -> frozenset[str]:
    """A word list written as one string, which keeps long lexicons compact."""
    return frozenset(text.split())


# Speech verbs by base form; inflections are generated below.
SPEECH_VERBS = words(
    """say add note stress warn tell write ask argue insist explain continue emphasize emphasise urge declare state
    remark recall clarify claim announce acknowledge admit assert comment complain concede confirm contend deny
    observe predict promise pledge vow reiterate reply respond retort reveal suggest tweet underline underscore
    highlight caution conclude counter elaborate agree boast demand lament quip joke proclaim repeat testify
    wonder mention call describe criticize criticise indicate allege report affirm answer exclaim recount
    propose"""
) | {"point out"}

IRREGULAR = {
    "say": ("said", "says", "saying", "say"),
    "tell": ("told", "tells", "telling"),
    "write": ("wrote", "writes", "writing"),
}
# Present-tense forms common in features ("she says"); other -s forms are too often nouns ("notes", "calls").
PRESENT_TENSE = words("""adds warns argues insists explains asks stresses urges continues recalls admits""")


def _inflections(verb: str) -> list[str]:
    """Past and -ing forms of a speech verb, with its present form where that is not also a noun."""
    if verb in IRREGULAR:
        return list(IRREGULAR[verb])
    head, _, particle = verb.partition(" ")
    tail = f" {particle}" if particle else ""
    if head.endswith("ee"):
        forms = [head + "d", head + "ing", head + "s"]
    elif head.endswith("e"):
        forms = [head + "d", head[:-1] + "ing", head + "s"]
    elif head.endswith("y") and head[-2] not in "aeiou":
        forms = [head[:-1] + "ied", head + "ing", head[:-1] + "ies"]
    elif head.endswith(("ss", "sh", "ch")):
        forms = [head + "ed", head + "ing", head + "es"]
    elif head in ("quip", "admit"):
        forms = [head + head[-1] + "ed", head + head[-1] + "ing", head + "s"]
    else:
        forms = [head + "ed", head + "ing", head + "s"]
    if forms[2] not in PRESENT_TENSE:
        forms.pop()
    return [form + tail for form in forms]


CUE_WORDS = sorted({form for verb in SPEECH_VERBS for form in _inflections(verb)}, key=len, reverse=True)
PARTICIPLE_CUES = frozenset(form for form in CUE_WORDS if form.endswith("ing"))
# Verbs that take the listener as object ("told reporters"), so the word after them is not the speaker.
LISTENER_VERBS = frozenset(_inflections("tell") + _inflections("ask") + _inflections("urge"))

# Case-sensitive: a capitalised "State" is a title word, not a verb; "so-called" is not a cue.
CUE_PHRASES = frozenset(CUE_WORDS) | {
    "quoted",
    "according to",
    "According to",
    "was quoted as saying",
    "were quoted as saying",
    # "As Roe put it, “…”": words put one way are said.
    "put it",
}
CUE_RE = re.compile(r"(?<![\w-])(?:" + trie_pattern(sorted(CUE_PHRASES)) + r")(?![\w-])")

# The listener named after "told"/"asked" belongs to the cue ("told reporters"); so does "in a statement".
LISTENER_RE = re.compile(
    r"\s+(?:reporters|journalists|lawmakers|the press|the media|parliament|Parliament|Congress|the [A-Z][\w-]*"
    r"(?: [A-Z][\w-]*){0,3}|[A-Z][\w.-]*(?: [A-Z][\w.-]*){0,3})\b"
)
MEDIUM_RE = re.compile(
    r"\s+in an? (?:statement|speech|briefing|post|letter|interview|press release|social media post|"
    r"televised address|news conference|press conference)\b"
)

ADVERBS = words(
    """also later further then again previously earlier reportedly recently repeatedly once separately additionally
    simply flatly publicly privately bluntly openly firmly has had have was were is are would will could had
    further still already emphatically confidently cautiously candidly frankly yesterday today tonight"""
)
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

PRONOUNS = {"he": "m", "she": "f", "they": "p", "it": "o", "i": "", "we": "p"}

# Nouns that name a speaking person by role ("the senior official", "a spokesperson").
ROLES = words(
    """official officials minister ministers spokesperson spokesman spokeswoman spokespeople diplomat diplomats
    ambassador envoy president vice-president secretary adviser advisor aide aides negotiator lawmaker lawmakers
    legislator senator congressman congresswoman representative governor mayor chairman chairwoman chair chief
    director commander general admiral officer officers analyst analysts expert experts source sources leader
    leaders premier chancellor king queen prince emperor monarch pope cleric lawyer attorney prosecutor
    prosecutors judge professor researcher economist strategist executive ceo founder head member members
    resident residents witness witnesses activist activists protester protesters worker workers student students
    victim survivor survivors candidate nominee commissioner inspector investigator investigators observer
    observers critic critics colleague colleagues counterpart counterparts delegate delegates delegation
    representative representatives deputy undersecretary under-secretary president-elect premier-elect ruler
    dictator sister brother wife husband mother father son daughter journalist reporter editor columnist author
    historian scientist doctor spokespersons ministers secretaries envoys ambassadors secretary-general
    under-secretary-general undersecretary-general director-general attorney-general governor-general
    consul-general vice-minister deputy-minister vice-chairman vice-chair chief-of-staff high-representative
    psychologist pollster consultant physician nurse teacher pastor farmer owner manager entrepreneur engineer
    scholar sociologist demographer philosopher businessman businesswoman voter voters supporter supporters
    volunteer organizer coach actor actress comedian host anchor commentator blogger writer novelist filmmaker
    artist veteran retiree sheriff surgeon economists strategists pollsters consultants scholars"""
)
PLURAL_ROLES = frozenset(role for role in ROLES if role.endswith("s") and role[:-1] in ROLES) | {"spokespeople"}

# Capitalised words that are part of a title, never of a person's name.
TITLE_WORDS = words(
    """president minister secretary ambassador spokesperson spokesman spokeswoman chairman chairwoman chair
    director general gen. senator sen. rep. representative gov. governor mayor prime vice deputy foreign defense
    defence unification finance trade state chief leader commissioner king queen prince princess pope chancellor
    premier envoy special adviser advisor national security justice judge lt. col. adm. maj. capt. sgt. mr. mrs.
    ms. miss dr. prof. ceo head speaker lawmaker senior top first lady sheikh emir sultan crown supreme
    commander admiral colonel lieutenant captain professor officer official attorney counselor counsellor
    undersecretary under assistant press secretary-general director-general president-elect vice-president
    former acting interior home economy industry energy health education environment agriculture labor labour
    culture transport science land oceans fisheries gender veterans strategy planning budget commerce treasury
    homeland affairs external international relations cooperation public diplomacy nuclear army navy air force
    joint staff spokesperson-in-chief chargé d'affaires consul consul-general delegate permanent
    ambassador-at-large representative-elect minister-designate nominee house majority minority whip opposition
    ruling party premier-elect governor-general field marshal rev. father imam rabbi cardinal bishop archbishop
    lord lady sir dame baroness baron duke duchess economic military political policy communications
    intelligence strategic defense-policy"""
)
HONORIFICS = {"mr.": "m", "mr": "m", "mrs.": "f", "mrs": "f", "ms.": "f", "ms": "f", "miss": "f", "sir": "m"}
HONORIFICS.update({"dame": "f", "lord": "m", "lady": "f", "king": "m", "queen": "f", "prince": "m", "princess": "f"})

# Words that end an organization's name ("Foreign Ministry", "White House", "Joint Chiefs of Staff").
ORGANIZATION_WORDS = words(
    """ministry department office house council committee party agency command staff government commission bank
    association union court assembly service bureau administration parliament congress senate kremlin pentagon
    embassy mission institute university center centre corporation group forces army navy police secretariat
    cabinet presidency federation alliance nato un fund organization organisation board authority authorities
    tribunal coalition front movement foundation network newspaper agency daily times post herald journal yonhap
    kcna xinhua reuters ap afp tass bbc cnn nhk"""
)
KNOWN_ORGANIZATIONS = words(
    """Kremlin Pentagon KCNA Yonhap Xinhua Reuters TASS AFP NATO UN Elysee Élysée Quai Beijing Moscow Washington
    Seoul Tokyo Pyongyang Kyiv Tehran"""
)

# Lowercase words that may sit inside a descriptive noun phrase ("a senior Foreign Ministry official").
MODIFIERS = words(
    """senior top junior high-ranking high-level ranking former acting chief deputy vice foreign defense defence
    presidential military government ministry state national security nuclear press trade economic finance
    political diplomatic unification another anonymous unnamed spokesperson of for and the at in from with
    presidential-office ruling opposition main leading longtime veteran current new incoming outgoing special
    regional local federal municipal provincial intelligence police army naval navy air force justice health
    interior home energy industry environment agriculture labor education culture science first second third two
    three several many some other key top-ranking mid-level lower-ranking administration congressional white
    house party union campaign embassy consulate military's ministry's official's its his her their"""
)
DETERMINERS = words("""the a an one another two three four several some many other its his her their this these""")

# Words that open a sentence but never a speaker's noun phrase.
NON_NAME_CAPITALS = words(
    """The A An On In At During Regarding Asked When While After Before But And However Meanwhile Still Yet So
    Speaking Referring Addressing Commenting Responding Also Earlier Later Last This That These Those It He She
    They We I As If Although Though Since Because With Without For From To By Of About Under Over Amid Despite
    Following Ahead Citing According Separately Nonetheless Instead Indeed Then Now Today Yesterday Tomorrow
    There Here Such Other Another Both Each Every All Some Many Most Few Several One Two Three"""
)
NON_NAME_CAPITALS |= frozenset(WEEKDAYS)
MONTHS = words(
    """January February March April May June July August September October November December Jan. Feb. Mar. Apr.
    Jun. Jul. Aug. Sep. Sept. Oct. Nov. Dec."""
)

# Common family names written first in Korean and Chinese names ("Cho Tae-yul", "Xi Jinping").
EAST_ASIAN_FAMILY_NAMES = words(
    """Kim Lee Park Choi Cho Jung Jeong Kang Yoon Yun Jang Lim Han Oh Seo Shin Kwon Hwang Ahn Song Yoo Hong Jeon Ko
    Moon Yang Son Bae Baek Heo Nam Shim Noh Ha Kwak Sung Cha Joo Woo Koo Min Ryu Na Jin Ji Chae Won Chun Bang
    Gong Hyun Ham Byun Yeom Yeo Choo Do Seok Seol Ma Gil Yeon Pyo Ki Ban Ra Wang Ok Yook Maeng Je Tak Kook Eun
    Chung Rhee Yi Roh Hahn Suh Kil Goh Xi Li Zhang Liu Chen Huang Zhao Wu Zhou Xu Sun Zhu Hu Guo He Lin Luo Gao
    Zheng Liang Xie Tang Feng Deng Cao Peng Zeng Xiao Tian Dong Pan Yuan Cai Jiang Yu Du Ye Cheng Wei Su Lu Ding
    Ren Shen Yao Fu Mao Qin Lai Tsai Hou Ko Wen Bo Kong Shi Lou Qian Meng Hua"""
)

# Where a speaker may be written: next to a speech verb, or introduced by a role or title ("a senior Foreign Ministry
# official"). Anchors of one word lie within a token, where WORD_ANCHOR_RE finds them; those of several words
# ("according to", "was quoted as saying") are found by themselves.
ANCHOR_WORDS = ROLES | {word.capitalize() for word in ROLES | TITLE_WORDS if word.isalpha()}
ANCHOR_PHRASES = ANCHOR_WORDS | CUE_PHRASES
WORD_ANCHOR_RE = re.compile(
    r"(?<![\w-])(?:" + trie_pattern(sorted(phrase for phrase in ANCHOR_PHRASES if " " not in phrase)) + r")(?![\w-])"
)
PHRASE_ANCHORS = [phrase for phrase in sorted(ANCHOR_PHRASES) if " " in phrase]
WORD_ANCHORS = frozenset(phrase for phrase in ANCHOR_PHRASES if " " not in phrase)

# Common given names that tell a person's gender, so that "she said" does not go to the last man named.
FEMALE_NAMES = words(
    """Mary Patricia Jennifer Linda Elizabeth Barbara Susan Jessica Sarah Karen Nancy Lisa Betty Margaret Sandra
    Ashley Kimberly Emily Donna Michelle Dorothy Carol Amanda Melissa Deborah Stephanie Rebecca Sharon Laura Cynthia
    Kathleen Amy Shirley Angela Helen Anna Brenda Pamela Nicole Emma Samantha Katherine Christine Debra Rachel
    Catherine Carolyn Janet Ruth Maria Heather Diane Virginia Julie Joyce Victoria Olivia Christina Lauren
    Joan Evelyn Judith Megan Cheryl Andrea Hannah Martha Jacqueline Frances Gloria Ann Teresa Kathryn Sara Janice
    Alice Madison Doris Abigail Julia Judy Grace Denise Amber Marilyn Beverly Danielle Theresa Sophia Marie
    Diana Brittany Natalie Isabella Charlotte Rose Alexis Kayla Hillary Chelsea Melania Ivanka Michelle Nikki
    Carly Sarah Elizabeth Nancy Kellyanne Megyn Huma Debbie Condoleezza Madeleine Angela Theresa Marine Hilda
    Christine Ursula Kamala Tulsi Amy Kirsten Jill Susana Mia Tammy Maxine Loretta Janet Sheryl Oprah Jane
    Kristen Erin Claire Caroline Eleanor Gina Valerie Wendy Yvonne Zoe Irene Ingrid Ilhan Liz Kate"""
)
MALE_NAMES = words(
    """James Robert John Michael David William Richard Joseph Thomas Charles Christopher Daniel Matthew Anthony Mark
    Donald Steven Paul Andrew Joshua Kenneth Kevin Brian George Timothy Ronald Edward Jason Jeffrey Ryan Jacob Gary
    Nicholas Eric Jonathan Stephen Larry Justin Scott Brandon Benjamin Samuel Gregory Alexander Frank Patrick
    Raymond Jack Dennis Jerry Tyler Aaron Jose Adam Nathan Henry Douglas Zachary Peter Kyle Ethan Walter Noah
    Jeremy Christian Keith Roger Terry Gerald Harold Sean Austin Carl Arthur Lawrence Dylan Jesse Jordan Bryan
    Billy Joe Bruce Gabriel Logan Albert Willie Alan Juan Wayne Elijah Randy Roy Vincent Ralph Eugene Russell
    Bobby Mason Philip Louis Barack Bernie Ted Marco Jeb Chris Ben Rand Mike Newt Rudy Reince Corey Bill Joe Tim
    Harry Mitch Lindsey Rick Bobby Martin Lincoln Jim Tom Bob Dick Al Hugh Sean Rush Glenn Vladimir Xi Shinzo
    Emmanuel Francois Boris Justin Recep Benjamin Abdel Kim Moon Yoon Antony Jake Lloyd Marco Sergei Narendra Olaf
    Pedro Luiz Andres Javier Carlos Luis Miguel Jorge Ahmed Mohammed Muhammad Ali Omar Hassan Hussein Ibrahim Khalid
    Reuven Yair Naftali Bibi Rex Jared Steve Stephen Kellyanne Reid Chuck Elijah Jerome Clarence Merrick Antonin
    Anthony Neil Brett Dan Jon Ron Ken Don Greg Jeff Josh Matt Nick Pete Sam Zach Sen"""
) - {"Kellyanne", "Lindsey", "Sen", "Kim", "Moon", "Yoon"}
