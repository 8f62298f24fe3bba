"""The read-only JSON API: statements with exactly the explorer's filters, and the people, bodies,
topics and sources behind them.

Pages are numbered, as in the explorer, so that a view and its data line up page for page, and
sorting by relevance pages like any other order; a cursor would need a unique sort key that a
relevance rank is not. Whole data sets are better taken from the CSV and Popolo exports.
"""

import functools

import django_filters
from django.conf import settings
from django.core.paginator import InvalidPage, Paginator
from django.db.models import Prefetch
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import exceptions, pagination, serializers, viewsets
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter
from rest_framework.throttling import AnonRateThrottle

from statements import facets
from statements.filters import StatementFilter, positive_number
from statements.models import Official, Organization, Position, Source, Statement, Topic
from statements.serializers import (
    OfficialSerializer,
    OrganizationSerializer,
    SourceSerializer,
    StatementSerializer,
    TopicSerializer,
)
from statements.views import MAX_PAGE

MAX_PAGE_SIZE = 100


class BadParameters(exceptions.APIException):
    """A 400 that names each query parameter that could not be used, and why."""

    status_code = 400
    default_code = "bad_parameters"

    def __init__(self, problems):
        super().__init__()
        self.detail = {
            "errors": [
                {"parameter": param, "value": value[:200], "reason": reason} for param, value, reason in problems
            ]
        }


class AnonymousThrottle(AnonRateThrottle):
    """Anonymous clients share a rate per address, read from settings at each request so tests can change it."""

    def get_rate(self):
        return settings.API_ANONYMOUS_RATE


def page_number(params, last_page):
    number = params.get("page", "1")
    if (positive_number(number) or 0) > MAX_PAGE and last_page > MAX_PAGE:
        # As in the explorer: deep pages cost the database a long walk, and the export streams them all.
        reason = f"pages stop at {MAX_PAGE}: narrow the filters, or take them all from /statements/export.csv"
        raise BadParameters([("page", number, reason)])
    if not 1 <= (positive_number(number) or 0) <= max(last_page, 1):
        raise BadParameters([("page", number, f"not a page between 1 and {max(last_page, 1)}")])
    return int(number)


def page_size(params, default):
    size = params.get("page_size", str(default))
    if not 1 <= (positive_number(size) or 0) <= MAX_PAGE_SIZE:
        raise BadParameters([("page_size", size, f"not a number from 1 to {MAX_PAGE_SIZE}")])
    return int(size)


class NumberedPages(pagination.PageNumberPagination):
    """Page numbers, with a 400 naming the parameter for a page that is not there."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE

    def paginate_queryset(self, queryset, request, view=None):
        size = page_size(request.query_params, self.page_size)
        paginator = Paginator(queryset, size)
        try:
            self.page = paginator.page(page_number(request.query_params, paginator.num_pages))
        except InvalidPage as error:
            raise BadParameters([("page", request.query_params.get("page", ""), str(error))]) from error
        self.request = request
        return list(self.page)


class StrictFilterBackend(DjangoFilterBackend):
    """django-filter's backend, answering bad filter values with BadParameters."""

    def filter_queryset(self, request, queryset, view):
        filterset = self.get_filterset(request, queryset, view)
        if filterset is None:
            return queryset
        if not filterset.is_valid():
            raise BadParameters(
                [
                    (name, request.query_params.get(name, ""), " ".join(errors).rstrip("."))
                    for name, errors in filterset.errors.items()
                ]
            )
        return filterset.qs


class ReadOnlyViewSet(viewsets.ReadOnlyModelViewSet):
    throttle_classes = [AnonymousThrottle]
    pagination_class = NumberedPages
    filter_backends = [StrictFilterBackend]


STATEMENT_PARAMETERS = [
    OpenApiParameter("q", str, description='Words in web-search syntax: words, "a phrase", -excluded, OR.'),
    OpenApiParameter("country", str, many=True, description="ISO code of the speaker's country; repeatable."),
    OpenApiParameter("mentions", str, many=True, description="ISO code of a country mentioned; repeatable."),
    OpenApiParameter("topic", str, many=True, description="Topic slug, subtopics included; repeatable."),
    OpenApiParameter("official", str, description="Official's slug (or name: the closest is taken)."),
    OpenApiParameter("organization", str, description="Organization's slug (or name)."),
    OpenApiParameter("kind", str, enum=Statement.Kind.values),
    OpenApiParameter("lang", str, description="Language code of the words: en, ko, fr..."),
    OpenApiParameter("date_from", OpenApiTypes.DATE, description="On or after (YYYY-MM-DD)."),
    OpenApiParameter("date_to", OpenApiTypes.DATE, description="On or before (YYYY-MM-DD)."),
    OpenApiParameter("sort", str, enum=["-date", "date", "relevance"], description="Relevance needs q."),
    OpenApiParameter("page", int),
    OpenApiParameter("page_size", int, description=f"1 to {MAX_PAGE_SIZE}; 25 by default."),
]


