"""Full-text search over statements: web-search syntax, accents ignored, ranked and highlighted.

Statements in English are indexed with PostgreSQL's English configuration (stemming, stop words);
statements in other languages and scripts with the simple one (each word as written). A search is
parsed both ways and each statement is matched with the parse of its own configuration, so
"-sanctions" excludes "sanction" from English statements without letting a simple-parsed word
match them by accident. The index is kept by a trigger (statements.derived).

Korean words are searched by their morphemes (statements.korean): a statement's are stored beside it, a search's
Korean words are read into theirs first (북한은 → 북한), and highlighting marks the written words that start with
them (북한은, 북한의), since PostgreSQL cannot read Korean itself.
"""

import collections
import functools
import re

from django.db.models import BooleanField, Expression, F, FloatField, Func, TextField, Value
from django.db.models.expressions import RawSQL
from django.utils.html import escape
from django.utils.safestring import mark_safe

from diplotrack.replicas import reading
from statements import korean

# Marks that cannot appear in statements (Unicode private use), turned into <mark> after escaping.
START, STOP = "\ue000", "\ue001"


class Unaccent(Func):
    function = "statements_unaccent"
    output_field = TextField()


class Searched(Expression):
    """SQL written around a statement's search vector and language: a search's condition or its rank.

    The ORM's tree for the same SQL (SearchQuery, Unaccent and Value expressions, Q lookups on the language) was
    copied, resolved and compiled at each filter and each query that holds it: writing (b)'s counting query took 5.9
    ms, 3.8 ms now (benchmarks/HISTORY.md, 7 December). The columns stay expressions, so a subquery's alias is the
    statement's.
    """

    def __init__(self, sql, params, output_field):
        super().__init__(output_field=output_field)
        self.sql, self.params = sql, params
        self.columns = [F("search_vector"), F("language")]

    def get_source_expressions(self):
        return self.columns

    def set_source_expressions(self, expressions):
        self.columns = expressions

    def as_sql(self, compiler, connection):
        (vector, _), (language, _) = (compiler.compile(column) for column in self.columns)
        return self.sql.format(vector=vector, language=language), self.params


def parse(config):
    """A search's words as analysed (korean.analysed; one parameter), parsed as a web search by a text search
    configuration."""
    return f"websearch_to_tsquery('{config}'::regconfig, statements_unaccent(%s))"


ENGLISH = "({language} = 'en' OR {language}::text LIKE 'en-%%')"


def matching(words):
    """A condition matching statements that the search words find."""
    analysed = korean.analysed(words)
    sql = f"({ENGLISH} AND {{vector}} @@ {parse('english')} OR NOT {ENGLISH} AND {{vector}} @@ {parse('simple')})"
    return Searched(sql, [analysed, analysed], BooleanField())


def matching_parts(words, *, by_pairs=True):
    """The conditions of `matching`, apart: the statements each selects are `matching`'s, and none selects another's.

    Read as one condition, a statement the index finds is checked against both parses (the index's recheck), then
    against its own again (the condition), and a phrase is checked against each one's positions each time. Read as
    parts (UNION ALL), each part's index recheck is its only check: the English part's parse for the English
    statements, the simple one's for the others. When both parses read alike (Korean, names), the first part finds
    them all and the second none: the planner computes that from the words, and reads one part only.

    A phrase of two words that must hold (`"united states"`) is found by its pair of words in the index
    statement_bigrams rather than by checking the positions of every statement that holds both words: 83,049 of them
    for the 28,188 that hold the phrase, at a million statements (see paired). Not `by_pairs`: by the positions, as
    `matching` does.
    """
    analysed = korean.analysed(words)
    alike = f"{parse('english')} = {parse('simple')}"
    english_pairs, simple_pairs = paired(words) if by_pairs else (None, None)
    english, english_params = vector_condition("english", english_pairs, analysed)
    simple, simple_params = vector_condition("simple", simple_pairs, analysed)
    english = f"({english} AND ({ENGLISH} OR {alike}))"
    simple = f"({simple} AND NOT {ENGLISH} AND NOT ({alike}))"
    return [
        Searched(english, [*english_params, analysed, analysed], BooleanField()),
        Searched(simple, [*simple_params, analysed, analysed], BooleanField()),
    ]


def vector_condition(config, pairs, analysed):
    """A part's condition on the search vector and its parameters: the words' parse by a configuration; or, when the
    parse has phrases of two words that must hold (`pairs`: see paired), its other words and its pairs'."""
    if pairs is None:
        return f"{{vector}} @@ {parse(config)}", [analysed]
    rest, bigrams = pairs
    return "{vector} @@ %s::tsquery AND statements_bigrams({vector}) @@ %s::tsquery", [rest, bigrams]


# A tsquery as PostgreSQL writes it: a lexeme in quotes (a quote in it doubled) with its marks (:* a prefix, :AB
# weights), the operators (<-> and <N> phrases) and parentheses.
TSQUERY_TOKEN = re.compile(r"'(?:[^'\\]|'')*'(?::[*A-D]+)?|<->|<\d+>|[!&|()]")


