"""Resolve mentions ("Cho", "he", "the senior official") to the people and bodies an article introduces."""

import re
from dataclasses import dataclass
from functools import lru_cache
from operator import attrgetter

from .lexicon import EAST_ASIAN_FAMILY_NAMES, FEMALE_NAMES, MALE_NAMES
from .mentions import Mention
from .records import Speaker

MINISTER_RE = re.compile(r"^((?:[A-Z][\w-]*\s)+)Minister$")
WORD_SPLIT_RE = re.compile(r"[\s-]+")


@dataclass(eq=False, slots=True)
class Entity:
    """A speaker with what resolution needs to know about it, kept up to date by the registry."""

    speaker: Speaker
    kind: str  # "person", "unnamed" or "organization"
    gender: str = ""
    plural: bool = False
    last_subject: int = -1
    # Lower-case words of the title, description and organization, for matching "the minister".
    words: frozenset[str] = frozenset()
    # Ways to call the person by one word: "Cho" for Cho Tae-yul, "Blinken" for Antony Blinken.
    short_names: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        self.refresh()

    def refresh(self) -> None:
        speaker = self.speaker
        self.words = _words_of(speaker.title, speaker.description, speaker.organization)
        self.short_names = _short_names(speaker.name)


@lru_cache(maxsize=1024)
def _words_of(*texts: str | None) -> frozenset[str]:
    return frozenset(word.lower() for text in texts if text for word in WORD_SPLIT_RE.split(text) if word)


@lru_cache(maxsize=1024)
def _short_names(name: str | None) -> frozenset[str]:
    if not name:
        return frozenset()
    parts = name.split()
    names = {parts[-1]}
    if parts[0] in EAST_ASIAN_FAMILY_NAMES or "-" in name:
        names.add(parts[0])
    return frozenset(names)


@lru_cache(maxsize=1024)
def _orderless_forms(name: str) -> frozenset[str]:
    """A name as (family name, given name joined), either word first taken for the family name."""
    parts = [part.lower() for part in WORD_SPLIT_RE.split(name) if part]
    if len(parts) < 2:
        return frozenset()
    return frozenset({f"{parts[0]}|{''.join(parts[1:])}", f"{parts[-1]}|{''.join(parts[:-1])}"})


@lru_cache(maxsize=1024)
def _organization_from_title(title: str | None) -> str | None:
    """ "Foreign Minister" -> "Foreign Ministry": the body a minister heads."""
    match = MINISTER_RE.match(title or "")
    return f"{match.group(1)}Ministry" if match else None


LAST_SUBJECT = attrgetter("last_subject")
GENERIC_WORDS = frozenset(("of", "for", "and", "the", "at", "in"))


# Titles that name the same post: a country's representative at the UN is its ambassador there.
TITLE_SYNONYMS = {
    "ambassador": {"representative", "envoy", "delegate"},
    "representative": {"ambassador", "envoy", "delegate"},
    "envoy": {"ambassador", "representative"},
    "spokesman": {"spokesperson", "spokeswoman"},
    "spokeswoman": {"spokesperson", "spokesman"},
    "spokesperson": {"spokesman", "spokeswoman"},
}


@lru_cache(maxsize=1024)
def _title_words(title: str) -> frozenset[str]:
    words = {word.lower() for word in WORD_SPLIT_RE.split(title)}
    return frozenset(words.union(*(TITLE_SYNONYMS.get(word, ()) for word in words)))


@lru_cache(maxsize=1024)
def _described_words(modifiers: tuple[str, ...], head: str | None) -> frozenset[str]:
    """The words an entity must have to be "the senior official": the description's head and modifiers."""
    return frozenset(word for word in modifiers if word not in GENERIC_WORDS) | {head}


