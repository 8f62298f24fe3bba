"""The kind of text a source is, as the extractor reads it: chosen on pasting (or detected), shown and changed in the
review.

The kind is kept on the Source (Source.kind: a news article, a transcript, a press release); the review reads the
source as that kind unless its URL asks for another (?kind=transcript), and saving the review keeps the kind the
quotations were read as.
"""

from django import forms

from statements.ingest.kinds import ARTICLE, RELEASE, TRANSCRIPT, detect_kind
from statements.models import Source

# How the extractor reads each kind of source; a social media post or a video's words read as an article does.
READING = {
    Source.Kind.NEWS_ARTICLE: ARTICLE,
    Source.Kind.TRANSCRIPT: TRANSCRIPT,
    Source.Kind.PRESS_RELEASE: RELEASE,
    Source.Kind.SOCIAL_MEDIA: ARTICLE,
    Source.Kind.VIDEO: ARTICLE,
}
SOURCE_KIND = {
    ARTICLE: Source.Kind.NEWS_ARTICLE,
    TRANSCRIPT: Source.Kind.TRANSCRIPT,
    RELEASE: Source.Kind.PRESS_RELEASE,
}
CHOICES = [
    (ARTICLE, "A news article: quotations in quotation marks"),
    (TRANSCRIPT, "A transcript: each official's turn after a speaker label (“SPOKESPERSON LIM:”)"),
    (RELEASE, "A press release or statement: one statement by its issuer"),
]
DETECT = ""
NAMES = {ARTICLE: "a news article", TRANSCRIPT: "a transcript", RELEASE: "a press release"}


def kind_field() -> forms.ChoiceField:
    """The ingest form's choice of kind; blank detects it from the text."""
    return forms.ChoiceField(
        label="Kind of text",
        choices=[(DETECT, "Detect from the text"), *CHOICES],
        required=False,
        help_text="How its statements are found. Detected from the text's form unless you say: speaker labels "
        "make a transcript, a release's header or “###” a press release.",
    )


def source_kind(choice: str, text: str) -> str:
    """The Source.kind for a paste: the one chosen, else the one its text shows."""
    return SOURCE_KIND[choice or detect_kind(text)]


class ReadAsForm(forms.Form):
    """The review's choice of how to read the source (a GET form: the URL holds it)."""

    kind = forms.ChoiceField(label="Or read it as", choices=CHOICES)
    doubled_marks = forms.BooleanField(
        label="Read ''…'' as quotation marks",
        required=False,
        help_text="Two apostrophes or backquotes (''…'', ``…''), as news archives print quotation marks.",
    )


def reading(source: Source, query) -> tuple[str, bool, "ReadAsForm", str]:
    """How to read the source for the review: the kind asked for in the query, else the source's; whether to read
    ''…'' as quotation marks (extract's doubled_marks); the form that changes them; and a note when the query asked
    for a kind that does not exist."""
    stored = READING.get(source.kind, ARTICLE)
    asked = None
    if "kind" in query or "doubled_marks" in query:  # Either alone: the other as stored.
        asked = ReadAsForm({"kind": query.get("kind", stored), "doubled_marks": query.get("doubled_marks", "")})
    if asked is not None and asked.is_valid():
        return asked.cleaned_data["kind"], asked.cleaned_data["doubled_marks"], asked, ""
    note = ""
    if asked is not None:
        note = f"There is no kind of text “{query.get('kind')}”: the source is read as it is stored."
    return stored, False, ReadAsForm(initial={"kind": stored}), note


def remember(source: Source, kind: str) -> None:
    """Keep on the source the kind its saved statements were read as."""
    wanted = SOURCE_KIND[kind]
    if READING.get(source.kind) != kind:
        source.kind = wanted
        source.save(update_fields=["kind", "updated_at"])
