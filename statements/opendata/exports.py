"""Downloads: the explorer's current view as CSV, and everything published as Popolo JSON.

Both stream: rows are read through a server-side cursor inside one transaction and written as they
come, so a million statements cost no more memory than a thousand. The database is asked first, so that
while it is down the answer is a 503, not a 200 that breaks off; a stream that fails midway ends with a
line starting with STREAM_ERROR, and the server then aborts the transfer.
"""

import csv
import json

from django.http import HttpResponse, JsonResponse, StreamingHttpResponse

from diplotrack.http import read_only
from diplotrack.replicas import reading
from statements import present
from statements.models import Country, Official, Organization, Position, Statement
from statements.opendata.serializers import TimelineSerializer
from statements.query import ExplorerQuery, Refused
from statements.timeline import read_strictly

CHUNK = 2000
# The last line of a download that broke off: in a CSV export a row whose id this is, in a Popolo document
# the end of valid JSON. No row's id and no JSON document starts like it.
STREAM_ERROR = "#ERROR: this download broke off before its end and is incomplete: download it again"
# Each column, and what it holds of a statement's public fields (statements.present.Shown).
CSV_COLUMNS = {
    "id": lambda shown: shown.pk,
    "url": lambda shown: shown.permalink,
    "date": lambda shown: shown.date,
    "date_precision": lambda shown: shown.date_precision,
    "speaker": lambda shown: inert(shown.speaker),
    "official": lambda shown: shown.official_slug or "",
    "role": lambda shown: inert(shown.role),
    "organization": lambda shown: inert(shown.organization or ""),
    "attribution_text": lambda shown: inert(shown.attribution_text),
    "country": lambda shown: shown.country_code or "",
    "kind": lambda shown: shown.kind,
    "language": lambda shown: shown.language,
    "occasion": lambda shown: inert(shown.occasion),
    "text": lambda shown: inert(shown.text),
    "topics": lambda shown: ";".join(topic["slug"] for topic in shown.topics),
    "mentioned_countries": lambda shown: ";".join(shown.mention_codes),
    "source_urls": lambda shown: " ".join(source["url"] for source in shown.sources if source["url"]),
}


def database_answers():
    """Raise now, before a stream's first byte, if the database does not answer: the middleware's 503."""
    with reading().cursor() as cursor:
        cursor.execute("SELECT 1")


def ending_on_error(chunks, marker):
    """The stream's chunks and, should it fail midway, the marker as its last, before the failure goes on up.

    The server then closes the connection without the chunked transfer's last, empty chunk, so that an HTTP
    client reports the download incomplete; a client reading the body sees the marker.
    """
    try:
        yield from chunks
    except Exception:
        yield marker
        raise


def inert(text):
    """Text a spreadsheet will not run: one that starts like a formula (=, +, -, @), after any spaces, tabs or
    line breaks (which spreadsheets skip), gets a leading apostrophe.

    OWASP's advice against CSV injection; UN speeches that open with a dash would otherwise be formulas.
    """
    return f"'{text}" if text[:1] in ("\t", "\r") or text.lstrip()[:1] in ("=", "+", "-", "@") else text


class Echo:
    """A file-like object that hands back what is written, for csv.writer in a streaming response."""

    def write(self, value):
        return value


