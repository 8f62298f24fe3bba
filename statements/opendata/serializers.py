"""How the JSON API writes statements, officials, organizations, topics and sources."""

from urllib.parse import urlencode

from django.urls import reverse
from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

from statements.models import Citation, Country, Official, Organization, Position, Source, Statement, Topic
from statements.present import Links, Shown
from statements.timeline import INTERVALS


def links(field):
    """The answer's links (statements.present.Links) under the site's address, each pattern reversed once an answer,
    not once a link: a page of 100 statements links to hundreds of statements, officials and topics. Kept in the
    answer's context, which the serializer's fields and nested serializers share."""
    if "links" not in field.context:
        field.context["links"] = Links(field.context["request"].build_absolute_uri("/").removesuffix("/"))
    return field.context["links"]


class Link(serializers.HyperlinkedIdentityField):
    """A record's address in the API, as DRF's, from the answer's links."""

    def get_url(self, obj, view_name, request, format):
        if format:  # Asked for with a suffix (/api/statements.json): its links keep it, as DRF writes them.
            return super().get_url(obj, view_name, request, format)
        return links(self)(view_name, getattr(obj, self.lookup_field))


class CountrySerializer(serializers.ModelSerializer):
    class Meta:
        model = Country
        fields = ["code", "name"]


class TopicReferenceSerializer(serializers.ModelSerializer):
    url = Link(view_name="api:topic-detail", lookup_field="slug")

    class Meta:
        model = Topic
        fields = ["slug", "name", "url"]


class OfficialReferenceSerializer(serializers.ModelSerializer):
    url = Link(view_name="api:official-detail", lookup_field="slug")

    class Meta:
        model = Official
        fields = ["slug", "name", "url"]


class OrganizationReferenceSerializer(serializers.ModelSerializer):
    url = Link(view_name="api:organization-detail", lookup_field="slug")

    class Meta:
        model = Organization
        fields = ["slug", "name", "url"]


class CitationSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(source="source.id")
    title = serializers.CharField(source="source.title")
    publisher = serializers.CharField(source="source.publisher")
    author = serializers.CharField(source="source.author")
    published_on = serializers.DateField(source="source.published_on", allow_null=True)
    kind = serializers.CharField(source="source.kind")
    url = serializers.CharField(source="source.url")
    archive_url = serializers.CharField(source="source.archive_url")

    class Meta:
        model = Citation
        fields = ["id", "title", "publisher", "author", "published_on", "kind", "url", "archive_url"]
        fields += ["start_offset", "end_offset"]


class StatementSerializer(serializers.ModelSerializer):
    url = Link(view_name="api:statement-detail")
    html_url = serializers.SerializerMethodField()
    speaker = serializers.SerializerMethodField(help_text="Who said it, as every page, download and feed names them.")
    # A statement has an official or an organization, not always both, and not always a country.
    official = OfficialReferenceSerializer(allow_null=True)
    organization = OrganizationReferenceSerializer(allow_null=True)
    country = CountrySerializer(allow_null=True)
    topics = TopicReferenceSerializer(many=True)
    mentioned_countries = CountrySerializer(many=True)
    sources = CitationSerializer(source="citations", many=True)

    class Meta:
        model = Statement
        fields = [
            "id",
            "url",
            "html_url",
            "text",
            "kind",
            "language",
            "original_text",
            "original_language",
            "translated_by",
            "date",
            "date_precision",
            "occasion",
            "speaker",
            "official",
            "organization",
            "attribution_text",
            "role",
            "country",
            "topics",
            "mentioned_countries",
            "sources",
        ]

    # The statement's public fields that the model does not hold as they are shown: statements.present.Shown's.

    def get_html_url(self, statement) -> str:
        return Shown.of(statement, links=links(self)).url

    def get_speaker(self, statement) -> str:
        return Shown.of(statement).speaker


# What a page of the API reads of each statement beside Shown's VALUES, and its lists, as plain values
# (statements.present.page): StatementSerializer's fields, written by `statement_data`.
PAGE_COLUMNS = ["original_text", "translated_by"]
PAGE_LISTS = ["topics", "mentions", "citations"]


def statement_data(shown):
    """What StatementSerializer writes of a statement, from its row of plain values (statements.present.page with
    PAGE_COLUMNS and PAGE_LISTS; its links under the answer's site): the same answer, without the model instances,
    nested serializers and fields that cost a page of 100 statements some 60,000 calls.
    tests/opendata/test_api.py compares the two on every kind of statement."""
    row, link = shown.row, shown.links
    official = organization = country = None
    if shown.official_slug:
        official = {
            "slug": shown.official_slug,
            "name": shown.official,
            "url": link("api:official-detail", shown.official_slug),
        }
    if shown.organization_slug:
        organization = {
            "slug": shown.organization_slug,
            "name": shown.organization,
            "url": link("api:organization-detail", shown.organization_slug),
        }
    if shown.country_code:
        country = {"code": shown.country_code, "name": shown.country}
    return {
        "id": shown.pk,
        "url": link("api:statement-detail", shown.pk),
        "html_url": shown.url,
        "text": shown.text,
        "kind": shown.kind,
        "language": shown.language,
        "original_text": row["original_text"],
        "original_language": shown.original_language,
        "translated_by": row["translated_by"],
        "date": shown.date.isoformat(),
        "date_precision": shown.date_precision,
        "occasion": shown.occasion,
        "speaker": shown.speaker,
        "official": official,
        "organization": organization,
        "attribution_text": shown.attribution_text,
        "role": shown.role,
        "country": country,
        "topics": [{**topic, "url": link("api:topic-detail", topic["slug"])} for topic in row["topics"]],
        "mentioned_countries": row["mentions"],
        "sources": [
            {**source, "published_on": source["published_on"] and source["published_on"].isoformat()}
            for source in row["citations"]
        ],
    }


