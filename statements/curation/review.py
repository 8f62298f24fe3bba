"""Ingest an article in the admin: paste it (its Source is saved at once), review its quotations, save drafts.

The views are the Source admin's own pages (SourceAdmin.get_urls): /admin/statements/source/ingest/ and
/admin/statements/source/<id>/review/. The review can be opened again at any time: quotations whose offsets
a citation of the source already covers are marked, and saving them again is refused.
"""

from dataclasses import dataclass
from functools import wraps
from urllib.parse import urlencode

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import AdminForm
from django.contrib.admin.widgets import AdminDateWidget
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.text import Truncator
from django.views.decorators.http import require_http_methods

from diplotrack.middleware import accepts_form_fields
from statements.curation import attribution, kinds, linking
from statements.curation.widgets import SafeAutocompleteSelect, SafeAutocompleteSelectMultiple
from statements.models import (
    MAX_TEXT,
    Citation,
    Country,
    Official,
    Organization,
    Source,
    Statement,
    StatementTopic,
    Topic,
    hold_lock,
    plausible_date,
)
from statements.text import normalized

PASTE_FIELDSETS = [
    (None, {"fields": ["text", "kind"]}),
    ("Source", {"fields": ["url", "title", "publisher", "author", "published_on", "language", "replace_text"]}),
]
# Each speaker choice has its own fields, and only the chosen one's are used: values left in another choice's
# fields (the extractor's proposal, say) never reach the statement. Role and country serve more than one.
CANDIDATE_FIELDSETS = [
    (None, {"fields": ["decision", "kind", "date"]}),
    ("Speaker", {"fields": ["speaker", ("role", "country")]}),
    ("An official in the database", {"fields": ["official"]}),
    ("A new official", {"fields": ["name"]}),
    ("An unnamed speaker", {"fields": ["attribution_text", ("organization", "new_organization")]}),
    ("Countries and topics", {"fields": ["countries", "topics"]}),
]
# The most fields a review may send, so that none is refused for its length: a quotation takes 4 characters at
# least (marks, a letter, a space: the extractor finds 49,995 in a text of MAX_TEXT so made) and sends 15 fields,
# one more per country or topic (measured: 16 with one country). Real texts have far fewer: at most 57 quotations
# (873 fields) in any UN speech of 1946-2024. The 10 MB limit on a form (settings) then allows some 27,000
# quotations (384 bytes each, measured).
REVIEW_MAX_FIELDS = MAX_TEXT // 4 * 16


def curators_only(view):
    """Refuse (403) staff who may not add statements; admin_view has already sent anonymous users to log in."""

    @wraps(view)
    def checked(request, *args, **kwargs):
        if not request.user.has_perm("statements.add_statement"):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return checked


def autocomplete(model, field_name, multiple=False):
    widget = SafeAutocompleteSelectMultiple if multiple else SafeAutocompleteSelect
    return widget(model._meta.get_field(field_name), admin.site)


def same_text(stored, pasted):
    return stored.replace("\r\n", "\n").strip() == pasted


