"""Tell what a pasted text is: a news article, the transcript of a briefing, or a press release.

Each kind is read its own way (extractor.extract): an article by its quotation marks, a transcript by its speaker
labels (transcripts.py), a release as one statement of its issuer (releases.py). The kind is detected from the
text's form, never from its sentences, and a curator or the command line may say otherwise.
"""

from .headers import text_lines
from .korean import is_korean, looks_like_korean_transcript
from .releases import looks_like_release
from .transcripts import looks_like_transcript

ARTICLE, TRANSCRIPT, RELEASE = "article", "transcript", "release"
KINDS = (ARTICLE, TRANSCRIPT, RELEASE)


def detect_kind(text: str) -> str:
    """The text's kind by its form: speaker labels make a transcript, a release's header or end marks a release."""
    if is_korean(text):
        return TRANSCRIPT if looks_like_korean_transcript(text) else ARTICLE
    lines = text_lines(text)
    if looks_like_transcript(lines):
        return TRANSCRIPT
    if looks_like_release(lines):
        return RELEASE
    return ARTICLE