@read_only
def statements_csv(request):
    """The statements of an explorer view (same query parameters), all of them, as CSV."""
    query = ExplorerQuery(request.GET)
    try:
        query.refuse_problems()
    except Refused as refusal:
        return refusal.response()  # Not every statement, for a mistyped filter.
    site = request.build_absolute_uri("/")[:-1]
    writer = csv.writer(Echo())

    def lines():
        yield "\ufeff"  # The byte order mark by which Excel knows the file is UTF-8 (Korean, Arabic...).
        yield writer.writerow(CSV_COLUMNS)
        for shown in present.streamed(query.all(), site=site, chunk_size=CHUNK):
            yield writer.writerow([column(shown) for column in CSV_COLUMNS.values()])

    database_answers()
    marker = writer.writerow([STREAM_ERROR])  # One cell, a row of its own: the rows before it are whole.
    response = StreamingHttpResponse(ending_on_error(lines(), marker), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="diplotrack-statements.csv"'
    return response


OUT_OF_TIME = "Counting these statements over time took too long: narrow the filters (a country, a topic, dates).\n"


@read_only
def timeline_csv(request):
    """The timeline of an explorer view (same query parameters, and `interval`): a row per period and series."""
    try:
        counted = read_strictly(request.GET)
    except Refused as refusal:
        return refusal.response()
    if not counted.in_time:  # No file rather than an empty one, which would say that nothing matched.
        return HttpResponse(OUT_OF_TIME, status=503, content_type="text/plain; charset=utf-8")
    writer = csv.writer(Echo())
    lines = [writer.writerow(["period_start", "period_end", "interval", "filter", "value", "label", "statements"])]
    for period, counts in counted.rows:
        for series, count in zip(counted.series, counts, strict=True):
            row = [period.start, period.end, period.interval, series.param or "", series.value, inert(series.label)]
            lines.append(writer.writerow([*row, count]))
    response = HttpResponse("".join(lines), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="diplotrack-timeline.csv"'
    return response


@read_only
def timeline_json(request):
    """The timeline of an explorer view, as the API gives it (/api/statements/timeline/)."""
    try:
        counted = read_strictly(request.GET)
    except Refused as refusal:
        return refusal.response()
    return JsonResponse(TimelineSerializer(counted.data()).data)


# Popolo speech types: a paraphrase is the reporter's summary, the rest are the speaker's words.
SPEECH_TYPES = {Statement.Kind.PARAPHRASE: "summary"}


def popolo_date(date, precision):
    return {"year": f"{date:%Y}", "month": f"{date:%Y-%m}"}.get(precision, date.isoformat())


@read_only
def popolo(request):
    """Everything published, in Popolo's JSON: areas, persons, organizations, memberships and speeches."""
    site = request.build_absolute_uri("/")[:-1]

    def areas():
        for code, name in Country.objects.values_list("code", "name").iterator(chunk_size=CHUNK):
            yield {
                "id": f"area/{code}",
                "name": name,
                "classification": "country",
                "identifiers": [{"scheme": "iso3166", "identifier": code}],
            }

    def persons():
        officials = Official.objects.current().public().select_related("country").order_by("pk")
        for official in officials.iterator(chunk_size=CHUNK):
            other_names = [{"name": name} for name in official.other_names]
            if official.native_name:
                other_names.insert(0, {"name": official.native_name, "note": "native script"})
            yield {
                "id": f"person/{official.slug}",
                "name": official.name,
                "sort_name": official.sort_name,
                "other_names": other_names,
                "identifiers": [{"scheme": "wikidata", "identifier": official.wikidata_id}]
                if official.wikidata_id
                else [],
                "national_identity": official.country.name if official.country else None,
                "links": [{"url": site + official.get_absolute_url(), "note": "DiploTrack"}],
            }

    def organizations():
        organizations = Organization.objects.public().with_public_parent().order_by("pk")
        for organization in organizations.iterator(chunk_size=CHUNK):
            yield {
                "id": f"organization/{organization.slug}",
                "name": organization.name,
                "other_names": [{"name": name} for name in organization.other_names],
                "classification": organization.get_kind_display(),
                "parent_id": f"organization/{organization.public_parent}" if organization.public_parent else None,
                "area_id": f"area/{organization.country_id}" if organization.country_id else None,
            }

    def memberships():
        positions = Position.objects.public().select_related("official", "organization").order_by("pk")
        for position in positions.iterator(chunk_size=CHUNK):
            yield {
                "id": f"membership/{position.pk}",
                "person_id": f"person/{position.official.slug}",
                "organization_id": f"organization/{position.organization.slug}",
                "role": position.role,
                **position.popolo_dates(),
            }

    def speeches():
        for shown in present.streamed(
            Statement.objects.published().order_by("pk"), site=site, lists=["sources"], chunk_size=CHUNK
        ):
            yield {
                "id": f"speech/{shown.pk}",
                "creator_id": f"person/{shown.official_slug}" if shown.official_slug else None,
                "role": shown.role,
                "attribution_text": shown.attribution_text or None,
                "text": shown.text,
                "date": popolo_date(shown.date, shown.date_precision),
                "type": SPEECH_TYPES.get(shown.kind, "speech"),
                "sources": [{"url": source["url"]} for source in shown.sources if source["url"]]
                + [{"url": shown.permalink}],
            }

    def document():
        for index, (name, objects) in enumerate(
            [
                ("areas", areas()),
                ("persons", persons()),
                ("organizations", organizations()),
                ("memberships", memberships()),
                ("speeches", speeches()),
            ]
        ):
            yield ("{" if index == 0 else "],") + json.dumps(name) + ":["
            for position, obj in enumerate(objects):
                yield ("," if position else "") + json.dumps(obj, ensure_ascii=False)
        yield "]}"

    database_answers()
    # On a line of its own, where the document needs a comma or a closing bracket: no JSON parser takes it.
    marker = f"\n{STREAM_ERROR}\n"
    response = StreamingHttpResponse(
        ending_on_error(document(), marker), content_type="application/json; charset=utf-8"
    )
    response["Content-Disposition"] = 'inline; filename="diplotrack-popolo.json"'
    return response