class PasteForm(forms.Form):
    text = forms.CharField(
        label="Article text",
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 20, "class": "vLargeTextField"}),
        help_text="As copied from the news page, headline, byline and all: it is kept with the source, and the "
        "statements' citations point into it.",
    )
    kind = kinds.kind_field()
    url = Source._meta.get_field("url").formfield(assume_scheme="https")
    title = forms.CharField(max_length=500, required=False, help_text="Blank: the first line of the text.")
    publisher = Source._meta.get_field("publisher").formfield()
    author = Source._meta.get_field("author").formfield()
    published_on = forms.DateField(
        label="Publication date",
        required=False,
        validators=[plausible_date],
        widget=AdminDateWidget,
        help_text="“Said Tuesday” and “yesterday” are read against it; it is also the date assumed for words "
        "the text gives no date for.",
    )
    language = Source._meta.get_field("language").formfield()
    replace_text = forms.BooleanField(
        label="Replace the stored text",
        required=False,
        help_text="Only for a URL already known whose stored text differs from the pasted one, and that no "
        "citation points into yet.",
    )

    existing = None  # the Source that already has the URL

    def clean_text(self):
        # As it will be stored, before the source is saved and offsets into it are taken: browsers send a
        # textarea's line breaks as CRLF, and a page break in a copied PDF is a form feed.
        return normalized(self.cleaned_data["text"])

    def clean(self):
        data = super().clean()
        url, text = data.get("url"), data.get("text")
        self.existing = Source.objects.filter(url=url).first() if url else None
        if self.existing is None or not text or not self.existing.full_text:
            return data
        if same_text(self.existing.full_text, text):
            return data
        # Overwriting would break the offsets of citations, and the text has no history to restore it from.
        if not data.get("replace_text"):
            raise ValidationError(
                f"This URL is already the source #{self.existing.pk} ({self.existing}), whose stored text differs "
                "from the pasted one. The stored text is kept: review its quotations as stored, or tick "
                "“Replace the stored text”, or leave the URL blank to keep the pasted text as a source of its own."
            )
        cited = len(linking.cited_spans(self.existing))
        if cited:
            raise ValidationError(
                f"This URL is already the source #{self.existing.pk}, and {cited} citation(s) point into its stored "
                "text, so it cannot be replaced. Review its quotations as stored, or leave the URL blank to keep the "
                "pasted text as a source of its own."
            )
        return data

    def save(self):
        """The Source to review and a note on what became of the paste; None if the URL was just taken."""
        data = self.cleaned_data
        text, source = data["text"], self.existing
        if source is None:
            first_line = text.strip().split("\n", 1)[0]
            try:
                with transaction.atomic():
                    source = Source.objects.create(
                        url=data["url"],
                        title=data["title"] or Truncator(first_line).chars(500),
                        publisher=data["publisher"],
                        author=data["author"],
                        published_on=data["published_on"],
                        language=data["language"],
                        full_text=text,
                        kind=kinds.source_kind(data.get("kind", ""), text),
                    )
            except IntegrityError:
                self.add_error("url", "A source with this URL was saved a moment ago by someone else: send again.")
                return None, ""
            return source, f"The article is saved as source #{source.pk} with its text."
        known = f"This URL is already the source #{source.pk} ({source}): it is reused, its details as stored"
        if same_text(source.full_text, text):
            return source, f"{known}, and its stored text is the same as the pasted one."
        replaced = bool(source.full_text)
        source.full_text = text
        source.save(update_fields=["full_text", "updated_at"])
        if replaced:
            return source, f"{known}; its stored text is replaced by the pasted one, as asked."
        return source, f"{known}; it had no text, and now holds the pasted one."