class StatementViewSet(ReadOnlyViewSet):
    """Published statements, filtered and ordered exactly as the explorer at /statements/ does."""

    serializer_class = StatementSerializer
    queryset = Statement.objects.published().with_related().prefetch_related("mentioned_countries")
    pagination_class = None  # The list pages itself, like the explorer (and the schema must not wrap its page).

    @extend_schema(
        parameters=STATEMENT_PARAMETERS,
        responses=inline_serializer(
            "StatementPage",
            {
                "count": serializers.IntegerField(),
                "count_is_estimate": serializers.BooleanField(),
                "next": serializers.URLField(allow_null=True),
                "previous": serializers.URLField(allow_null=True),
                "facets": serializers.DictField(),
                "results": StatementSerializer(many=True),
            },
        ),
    )
    def list(self, request, *args, **kwargs):
        filterset = StatementFilter(request.query_params)
        if filterset.problems:
            raise BadParameters([(note.param, note.value, note.reason) for note in filterset.problems])
        counts = facets.count(filterset)
        size = page_size(request.query_params, 25)
        # Past an uncounted total, the page itself tells whether there is more (as in the explorer).
        last_page = -(-counts.total // size) if counts.exact else max(-(-counts.total // size), MAX_PAGE)
        number = page_number(request.query_params, last_page)
        statements = filterset.qs.with_related().prefetch_related("mentioned_countries")
        offset = (number - 1) * size
        page = statements[offset : offset + size + (not counts.exact)]
        page = list(page) if counts.total or not counts.exact else []
        counts.seen(offset, len(page), size)
        if not page and number > 1:
            raise BadParameters([("page", str(number), "past the last page: fewer statements match than estimated")])
        last_page = -(-counts.total // size)

        link = functools.partial(self._page_url, request)
        return Response(
            {
                "count": counts.total,
                "count_is_estimate": not counts.exact,
                "next": link(number + 1) if number < min(last_page, MAX_PAGE) else None,
                "previous": link(number - 1) if number > 1 else None,
                "facets": {
                    "countries": {choice.value: choice.count for choice in counts.countries},
                    "topics": {
                        choice.value: choice.count for root in counts.topics for choice in [root, *root.children]
                    },
                },
                "results": self.get_serializer(page[:size], many=True).data,
            }
        )

    def _page_url(self, request, number):
        query = request.query_params.copy()
        query["page"] = number
        return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")


class NamedFilter(django_filters.FilterSet):
    """Officials or organizations by name and country."""

    name = django_filters.CharFilter(method="filter_name", help_text="Any part of a name; typos forgiven.")
    country = django_filters.CharFilter(method="filter_country", help_text="ISO code of the country.")

    def filter_name(self, queryset, name, value):
        return queryset.named_like(value)

    def filter_country(self, queryset, name, value):
        return queryset.filter(country=value.upper())


class OfficialFilter(NamedFilter):
    class Meta:
        model = Official
        fields = ["name", "country"]


class OfficialViewSet(ReadOnlyViewSet):
    """Officials (Popolo persons) with their positions."""

    serializer_class = OfficialSerializer
    lookup_field = "slug"
    filterset_class = OfficialFilter
    queryset = (
        Official.objects.current()
        .public()
        .select_related("country")
        .prefetch_related(Prefetch("positions", queryset=Position.objects.select_related("organization")))
        .order_by("sort_name", "name", "pk")
    )


class OrganizationFilter(NamedFilter):
    kind = django_filters.ChoiceFilter(choices=Organization.Kind.choices)

    class Meta:
        model = Organization
        fields = ["name", "country", "kind"]


class OrganizationViewSet(ReadOnlyViewSet):
    """Ministries, governments, international organizations..."""

    serializer_class = OrganizationSerializer
    lookup_field = "slug"
    filterset_class = OrganizationFilter
    queryset = Organization.objects.public().with_public_parent().select_related("country").order_by("name", "pk")


class TopicFilter(django_filters.FilterSet):
    parent = django_filters.CharFilter(field_name="parent__slug", help_text="Subtopics of this topic.")

    class Meta:
        model = Topic
        fields = ["parent"]


class TopicViewSet(ReadOnlyViewSet):
    """Topics, one level of subtopics."""

    serializer_class = TopicSerializer
    lookup_field = "slug"
    filterset_class = TopicFilter
    queryset = Topic.objects.select_related("parent").prefetch_related("children").order_by("name", "pk")


class SourceFilter(django_filters.FilterSet):
    publisher = django_filters.CharFilter(lookup_expr="iexact")
    kind = django_filters.ChoiceFilter(choices=Source.Kind.choices)
    published_from = django_filters.DateFilter(field_name="published_on", lookup_expr="gte")
    published_to = django_filters.DateFilter(field_name="published_on", lookup_expr="lte")

    class Meta:
        model = Source
        fields = ["publisher", "kind", "published_from", "published_to"]


class SourceViewSet(ReadOnlyViewSet):
    """Where statements were reported."""

    serializer_class = SourceSerializer
    filterset_class = SourceFilter
    queryset = Source.objects.public().order_by("-published_on", "-pk")


router = DefaultRouter()
router.register("statements", StatementViewSet, basename="statement")
router.register("officials", OfficialViewSet, basename="official")
router.register("organizations", OrganizationViewSet, basename="organization")
router.register("topics", TopicViewSet, basename="topic")
router.register("sources", SourceViewSet, basename="source")
urls = router.urls
