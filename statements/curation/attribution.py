"""What the review tells a curator about each quotation's speaker: how sure the extractor is, which quotations follow
it ("she said" chains), and which official in the database it is by name and role together.
"""

import datetime
import re

from django.db.models import Q
from django.http import QueryDict

from statements.ingest import Quotation, Speaker
from statements.models import Official, Organization

# Below this the speaker is shown as a guess to check.
LOW_CONFIDENCE = 0.6
# The review fields that say who spoke: copied together from a quotation to its follow-ons.
SPEAKER_FIELDS = (
    "speaker",
    "official",
    "name",
    "role",
    "country",
    "attribution_text",
    "organization",
    "new_organization",
)
WORD_RE = re.compile(r"[^\W_]+")
# Enough officials of one family name or organization to choose from.
MAX_HOLDERS = 50
# Words of a title that say nothing of which position it is.
GENERIC = frozenset(("the", "of", "for", "and", "to", "in", "a", "an", "senior", "top", "former", "acting", "s"))


def doubt(quotation: Quotation) -> str:
    """Why the speaker should be checked, or "" when the extractor is sure enough."""
    if quotation.speaker is None:
        return "No speaker was found for these words: choose who said them."
    confidence = quotation.confidence
    if confidence is not None and confidence < LOW_CONFIDENCE:
        return f"The speaker is a guess (confidence {confidence:.2f}): check who said these words."
    return ""


DATE_NOTES = {
    "stated": "The date is stated in the text.",
    "relative": "The date is read from a word such as “Tuesday” or “yesterday” against the publication date.",
    "publication": "The text gives no date for these words: the publication date is assumed.",
}


def date_note(quotation: Quotation) -> str:
    """Where the quotation's date comes from, for the curator to trust or check."""
    return DATE_NOTES.get(quotation.date_basis or "", "")


def follow_ons(quotations: list[Quotation]) -> dict[int, list[int]]:
    """For each quotation that others follow, the indices of its follow-ons, in order."""
    found: dict[int, list[int]] = {}
    for index, quotation in enumerate(quotations):
        if quotation.follows is not None and 0 <= quotation.follows < index:
            found.setdefault(quotation.follows, []).append(index)
    return found


def left_behind(forms: list, proposals: list[dict], chains: dict[int, list[int]]) -> dict[int, list[int]]:
    """Quotations whose speaker the curator changed while follow-ons they accept keep the speaker proposed for both.

    forms: the bound review forms; proposals: each quotation's proposed fields, as the page first showed them."""
    found: dict[int, list[int]] = {}
    for head, followers in chains.items():
        if head >= len(forms) or head >= len(proposals):
            continue
        proposed = _speaker_of(proposals[head])
        if _shown_speaker(forms[head]) == proposed:
            continue
        behind = [
            index
            for index in followers
            if index < min(len(forms), len(proposals))
            and forms[index]["decision"].value() != "reject"
            and _shown_speaker(forms[index]) == _speaker_of(proposals[index]) == proposed
        ]
        if behind:
            found[head] = behind
    return found


def _shown_speaker(form) -> tuple[str, ...]:
    return _speaker_of({name: form[name].value() for name in SPEAKER_FIELDS})


def _speaker_of(values: dict) -> tuple[str, ...]:
    """The speaker fields as the page sends them: ids and codes as text, blank for none."""
    return tuple(_sent(values.get(name)) for name in SPEAKER_FIELDS)


def _sent(value) -> str:
    value = getattr(value, "pk", value)
    return "" if value is None else str(value)


def with_speaker_of(data: QueryDict, prefix: str, head: int, followers: list[int]) -> QueryDict:
    """The posted review with quotation head's speaker fields copied to its followers' (prefix: the formset's)."""
    data = data.copy()
    for name in SPEAKER_FIELDS:
        values = data.getlist(f"{prefix}-{head}-{name}")
        for index in followers:
            data.setlist(f"{prefix}-{index}-{name}", values)
    return data


def _words(*texts: str | None) -> set[str]:
    return {word for text in texts if text for word in WORD_RE.findall(text.casefold())} - GENERIC


def holds_title(official: Official, title: str | None, on: datetime.date | None) -> bool:
    """Whether the official's position that day (its role and organization) answers to the title the text gives.

    "Foreign Minister" answers to "Minister of Foreign Affairs"; "Deputy Spokesperson" does not to "Spokesperson"."""
    wanted = _words(title)
    if not wanted or on is None:
        return False
    position = official.position_on(on)
    if position is None:
        return False
    role = _words(position.role)
    held = role | _words(position.organization.name, *position.organization.other_names)
    # The title names the position itself ("Spokesperson", "Minister"), not only the body it is held in.
    return bool(wanted & role) and wanted <= held | _stems(held)


def _stems(words: set[str]) -> set[str]:
    """ "ministry" is a minister's, "affairs" holds "foreign affairs": the words a title may use for a body's."""
    stems = set()
    for word in words:
        if word == "ministry":
            stems.add("minister")
        if word == "department":
            stems.add("secretary")
    return stems


def official_by_role(
    speaker: Speaker, on: datetime.date | None, country: str | None, matches: list[Official] = ()
) -> Official | None:
    """The one official the speaker's name and role point to together, when the name alone does not.

    Among officials sharing a name (matches), the one holding the title that day; a bare family name ("Cho", the
    article never gave more) is the official of that name holding the title; an unnamed speaker described by a
    title ("Spokesperson for the Secretary-General") is the one holding it at their organization that day."""
    title = speaker.title or speaker.description
    if not title or on is None or title == speaker.organization:
        return None  # an organization speaking for itself (a ministry's press release) is no official
    if matches:
        officials = list(matches)
    elif speaker.name:
        words = WORD_RE.findall(speaker.name)
        if len(words) != 1:
            return None
        pattern = rf"(^|[\s-]){re.escape(words[0])}($|[\s-])"
        officials = Official.objects.current().filter(name__iregex=pattern)
    elif speaker.organization:
        found = Organization.objects.filter(
            Q(name__iexact=speaker.organization) | Q(other_names__contains=[speaker.organization])
        )
        officials = Official.objects.current().filter(positions__organization__in=found)
    else:
        return None
    if not isinstance(officials, list):
        if country:
            officials = officials.filter(Q(country_id=country) | Q(country__isnull=True))
        officials = list(officials.distinct()[:MAX_HOLDERS])
    holders = [official for official in officials if holds_title(official, title, on)]
    return holders[0] if len(holders) == 1 else None
