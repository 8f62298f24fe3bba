"""Read what was fetched: the items a listing offers (RSS/Atom, sitemap, HTML listing, JSON API), and the text,
title, date, author and language of a document (HTML by trafilatura, PDF by pypdf).

Django-free, like the extractor: bytes in, plain records out; what cannot be read is a ReadError saying why.
"""

import datetime
import io
import json
import re
from dataclasses import dataclass
from urllib.parse import urldefrag, urljoin, urlsplit

import feedparser
import lxml.etree
import lxml.html
import trafilatura
from cssselect import SelectorError
from pypdf import PdfReader
from pypdf.errors import PyPdfError

# A date before this, or more than a day ahead, is a placeholder or a wrong clock (the epoch, 2099...): left out.
EARLIEST = datetime.date(1900, 1, 1)
# Fewer words than this are a menu or a "Home" link that the extraction kept, not a document's text.
MIN_WORDS = 5
LANGUAGE_RE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$")


class ReadError(Exception):
    """Content that cannot be read as what it should be (malformed XML, no links, no text)."""


class NoText(ReadError):
    """A document read without error that holds no text: a page of links, a scanned PDF."""


@dataclass
class Item:
    """A document a listing offers."""

    url: str
    guid: str = ""
    title: str = ""
    published: datetime.date | None = None


@dataclass
class Reading:
    """A document's text and what it says of itself."""

    text: str
    title: str = ""
    published: datetime.date | None = None
    author: str = ""
    language: str = ""
    canonical_url: str = ""


def plausible(value: datetime.date | None, today: datetime.date | None = None) -> datetime.date | None:
    """The date, unless it is before 1900, the epoch's first day, or in the future."""
    today = today or datetime.date.today()
    if value is None or value == datetime.date(1970, 1, 1):
        return None
    return value if EARLIEST <= value <= today + datetime.timedelta(days=1) else None


def parse_date(text) -> datetime.date | None:
    if not text:
        return None
    try:
        return plausible(datetime.date.fromisoformat(str(text).strip()[:10]))
    except ValueError:
        return None


def web_address(url: str, base: str = "") -> str | None:
    """The absolute http(s) address, without its fragment; None for mailto:, javascript: and the like."""
    if not url:
        return None
    absolute = urldefrag(urljoin(base, url.strip())).url
    parts = urlsplit(absolute)
    return absolute if parts.scheme in ("http", "https") and parts.netloc else None


def listing(kind: str, body: bytes, base_url: str, selector: str = "") -> list[Item]:
    """The items of a listing in its order, each address once (a feed repeating a GUID or a link gives it once)."""
    reader = {"rss": _rss, "sitemap": _sitemap, "html": _html, "api": _json}[kind]
    items, seen = [], set()
    for item in reader(body, base_url, selector):
        key = item.guid or item.url
        if item.url in seen or key in seen:
            continue
        seen.update({item.url, key})
        items.append(item)
    return items


def _rss(body, base_url, selector):
    parsed = feedparser.parse(body, response_headers={"content-location": base_url})
    if parsed.bozo and not parsed.entries:
        raise ReadError(f"Not a readable RSS or Atom feed: {parsed.get('bozo_exception')}")
    for entry in parsed.entries:
        url = web_address(entry.get("link", ""), base_url)
        if url is None:
            continue
        when = entry.get("published_parsed") or entry.get("updated_parsed")
        published = plausible(datetime.date(*when[:3])) if when else None
        yield Item(url=url, guid=str(entry.get("id", ""))[:500], title=entry.get("title", ""), published=published)


def _xml(body):
    parser = lxml.etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        return lxml.etree.fromstring(body, parser)
    except lxml.etree.XMLSyntaxError as error:
        raise ReadError(f"Malformed XML: {error}") from error


def _sitemap(body, base_url, selector):
    root = _xml(body)
    for node in root.iter("{*}url"):
        url = web_address(node.findtext("{*}loc") or "", base_url)
        if url:
            yield Item(url=url, published=parse_date(node.findtext("{*}lastmod")))