class PositionSerializer(serializers.ModelSerializer):
    organization = OrganizationReferenceSerializer()
    # "term": start and end as stated (at their precision); "attestation": only the months the post was seen held.
    kind = serializers.ChoiceField(choices=["term", "attestation"], read_only=True)
    attested_on = serializers.ListField(child=serializers.DateField(), read_only=True)

    class Meta:
        model = Position
        fields = ["role", "organization", "kind", "start_date", "start_precision", "end_date", "end_precision"]
        fields += ["attested_on"]


class OfficialSerializer(serializers.ModelSerializer):
    url = Link(view_name="api:official-detail", lookup_field="slug")
    country = CountrySerializer(allow_null=True)
    positions = PositionSerializer(many=True)
    statements_url = serializers.SerializerMethodField()

    class Meta:
        model = Official
        fields = ["slug", "url", "name", "sort_name", "native_name", "other_names", "country", "wikidata_id"]
        fields += ["positions", "statements_url"]

    def get_statements_url(self, official) -> str:
        query = urlencode({"official": official.slug})
        return self.context["request"].build_absolute_uri(f"{reverse('api:statement-list')}?{query}")


class OrganizationSerializer(serializers.ModelSerializer):
    url = Link(view_name="api:organization-detail", lookup_field="slug")
    country = CountrySerializer(allow_null=True)
    # Of a queryset with_public_parent(): a parent the public may not know of is left out.
    parent = serializers.CharField(source="public_parent", read_only=True, allow_null=True, help_text="Its slug.")

    class Meta:
        model = Organization
        fields = ["slug", "url", "name", "other_names", "kind", "country", "parent"]


class TopicSerializer(serializers.ModelSerializer):
    url = Link(view_name="api:topic-detail", lookup_field="slug")
    parent = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    children = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)

    class Meta:
        model = Topic
        fields = ["slug", "url", "name", "description", "parent", "children"]


class SourceSerializer(serializers.ModelSerializer):
    api_url = Link(view_name="api:source-detail")
    # Strings, as in a statement's sources: an address, or "" when there is none (the schema's oneOf of a URI
    # and an empty string matched "" twice).
    url = serializers.CharField(read_only=True, help_text="The source's address, or empty.")
    archive_url = serializers.CharField(read_only=True, help_text="An archived copy's address, or empty.")

    class Meta:
        model = Source
        fields = ["id", "api_url", "url", "title", "publisher", "author", "published_on", "kind", "language"]
        fields += ["archive_url"]


class FacetsSerializer(serializers.Serializer):
    countries = serializers.DictField(
        child=serializers.IntegerField(allow_null=True),
        help_text="Statements by the speaker's country code (other filters applied); null when not counted.",
    )
    topics = serializers.DictField(
        child=serializers.IntegerField(allow_null=True),
        help_text="Statements by topic slug, subtopics included (other filters applied); null when not counted.",
    )


@extend_schema_serializer(many=False)  # The list answers one page, not a list of them.
class StatementPageSerializer(serializers.Serializer):
    count = serializers.IntegerField(help_text="Statements matching the filters.")
    count_is_estimate = serializers.BooleanField(
        help_text="True when count is not exact: the database's estimate, or at least that many."
    )
    ranked_among = serializers.IntegerField(
        allow_null=True,
        help_text="Sorted by relevance with too many matches to rank them all: how many of them, the newest, were "
        "ranked (and paged); null when every match was.",
    )
    next = serializers.URLField(allow_null=True, help_text="The next page, if there is one.")
    previous = serializers.URLField(allow_null=True, help_text="The previous page, if there is one.")
    facets = FacetsSerializer()
    results = StatementSerializer(many=True)


class PeriodSerializer(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField(help_text="Its last day.")


class TimelineSeriesSerializer(serializers.Serializer):
    filter = serializers.CharField(
        allow_null=True, help_text="country or topic: the filter this series is one value of; null: every match."
    )
    value = serializers.CharField(help_text="The country's code or the topic's slug (empty for every match).")
    label = serializers.CharField()
    counts = serializers.ListField(child=serializers.IntegerField(min_value=0), help_text="One for each period.")


class TimelineSerializer(serializers.Serializer):
    interval = serializers.ChoiceField(
        choices=INTERVALS, allow_null=True, help_text="The periods' length; null when nothing was counted."
    )
    counted = serializers.BooleanField(
        help_text="False when counting took longer than the server allows: no periods then; narrow the filters."
    )
    periods = PeriodSerializer(many=True, help_text="From the first with statements to the last, zeros included.")
    series = TimelineSeriesSerializer(
        many=True, help_text="One per chosen country (else topic) when several are chosen, up to 5; else one."
    )
    not_split = serializers.ListField(
        child=serializers.CharField(), help_text="The chosen countries or topics past the fifth: not drawn apart."
    )


class ParameterErrorSerializer(serializers.Serializer):
    parameter = serializers.CharField()
    value = serializers.CharField(help_text="As given, up to 200 characters.")
    reason = serializers.CharField()


class BadRequestSerializer(serializers.Serializer):
    errors = ParameterErrorSerializer(many=True)


class MessageSerializer(serializers.Serializer):
    detail = serializers.CharField()
