"""Link each quotation to the one whose attribution it continues, so that a curator who corrects the speaker of one
can correct its follow-ons with it.

A follow-on is attributed by a pronoun ("…," she said), by the mention of an earlier quotation (the next sentence's
quotation of the same speaker), or by nothing at all (a quotation holding the floor); a transcript's turns under
one label follow the label's first turn. Each links to the head of its chain: the latest quotation that named the
speaker.
"""

from .records import Quotation

PRONOUNS = frozenset(("he", "she", "they", "it", "we", "i", "him", "her", "them"))


def link_follow_ons(quotations: list[Quotation]) -> None:
    """Set `follows` on every quotation that continues another's attribution."""
    heads: dict[int, int] = {}  # id(speaker): the latest quotation that named them
    mentioned: set[int] = set()  # mention offsets already used by a quotation
    labels: dict[tuple[str, int], int] = {}  # a transcript's label and speaker: the label's first turn
    for index, quotation in enumerate(quotations):
        speaker = quotation.speaker
        if speaker is None:
            continue
        key = id(speaker)
        if quotation.kind == "speech" and quotation.mention:
            first = labels.setdefault((quotation.mention, key), index)
            quotation.follows = first if first != index else None
            continue
        shared = quotation.mention_start is not None and quotation.mention_start in mentioned
        inherited = quotation.found_by is not None and quotation.found_by[0] == "follow-on"
        weak = quotation.mention is None or quotation.mention.casefold() in PRONOUNS or shared or inherited
        if weak and key in heads:
            quotation.follows = heads[key]
        else:
            heads[key] = index
        if quotation.mention_start is not None:
            mentioned.add(quotation.mention_start)