def _html(body, base_url, selector):
    if not selector:
        raise ReadError("An HTML listing needs the CSS selector of its links.")
    try:
        page = lxml.html.document_fromstring(body)
    except (lxml.etree.ParserError, ValueError) as error:
        raise ReadError(f"Not a readable HTML page: {error}") from error
    try:
        links = page.cssselect(selector)
    except SelectorError as error:
        raise ReadError(f"The link selector “{selector}” is not a CSS selector: {error}") from error
    for link in links:
        url = web_address(link.get("href", ""), base_url)
        if url:
            yield Item(url=url, title=" ".join(link.text_content().split()))


# The JSON adapter: the first list of objects found (at the top, or under any key), and in each object the first
# field of these names that has a value. Korea's open data API, a WordPress REST API and most CMS exports fit.
JSON_FIELDS = {
    "url": ("url", "link", "href", "permalink", "web_url"),
    "guid": ("id", "guid", "uuid", "seq"),
    "title": ("title", "headline", "name", "subject"),
    "published": ("date", "published", "published_at", "pubDate", "created", "regDate"),
}


def _json(body, base_url, selector):
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError) as error:
        raise ReadError(f"Not readable JSON: {error}") from error
    for entry in _first_list(data):
        fields = {name: next((entry[key] for key in keys if entry.get(key)), "") for name, keys in JSON_FIELDS.items()}
        # WordPress gives {"rendered": "..."} for a title.
        title = fields["title"].get("rendered", "") if isinstance(fields["title"], dict) else fields["title"]
        url = web_address(str(fields["url"]), base_url)
        if url:
            yield Item(
                url=url, guid=str(fields["guid"])[:500], title=str(title), published=parse_date(fields["published"])
            )


def _first_list(data, depth=0):
    if isinstance(data, list) and any(isinstance(entry, dict) for entry in data):
        return [entry for entry in data if isinstance(entry, dict)]
    if isinstance(data, dict) and depth < 5:
        for value in data.values():
            found = _first_list(value, depth + 1)
            if found:
                return found
    return []


def document(body: bytes, content_type: str = "", url: str = "") -> Reading:
    """The text and details of a fetched document: a PDF by its text layer, anything else as HTML."""
    if "pdf" in content_type.lower() or body[:5] == b"%PDF-":
        return _pdf(body)
    return _page(body, url)


def _page(body, url):
    try:
        found = trafilatura.bare_extraction(body, url=url or None, with_metadata=True, favor_precision=True)
    except (ValueError, TypeError, lxml.etree.LxmlError) as error:
        raise ReadError(f"Not a readable page: {error}") from error
    if found is None or len((found.text or "").split()) < MIN_WORDS:
        raise NoText("No text found on the page.")
    paragraphs = [line.strip() for line in found.text.splitlines() if line.strip()]
    return Reading(
        text="\n\n".join(paragraphs),
        title=(found.title or "").strip(),
        published=parse_date(found.date),
        author=(found.author or "").strip(),
        language=_language(body),
        canonical_url=web_address(found.url or "", url) or "",
    )


def _language(body):
    """The page's own <html lang>, when it is a language code."""
    try:
        lang = lxml.html.document_fromstring(body).get("lang", "")
    except (lxml.etree.ParserError, ValueError):
        return ""
    lang = lang.strip().replace("_", "-")
    return lang.split("-")[0].lower() if LANGUAGE_RE.match(lang) else ""


def _pdf(body):
    try:
        reader = PdfReader(io.BytesIO(body))
        pages = [page.extract_text() or "" for page in reader.pages]
        meta = reader.metadata or {}
    except (PyPdfError, ValueError, KeyError, TypeError, OSError) as error:
        raise ReadError(f"Not a readable PDF: {error}") from error
    text = "\n\n".join(page.strip() for page in pages if page.strip())
    if not text:
        raise NoText("The PDF has no text layer (a scan?).")
    created = getattr(meta, "creation_date", None) if meta else None
    return Reading(
        text=text,
        title=str(meta.get("/Title", "") or "").strip() if meta else "",
        published=plausible(created.date()) if created else None,
        author=str(meta.get("/Author", "") or "").strip() if meta else "",
    )