class CandidateForm(forms.Form):
    """One quotation of the article: accept it as a new draft statement, as another citation of one, or reject it."""

    decision = forms.ChoiceField(
        choices=[
            ("new", "Save as a new draft statement"),
            ("cite", "Add this article as a citation of the existing statement"),
            ("reject", "Reject"),
        ],
        widget=forms.RadioSelect,
    )
    start = forms.IntegerField(min_value=0, max_value=MAX_TEXT, widget=forms.HiddenInput)
    end = forms.IntegerField(min_value=1, max_value=MAX_TEXT, widget=forms.HiddenInput)
    quote = forms.CharField(strip=False, widget=forms.HiddenInput)
    statement = forms.ModelChoiceField(
        Statement.objects.exclude(status=Statement.Status.RETRACTED), required=False, widget=forms.HiddenInput
    )
    kind = forms.ChoiceField(choices=Statement.Kind.choices)
    date = forms.DateField(
        required=False, widget=AdminDateWidget, validators=[plausible_date], help_text="When the words were said."
    )
    speaker = forms.ChoiceField(
        label="The speaker is",
        choices=[
            ("official", "an official in the database"),
            ("new", "a new official"),
            ("unnamed", "an unnamed speaker (described, speaking for an organization)"),
        ],
        widget=forms.RadioSelect,
    )
    official = forms.ModelChoiceField(
        Official.objects.current(),
        label="Official in the database",
        required=False,
        widget=autocomplete(Statement, "official"),
    )
    name = forms.CharField(label="New official's name", max_length=200, required=False)
    role = forms.CharField(
        max_length=200,
        required=False,
        help_text="The speaker's role at the time, as the article gives it; blank: an official's position that day.",
    )
    attribution_text = forms.CharField(
        label="Attribution",
        max_length=300,
        required=False,
        help_text="An unnamed speaker as the article describes them.",
    )
    organization = forms.ModelChoiceField(
        Organization.objects.all(), required=False, widget=autocomplete(Statement, "organization")
    )
    new_organization = forms.CharField(
        label="Or a new organization",
        max_length=200,
        required=False,
        help_text="Created with the speaker's country above.",
    )
    country = forms.ModelChoiceField(
        Country.objects.all(),
        label="Speaker's country",
        required=False,
        widget=autocomplete(Official, "country"),
        help_text="Of a new official, or of an unnamed speaker's new organization.",
    )
    countries = forms.ModelMultipleChoiceField(
        Country.objects.all(),
        label="Countries mentioned",
        required=False,
        widget=autocomplete(Statement, "mentioned_countries", multiple=True),
    )
    topics = forms.ModelMultipleChoiceField(
        Topic.objects.all(), required=False, widget=autocomplete(Statement, "topics", multiple=True)
    )

    def __init__(self, *args, source, candidate=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.source, self.candidate = source, candidate
        if candidate is None or candidate.earlier is None:
            self.fields["decision"].choices = [c for c in self.fields["decision"].choices if c[0] != "cite"]
        if candidate is not None and candidate.date_assumed:
            self.fields[
                "date"
            ].help_text = "Assumed: the article's publication date, since the text gives no date for these words."

    def clean(self):
        data = super().clean()
        start, end, quote = data.get("start"), data.get("end"), data.get("quote")
        if start is None or end is None or quote is None:
            return data
        if self.source.full_text[start:end] != quote or end <= start:
            raise ValidationError("The source's text has changed since this page was made: open the review again.")
        decision = data.get("decision")
        done = self.candidate.cited_by if self.candidate and self.candidate.span == (start, end) else None
        if decision == "new" and done:
            raise ValidationError(f"Already saved from this source as statement #{done}: reject it here.")
        if decision == "cite" and not data.get("statement"):
            self.add_error("decision", "There is no existing statement with these words to cite.")
        if decision == "new":
            self.check_new_statement(data)
        return data

    def check_new_statement(self, data):
        if not data.get("date"):
            self.add_error("date", "Give the date the words were said.")
        speaker = data.get("speaker")
        if speaker == "official" and not data.get("official"):
            self.add_error("official", "Choose the official, or say the speaker is new or unnamed.")
        elif speaker == "new" and not data.get("name"):
            self.add_error("name", "Give the new official's name.")
        elif speaker == "new":
            known = Official.objects.matching_name(data["name"]).first()
            if known:
                self.add_error(
                    "name", f"{known} is already in the database (official #{known.pk}): choose them there instead."
                )
        elif speaker == "unnamed":
            if not data.get("attribution_text"):
                self.add_error("attribution_text", "Describe the unnamed speaker as the article does.")
            if not data.get("organization") and not data.get("new_organization"):
                self.add_error("organization", "An unnamed speaker needs the organization they spoke for.")


class CandidateFormSet(forms.BaseFormSet):
    def __init__(self, *args, source, candidates, **kwargs):
        self.source, self.candidates = source, candidates
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        # The extractor is deterministic: the same text gives the same quotations in the same order.
        candidate = self.candidates[index] if index is not None and index < len(self.candidates) else None
        return {"source": self.source, "candidate": candidate}


CandidateForms = forms.formset_factory(CandidateForm, formset=CandidateFormSet, extra=0)


def initial(candidate: linking.Candidate) -> dict:
    quotation, speaker = candidate.quotation, candidate.speaker
    decision = "reject" if candidate.cited_by else "cite" if candidate.earlier else "new"
    return {
        "decision": decision,
        "start": quotation.start,
        "end": quotation.end,
        "quote": quotation.quote,
        "statement": candidate.earlier,
        "kind": quotation.kind,
        "date": candidate.date,
        "speaker": speaker.mode,
        "official": speaker.official,
        "name": speaker.name,
        "role": speaker.role,
        "attribution_text": speaker.attribution_text,
        "organization": speaker.organization,
        "new_organization": speaker.new_organization,
        "country": speaker.country,
        "countries": candidate.countries,
        "topics": candidate.topics,
    }


@dataclass
class Saved:
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


def _saved(request, source, saved):
    if not saved.statements and not saved.citations:
        messages.info(request, "Nothing was accepted, so nothing was saved.")
        return redirect("admin:statements_source_change", source.pk)
    messages.success(request, f"Saved from “{source.title}”: {saved}.")
    query = urlencode({"sources__id__exact": source.pk, "status__exact": Statement.Status.DRAFT})
    return redirect(f"{reverse('admin:statements_statement_changelist')}?{query}")


def _follows(candidate) -> int | None:
    """The number on the page of the quotation whose attribution this one continues."""
    follows = candidate.quotation.follows if candidate else None
    return follows + 1 if follows is not None else None


def _left_behind(request, posted, candidates, chains) -> dict[int, list[int]]:
    """A changed speaker whose follow-ons keep the old one: offered to them once before saving (with a message)."""
    if "follow_ons_checked" in request.POST:
        return {}
    behind = attribution.left_behind(posted.forms, [initial(candidate) for candidate in candidates], chains)
    for head, followers in behind.items():
        numbers = ", ".join(str(index + 1) for index in followers)
        messages.warning(
            request,
            f"You changed the speaker of quotation {head + 1}, and quotation{'s' if len(followers) > 1 else ''} "
            f"{numbers} that follow{'' if len(followers) > 1 else 's'} it still "
            f"{'have' if len(followers) > 1 else 'has'} the old one: give them the new speaker with the button by "
            f"quotation {head + 1}, or save again to keep them as they are. Nothing is saved yet.",
        )
    return behind


def _follow_ons_given_speaker(request, source, candidates, chains):
    """The review again, nothing saved, with one quotation's speaker given to its follow-ons as the curator asked."""
    head = request.POST["follow"]
    followers = chains.get(int(head), []) if head.isdigit() else []
    if not followers:
        messages.error(request, "That quotation has no follow-ons to give its speaker to.")
        data = request.POST
    else:
        data = attribution.with_speaker_of(request.POST, CandidateForms.get_default_prefix(), int(head), followers)
        numbers = ", ".join(str(index + 1) for index in followers)
        which = f"Quotations {numbers} now have" if len(followers) > 1 else f"Quotation {numbers} now has"
        messages.info(request, f"{which} the speaker of quotation {int(head) + 1}: nothing is saved yet.")
    posted = CandidateForms(data, source=source, candidates=candidates)
    if not posted.management_form.is_valid():
        return CandidateForms(
            initial=[initial(candidate) for candidate in candidates], source=source, candidates=candidates
        )
    # Shown as typed, not checked: the curator has not asked to save.
    shown = [{name: form[name].value() for name in form.fields} for form in posted.forms[: len(candidates)]]
    return CandidateForms(initial=shown, source=source, candidates=candidates)


def admin_context(request, model_admin, **context):
    return {**model_admin.admin_site.each_context(request), "opts": model_admin.model._meta, **context}


@curators_only
@require_http_methods(["GET", "HEAD", "POST"])
def paste(request, model_admin):
    """Paste an article: its Source is saved with the text at once, then its quotations are reviewed."""
    form = PasteForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        source, note = form.save()
        if source is not None:
            messages.info(request, note)
            # A kind chosen for a source already known is how to read it now; saving the review keeps it.
            query = f"?{urlencode({'kind': form.cleaned_data['kind']})}" if form.cleaned_data.get("kind") else ""
            return redirect(reverse("admin:statements_source_review", args=[source.pk]) + query)
    context = admin_context(
        request,
        model_admin,
        title="Ingest an article",
        form=form,
        adminform=AdminForm(form, PASTE_FIELDSETS, {}),
        media=model_admin.media + form.media,
    )
    return render(request, "admin/statements/source/ingest.html", context)


@accepts_form_fields(REVIEW_MAX_FIELDS)
@curators_only
@require_http_methods(["GET", "HEAD", "POST"])
def review(request, source_id, model_admin):
    """The source's quotations as candidate statements: accept, edit or reject each, and save the drafts."""
    source = get_object_or_404(Source, pk=source_id)
    kind, read_as, kind_note = kinds.reading(source, request.GET)
    candidates = linking.candidates(source, kind=kind)
    chains = attribution.follow_ons([candidate.quotation for candidate in candidates])
    formset = CandidateForms(
        initial=[initial(candidate) for candidate in candidates], source=source, candidates=candidates
    )
    behind: dict[int, list[int]] = {}
    if request.method == "POST" and "follow" in request.POST:
        formset = _follow_ons_given_speaker(request, source, candidates, chains)
    elif request.method == "POST":
        posted = CandidateForms(request.POST, source=source, candidates=candidates)
        if not posted.management_form.is_valid():
            messages.error(
                request, "The form sent was incomplete, so nothing was saved: here are the quotations again."
            )
        elif posted.is_valid() and (behind := _left_behind(request, posted, candidates, chains)):
            formset = posted
        elif posted.is_valid():
            try:
                saved = save_reviewed(source, posted.forms)
            except IntegrityError:
                # A writer that takes no lock (an import, say) saved the same record at the same moment.
                messages.error(
                    request,
                    "Another change to the same records was saved at the same moment, so nothing was saved: your "
                    "decisions are below, send them again.",
                )
                saved = None
            if saved is not None:
                kinds.remember(source, kind)
                return _saved(request, source, saved)
            formset = posted
        else:
            formset = posted
    rows = [
        {
            "form": form,
            "candidate": form.candidate,
            "adminform": AdminForm(form, CANDIDATE_FIELDSETS, {}),
            "context": linking.context(source.full_text, *form.candidate.span) if form.candidate else None,
            "doubt": attribution.doubt(form.candidate.quotation) if form.candidate else "",
            "date_note": attribution.date_note(form.candidate.quotation) if form.candidate else "",
            "follow_ons": [number + 1 for number in chains.get(index, [])],
            "follows": _follows(form.candidate),
            "left_behind": index in behind,
        }
        for index, form in enumerate(formset.forms)
    ]
    context = admin_context(
        request,
        model_admin,
        title=f"Review the quotations of source #{source.pk}",
        source=source,
        formset=formset,
        rows=rows,
        already_saved=sum(1 for candidate in candidates if candidate.cited_by),
        kind=kind,
        kind_name=kinds.NAMES[kind],
        follow_ons_checked=bool(behind),
        read_as=read_as,
        kind_note=kind_note,
        media=model_admin.media + formset.media,
    )
    return render(request, "admin/statements/source/review.html", context)
