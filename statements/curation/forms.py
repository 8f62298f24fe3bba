"""The forms of the article review: paste an article (saved as a Source at once), then decide on each quotation.

Their layout on the admin's pages (the fieldsets) is here too, beside the fields it names.
"""

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AdminDateWidget
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.text import Truncator

from statements.curation import kinds, linking
from statements.curation.widgets import SafeAutocompleteSelect, SafeAutocompleteSelectMultiple
from statements.ingest.korean import is_korean
from statements.models import MAX_TEXT, Country, Official, Organization, Source, Statement, Topic, plausible_date
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
        # A Korean text left at the form's English: its statements are Korean (the lang filter, search).
        if text and data.get("language") == "en" and is_korean(text):
            data["language"] = "ko"
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
