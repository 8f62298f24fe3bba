"""Resolve mentions ("Cho", "he", "the senior official") to the people and bodies an article introduces."""

import re
from dataclasses import dataclass
from functools import lru_cache

from .lexicon import EAST_ASIAN_FAMILY_NAMES
from .mentions import Mention
from .records import Speaker

MINISTER_RE = re.compile(r"^((?:[A-Z][\w-]*\s)+)Minister$")
WORD_SPLIT_RE = re.compile(r"[\s-]+")


@dataclass(eq=False)
class Entity:
    """A speaker with what resolution needs to know about it."""

    speaker: Speaker
    kind: str  # "person", "unnamed" or "organization"
    gender: str = ""
    plural: bool = False
    last_subject: int = -1

    def words(self) -> frozenset[str]:
        """Lower-case words of the title, description and organization, for matching "the minister"."""
        return _words_of(self.speaker.title, self.speaker.description, self.speaker.organization)

    def short_names(self) -> set[str]:
        """Ways to call the person by one word: "Cho" for Cho Tae-yul, "Blinken" for Antony Blinken."""
        if not self.speaker.name:
            return set()
        parts = self.speaker.name.split()
        names = {parts[-1]}
        if parts[0] in EAST_ASIAN_FAMILY_NAMES or "-" in self.speaker.name:
            names.add(parts[0])
        return names


@lru_cache(maxsize=1024)
def _words_of(*texts: str | None) -> frozenset[str]:
    return frozenset(word.lower() for text in texts if text for word in WORD_SPLIT_RE.split(text) if word)


def _organization_from_title(title: str | None) -> str | None:
    """ "Foreign Minister" -> "Foreign Ministry": the body a minister heads."""
    match = MINISTER_RE.match(title or "")
    return f"{match.group(1)}Ministry" if match else None


class Registry:
    """The article's people and bodies in order of introduction, resolved mention by mention."""

    def __init__(self) -> None:
        self.entities: list[Entity] = []

    def name_parts(self) -> set[str]:
        """Every word of every known person's name."""
        return {part for entity in self.entities if entity.speaker.name for part in entity.speaker.name.split()}

    def resolve(self, mention: Mention, position: int, subject: bool = True, create: bool = True) -> Entity | None:
        """Find (or create) the entity a mention refers to, and note the mention on it."""
        if mention.kind == "pronoun":
            entity = self._pronoun(mention)
        elif mention.kind == "name":
            entity = self._named(mention, create)
        elif mention.kind == "description":
            entity = self._described(mention)
        else:
            entity = self._organization(mention)
        if entity is None:
            return None
        if mention.gender and mention.kind in ("pronoun", "name"):
            entity.gender = entity.gender or mention.gender
        if subject:
            entity.last_subject = position
        if mention.text not in entity.speaker.mentions:
            entity.speaker.mentions.append(mention.text)
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
        return max(candidates, key=lambda entity: entity.last_subject, default=None)

    def _named(self, mention: Mention, create: bool = True) -> Entity | None:
        name = mention.name or ""
        parts = name.split()
        if len(parts) == 1:
            candidates = [entity for entity in self.entities if name in entity.short_names()]
        else:
            candidates = [entity for entity in self.entities if entity.speaker.name == name]
            if not candidates:
                # A full name after a short one ("Cho", then "Cho Tae-yul") or a longer form of it.
                candidates = [
                    entity
                    for entity in self.entities
                    if entity.speaker.name and entity.speaker.name in (parts[0], parts[-1])
                ]
        if mention.title and candidates:
            # "Ambassador Cho" is not "Foreign Minister Cho Tae-yul": a different title means a different person.
            title_words = {word.lower() for word in WORD_SPLIT_RE.split(mention.title)}
            titled = [entity for entity in candidates if title_words & entity.words()]
            untitled = [entity for entity in candidates if not entity.speaker.title]
            candidates = titled or untitled
        entity = max(candidates, key=lambda entity: entity.last_subject, default=None)
        if entity is None and not create:
            return None
        if entity is None:
            speaker = Speaker(name=name, mentions=[])
            entity = Entity(speaker=speaker, kind="person")
            self.entities.append(entity)
        elif len(parts) > len(entity.speaker.name.split()):
            entity.speaker.name = name
        speaker = entity.speaker
        speaker.title = speaker.title or mention.title
        speaker.organization = speaker.organization or mention.organization or _organization_from_title(speaker.title)
        speaker.country = speaker.country or mention.country
        return entity

    def _described(self, mention: Mention) -> Entity | None:
        modifiers = {word for word in mention.modifiers if word not in ("of", "for", "and", "the", "at", "in")}
        wanted = modifiers | {mention.head}
        candidates = [
            entity for entity in self.entities if entity.kind in ("person", "unnamed") and wanted <= entity.words()
        ]
        if not mention.definite:
            # "a senior official" introduces someone new unless the very same description was used before.
            candidates = [
                entity
                for entity in candidates
                if entity.speaker.description == mention.description and not entity.speaker.name
            ]
        entity = max(candidates, key=lambda entity: entity.last_subject, default=None)
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
        wanted = {word.lower() for word in WORD_SPLIT_RE.split(mention.organization or "") if word}
        candidates = [entity for entity in self.entities if entity.kind == "organization" and wanted <= entity.words()]
        entity = max(candidates, key=lambda entity: entity.last_subject, default=None)
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