def paired(words):
    """For the English parse of the search words, then the simple one: the parse (a tsquery's text, as PostgreSQL
    writes it) as two that hold together, or None: its phrases of two plain words (`'unit' <-> 'state'`) among the
    conditions that must all hold, each as its two words (`'unit' & 'state'`), the rest as it was; and those pairs as
    statements_bigrams writes them (`'unit state'`), joined by &.

    A vector matches the parse when it matches the first and its bigrams the second: two words are next to each
    other exactly where their pair is among its bigrams, both read from the same positions. None where a phrase would
    remain (a longer one, a negated one, one among alternatives): the index's recheck would read that one's positions,
    and the bigrams in the same recheck, computed again for each statement checked (60 us each), took 3 s for
    `"security council"` at a million statements, 87 ms from the index.
    """
    parsed = parses(words)
    return split_pairs(parsed.english), split_pairs(parsed.simple)


def split_pairs(query):
    """One parse (a tsquery's text) as `paired` splits it: (its words, its pairs), or None."""
    tokens = TSQUERY_TOKEN.findall(query)
    if TSQUERY_TOKEN.sub("", query).strip():  # Written otherwise than expected: left as it is.
        return None
    conjuncts, depth = [[]], 0
    for token in tokens:
        depth += (token == "(") - (token == ")")
        if depth == 0 and token == "|":  # Alternatives: no pair must hold.
            return None
        if depth == 0 and token == "&":
            conjuncts.append([])
        else:
            conjuncts[-1].append(token)
    rest, pairs = [], []
    for conjunct in conjuncts:
        first, operator, second = conjunct if len(conjunct) == 3 else (None, None, None)
        if operator == "<->" and all(plain(lexeme) for lexeme in (first, second)):
            rest.append(f"{first} & {second}")
            pairs.append(quoted(f"{unquoted(first)} {unquoted(second)}"))
        elif any(token.startswith("<") for token in conjunct):
            return None
        else:
            rest.append(" ".join(conjunct))
    return (" & ".join(rest), " & ".join(pairs)) if pairs else None


def plain(token):
    """Whether a tsquery's token is a lexeme without marks (no prefix, no weights)."""
    return token.startswith("'") and token.endswith("'") and len(token) > 1


def unquoted(lexeme):
    return lexeme[1:-1].replace("''", "'")


def quoted(lexeme):
    return "'" + lexeme.replace("'", "''") + "'"


def rank(words):
    # Normalized by the log of the document's length (1), so a short quotation can outrank a long speech.
    analysed = korean.analysed(words)
    sql = f"ts_rank({{vector}}, {parse('english')} || {parse('simple')}, 1)"
    return Searched(sql, [analysed, analysed], FloatField())


class Headline(Func):
    """The statement's words with the search terms marked: whole when short, in fragments when long; of a long text,
    from a window of it around its first match (statements_headline, in statements.derived)."""

    function = "statements_headline"
    output_field = TextField()

    def __init__(self, query, whole_up_to=700, *, column="text", language="language", window=1500):
        """`query`: the words to mark, as headline_query makes them."""
        config = Func(F(language), function="statements_search_config")
        super().__init__(config, F(column), query, Value(START), Value(STOP), Value(whole_up_to), Value(window))


def headline_parts(words):
    """What a headline marks of a search: its words as analysed (statements.korean), and the Korean words as written
    that its Korean words stand for, as a query of prefixes (북한 marks 북한은); None without Korean words."""
    prefixes = korean.highlight_prefixes(words)
    return korean.analysed(words), " | ".join(f"'{korean.lexeme(prefix)}':*" for prefix in prefixes) or None


def headline_query(analysed, prefixes=None):
    """The query a headline marks, from headline_parts: parameters of the SQL, which is the same for every search
    with (or every search without) Korean prefixes."""
    sql, params = f"{parse('english')} || {parse('simple')}", [analysed, analysed]
    if prefixes is not None:
        sql, params = f"{sql} || to_tsquery('simple'::regconfig, %s)", [*params, prefixes]
    return RawSQL(sql, params)


def highlighted(headline, words=""):
    """Escape a headline's text and turn its marks into <mark> elements.

    With the search words, Korean words as written that hold one of theirs are marked too: PostgreSQL marks those
    that start with it (북한은 for 북한), not a compound that holds it inside (한미동맹은 for 동맹).
    """
    prefixes = korean.highlight_prefixes(words) if words else []
    if prefixes:
        inside = re.compile("|".join(map(re.escape, prefixes)))
        headline = HANGUL_WORD.sub(
            lambda word: f"{START}{word[2]}{STOP}" if word[2] and inside.search(word[2]) else word[0], headline
        )
    return mark_safe(escape(headline).replace(START, "<mark>").replace(STOP, "</mark>"))


# A word of Hangul in a headline, unless marked already.
HANGUL_WORD = re.compile(f"({START}[^{STOP}]*{STOP})|([가-힣]+)")


# The parses depend on the words and the dictionaries alone (which a migration changes, restarting the site): asked
# once a process for each of the searches most asked for, rather than a round trip a request.
@functools.lru_cache(maxsize=4096)
def parses(words):
    """The search words' English and simple parses (tsqueries' texts), and how many nodes the English one has."""
    analysed = korean.analysed(words)
    with reading().cursor() as cursor:
        cursor.execute(
            f"SELECT english::text, {parse('simple')}::text, numnode(english)"
            f" FROM (SELECT {parse('english')} AS english) AS parsed",
            [analysed, analysed],
        )
        return Parses(*cursor.fetchone())


Parses = collections.namedtuple("Parses", ["english", "simple", "english_nodes"])


def has_lexemes(words):
    """Whether the search holds a word that is not a stop word ("the", "or"...) in English."""
    return parses(words).english_nodes > 0