class Registry:
    """The article's people and bodies in order of introduction, resolved mention by mention."""

    def __init__(self) -> None:
        self.entities: list[Entity] = []
        self.people: list[Entity] = []  # those of kind "person", the only ones with names
        self._name_parts: set[str] = set()

    def name_parts(self) -> set[str]:
        """Every word of every known person's name."""
        return self._name_parts

    def resolve(self, mention: Mention, position: int, subject: bool = True, create: bool = True) -> Entity | None:
        """Find (or create) the entity a mention refers to, and note the mention on it."""
        kind = mention.kind
        if kind == "pronoun":
            entity = self._pronoun(mention)
        elif kind == "name":
            entity = self._named(mention, create)
        elif kind == "description":
            entity = self._described(mention)
        else:
            entity = self._organization(mention)
        if entity is None:
            return None
        if mention.gender and kind in ("pronoun", "name"):
            entity.gender = entity.gender or mention.gender
        if subject:
            entity.last_subject = position
        mentions = entity.speaker.mentions
        if mention.text not in mentions:
            mentions.append(mention.text)
        return entity

    def _pronoun(self, mention: Mention) -> Entity | None:
        if mention.gender == "o":
            kinds = ("organization",)
        elif mention.plural:
            kinds = ("organization", "unnamed")
        else:
            kinds = ("person", "unnamed")
        candidates = [
            entity
            for entity in self.entities
            if entity.kind in kinds
            and entity.last_subject >= 0
            and (mention.plural or not entity.plural)
            and not (entity.gender and mention.gender in "mf" and entity.gender != mention.gender)
        ]
        if mention.plural:
            candidates = [entity for entity in candidates if entity.plural or entity.kind == "organization"]
        return max(candidates, key=LAST_SUBJECT, default=None)

    def _named(self, mention: Mention, create: bool = True) -> Entity | None:
        name = mention.name or ""
        parts = name.split()
        if len(parts) == 1:
            candidates = [entity for entity in self.people if name in entity.short_names]
        else:
            candidates = [entity for entity in self.people if entity.speaker.name == name]
            if not candidates:
                # The same name in the other order or with its given name joined or hyphenated: "Tae-yul Cho",
                # "Cho Taeyul" for Cho Tae-yul (Korean names are written all these ways).
                forms = _orderless_forms(name)
                candidates = [entity for entity in self.people if forms & _orderless_forms(entity.speaker.name or "")]
            if not candidates:
                # A full name after a short one ("Cho", then "Cho Tae-yul") or a longer form of it.
                candidates = [
                    entity
                    for entity in self.people
                    if entity.speaker.name and entity.speaker.name in (parts[0], parts[-1])
                ]
        if mention.title and candidates:
            # "Ambassador Cho" is not "Foreign Minister Cho Tae-yul": a different title means a different person.
            title_words = _title_words(mention.title)
            titled = [entity for entity in candidates if title_words & entity.words]
            untitled = [entity for entity in candidates if not entity.speaker.title]
            candidates = titled or untitled
        entity = max(candidates, key=LAST_SUBJECT, default=None)
        if entity is None and not create:
            return None
        changed = False
        if entity is None:
            speaker = Speaker(name=name, mentions=[])
            entity = Entity(speaker=speaker, kind="person")
            self.entities.append(entity)
            self.people.append(entity)
            self._name_parts.update(parts)
        elif len(parts) > len(entity.speaker.name.split()):
            # The shorter name was one of these parts ("Cho", then "Cho Tae-yul"): the name parts only grow.
            entity.speaker.name = name
            self._name_parts.update(parts)
            changed = True
        speaker = entity.speaker
        title = speaker.title or mention.title
        organization = speaker.organization or mention.organization or _organization_from_title(title)
        if changed or title != speaker.title or organization != speaker.organization:
            speaker.title, speaker.organization = title, organization
            entity.refresh()
        speaker.country = speaker.country or mention.country
        if not entity.gender and len(parts) > 1:
            # A given name tells the gender ("Jane Doe" is "she") where no honorific or pronoun has yet.
            entity.gender = "f" if parts[0] in FEMALE_NAMES else "m" if parts[0] in MALE_NAMES else ""
        return entity

    def _described(self, mention: Mention) -> Entity | None:
        wanted = _described_words(tuple(mention.modifiers), mention.head)
        candidates = [
            entity for entity in self.entities if entity.kind in ("person", "unnamed") and wanted <= entity.words
        ]
        if not mention.definite:
            # "a senior official" introduces someone new unless the very same description was used before.
            candidates = [
                entity
                for entity in candidates
                if entity.speaker.description == mention.description and not entity.speaker.name
            ]
        entity = max(candidates, key=LAST_SUBJECT, default=None)
        if entity is None:
            speaker = Speaker(
                description=mention.description,
                organization=mention.organization,
                country=mention.country,
                mentions=[],
            )
            entity = Entity(speaker=speaker, kind="unnamed", plural=mention.plural)
            self.entities.append(entity)
        return entity

    def _organization(self, mention: Mention) -> Entity | None:
        wanted = _words_of(mention.organization)
        candidates = [entity for entity in self.entities if entity.kind == "organization" and wanted <= entity.words]
        entity = max(candidates, key=LAST_SUBJECT, default=None)
        if entity is None:
            speaker = Speaker(
                description=mention.organization,
                organization=mention.organization,
                country=mention.country,
                mentions=[],
            )
            entity = Entity(speaker=speaker, kind="organization")
            self.entities.append(entity)
        return entity
