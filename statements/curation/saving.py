"""Save a reviewed article's accepted quotations: draft statements, citations, and the speakers they name, at once.

Two curators may save reviews of one source, or name the same new speaker, at the same moment: the source's row
and each new name are locked, and what was saved meanwhile is refused with a message on its form.
"""

from dataclasses import dataclass

from django.db import transaction

from statements.curation import linking
from statements.curation.forms import CandidateForm
from statements.models import Citation, Official, Organization, Source, Statement, StatementTopic, hold_lock


@dataclass
class Saved:
    """What one review saved, counted for the message that says so."""

    statements: int = 0
    citations: int = 0
    officials: int = 0
    organizations: int = 0

    def __str__(self):
        parts = [f"{self.statements} draft statement(s)"]
        if self.citations:
            parts.append(f"{self.citations} citation(s) of existing statements")
        if self.officials:
            parts.append(f"{self.officials} new official(s)")
        if self.organizations:
            parts.append(f"{self.organizations} new organization(s)")
        return ", ".join(parts)


class _Speakers:
    """New officials and organizations made while saving one review, each made once however often it is named.

    Another curator's review may be making the same ones at the same moment: each name is locked first (in one
    order for all, so that two reviews never wait for each other), and whoever comes second finds the record the
    first made, the same person or body, and uses it.
    """

    def __init__(self, saved: Saved, accepted: list[dict]):
        self.saved = saved
        self.officials: dict[tuple[str, ...], Official] = {}
        self.organizations: dict[tuple[str, ...], Organization] = {}
        new = [data for data in accepted if data["decision"] == "new"]
        keys = {self.official_key(data["name"]) for data in new if data["speaker"] == "new"}
        keys |= {
            self.organization_key(data["new_organization"], data["country"])
            for data in new
            if data["speaker"] == "unnamed" and not data["organization"]
        }
        for key in sorted(keys):
            hold_lock(*key)

    @staticmethod
    def official_key(name):
        return (Official._meta.db_table, "name", Official.name_key(name))

    @staticmethod
    def organization_key(name, country):
        return (Organization._meta.db_table, "name", country.pk if country else "", name.casefold())

    def official(self, name, country):
        key = self.official_key(name)
        if key not in self.officials:
            official = Official.objects.matching_name(name).filter(country=country).order_by("id").first()
            if official is None:
                official = Official.objects.create(name=name, country=country)
                self.saved.officials += 1
            self.officials[key] = official
        return self.officials[key]

    def organization(self, name, country):
        key = self.organization_key(name, country)
        if key not in self.organizations:
            organization = linking.match_organization(name, country.pk if country else None)
            if organization is None:
                organization = Organization.objects.create(name=name, country=country)
                self.saved.organizations += 1
            self.organizations[key] = organization
        return self.organizations[key]


def save_reviewed(source: Source, forms: list[CandidateForm]) -> Saved | None:
    """Save the accepted candidates in one transaction; None, with errors on the forms, when one was saved already."""
    # A form the page never showed (a forged form count) is left out, as unchanged extra forms are.
    accepted = [form for form in forms if form.cleaned_data.get("decision", "reject") != "reject"]
    saved = Saved()
    with transaction.atomic():
        # One review of a source saves at a time, so two curators cannot both save the same quotation.
        Source.objects.select_for_update().get(pk=source.pk)
        spans = linking.cited_spans(source)
        citing = set(Citation.objects.filter(source=source).values_list("statement_id", flat=True))
        for form in accepted:
            data = form.cleaned_data
            done = linking.cited_by(spans, data["start"], data["end"])
            if data["decision"] == "new" and done:
                form.add_error(None, f"Already saved from this source as statement #{done}: reject it here.")
            if data["decision"] == "cite" and data["statement"].pk in citing:
                form.add_error(None, f"Statement #{data['statement'].pk} already cites this source.")
        if any(form.errors for form in accepted):
            return None
        speakers = _Speakers(saved, [form.cleaned_data for form in accepted])
        extra_citations: dict[Statement, tuple[int, int]] = {}
        for form in accepted:
            data = form.cleaned_data
            if data["decision"] == "cite":
                # Quotations of one statement (split by "said Cho") make one citation spanning them.
                low, high = extra_citations.get(data["statement"], (data["start"], data["end"]))
                extra_citations[data["statement"]] = (min(low, data["start"]), max(high, data["end"]))
            else:
                _create_statement(source, data, speakers)
                saved.statements += 1
        for statement, (start, end) in extra_citations.items():
            Citation.objects.create(statement=statement, source=source, start_offset=start, end_offset=end)
            saved.citations += 1
    return saved


def _speaker(data, speakers):
    """The statement's official, organization and attribution, from the fields of the speaker choice made alone."""
    if data["speaker"] == "official":
        # A Korean source's 조태열 for Cho Tae-yul: his name in Hangul, kept for search in Hangul.
        data["official"].learn_native_name(data.get("name"))
        # The organization the official worked for that day, as the statement's role is their position's.
        position = data["official"].position_on(data["date"])
        return data["official"], position.organization if position else None, ""
    if data["speaker"] == "new":
        return speakers.official(data["name"], data["country"]), None, ""
    organization = data["organization"] or speakers.organization(data["new_organization"], data["country"])
    return None, organization, data["attribution_text"]


def _create_statement(source, data, speakers):
    official, organization, attribution_text = _speaker(data, speakers)
    statement = Statement(
        text=source.full_text[data["start"] : data["end"]],
        kind=data["kind"],
        language=source.language,
        date=data["date"],
        official=official,
        organization=organization,
        attribution_text=attribution_text,
        role=data["role"],
    )
    with statement.one_version():  # Its first version holds its topics and countries.
        statement.save()
        statement.mentioned_countries.set(data["countries"])
        StatementTopic.objects.bulk_create(
            StatementTopic(statement=statement, topic=topic) for topic in data["topics"]
        )
    Citation.objects.create(statement=statement, source=source, start_offset=data["start"], end_offset=data["end"])
