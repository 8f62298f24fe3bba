"""The read-only JSON API: statements with exactly the explorer's filters, and the people, bodies,
topics and sources behind them.

Pages are numbered, as in the explorer, so that a view and its data line up page for page, and
sorting by relevance pages like any other order; a cursor would need a unique sort key that a
relevance rank is not. Whole data sets are better taken from the CSV and Popolo exports.
"""

import functools
import logging

import django_filters
from django import forms
from django.conf import settings
from django.core.paginator import InvalidPage, Paginator
from django.core.validators import RegexValidator
from django.db.models import Prefetch
from django.http import JsonResponse
from django.views.defaults import page_not_found
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from redis.exceptions import RedisError
from rest_framework import exceptions, pagination, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter
from rest_framework.throttling import AnonRateThrottle

from diplotrack.clients import client_address
from statements import present
from statements import query as explorer
from statements.filters import NOT_FILTERS, FilterSet, LenientMultipleChoiceField, Note, StatementFilter
from statements.models import Official, Organization, Position, Source, Statement, Topic
from statements.opendata.serializers import (
    PAGE_COLUMNS,
    PAGE_LISTS,
    BadRequestSerializer,
    MessageSerializer,
    OfficialSerializer,
    OrganizationSerializer,
    SourceSerializer,
    StatementPageSerializer,
    StatementSerializer,
    TimelineSerializer,
    TopicSerializer,
    statement_data,
)
from statements.query import MAX_PAGE, MAX_PAGE_SIZE, PAGE_SIZE, ExplorerQuery, Refused, in_order
from statements.timeline import INTERVALS, read_strictly

logger = logging.getLogger(__name__)


class BadParameters(exceptions.APIException):
    """A 400 that names each query parameter that could not be used, and why."""

    status_code = 400
    default_code = "bad_parameters"

    def __init__(self, problems):
        super().__init__()
        self.detail = {
            "errors": [
                {"parameter": note.param, "value": note.value[:200], "reason": note.reason} for note in problems
            ]
        }


class AnonymousThrottle(AnonRateThrottle):
    """Anonymous clients share a rate per address, read from settings at each request so tests can change it.

    The counts are in the default cache, which every worker and machine shares (see settings.CACHES).
    """

    def get_rate(self):
        return settings.API_ANONYMOUS_RATE

    def get_ident(self, request):
        return client_address(request)

    def allow_request(self, request, view):
        try:
            return super().allow_request(request, view)
        except RedisError:
            # Better the API without its limit than no API until Redis answers again. (The database's cache table
            # fails with the database, and the site answers 503 then.)
            logger.error("Rate limit not applied: the cache is unreachable", exc_info=True)
            return True


def page_number(params, last_page):
    """The page number of a list other than the statements' (those page as the explorer does), by its rule."""
    try:
        return explorer.page_number(params.get("page", "1"), last_page, strict=True)[0]
    except Refused as refusal:
        raise BadParameters(refusal.notes) from refusal


class NumberedPages(pagination.PageNumberPagination):
    """Page numbers, with a 400 naming the parameter for a page that is not there."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE

    def paginate_queryset(self, queryset, request, view=None):
        try:
            size = explorer.page_size(request.query_params.get("page_size"), self.page_size)
        except Refused as refusal:
            raise BadParameters(refusal.notes) from refusal
        paginator = Paginator(queryset, size)
        try:
            self.page = paginator.page(page_number(request.query_params, paginator.num_pages))
        except InvalidPage as error:
            given = request.query_params.get("page", "")
            raise BadParameters([Note.because("malformed", "page", given, error=str(error))]) from error
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
                    Note.because(
                        "malformed", name, request.query_params.get(name, ""), error=" ".join(errors).rstrip(".")
                    )
                    for name, errors in filterset.errors.items()
                ]
            )
        return filterset.qs


def page_parameters(default_size):
    """page and page_size, bounded as the API holds them."""
    page = {"type": "integer", "minimum": 1, "maximum": MAX_PAGE}
    size = {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE, "default": default_size}
    return [
        OpenApiParameter("page", page, description=f"A page number up to the last page; pages stop at {MAX_PAGE}."),
        OpenApiParameter("page_size", size, description=f"1 to {MAX_PAGE_SIZE}; {default_size} by default."),
    ]


RETRY_AFTER = OpenApiParameter(
    "Retry-After", int, OpenApiParameter.HEADER, required=True, response=[429, 503], description="Seconds to wait."
)
# What an operation may answer instead of its 200. The 503 is diplotrack.middleware.DatabaseUnavailableMiddleware's.
OTHER_ANSWERS = {
    "list": {
        400: OpenApiResponse(
            BadRequestSerializer,
            "A parameter that cannot be used: malformed, not a parameter, naming nothing that exists (a country, a "
            "topic, a name), at odds with another (date_from after date_to), or a page past the last. Each is named, "
            "with its value and the reason.",
        ),
    },
    "retrieve": {404: OpenApiResponse(MessageSerializer, "There is no such (public) record.")},
}
OTHER_ANSWERS["timeline"] = OTHER_ANSWERS["list"]
UNAVAILABLE = {
    429: OpenApiResponse(MessageSerializer, "Too many requests from this address: wait Retry-After seconds."),
    503: OpenApiResponse(MessageSerializer, "The database is unavailable: try again after Retry-After seconds."),
}


class ApiSchema(AutoSchema):
    """The OpenAPI description of every operation: its other answers, its paging bounds, its empty filters."""

    def get_override_parameters(self):
        parameters = [*super().get_override_parameters(), RETRY_AFTER]
        if self.view.action == "list" and self.view.paginator:
            parameters += page_parameters(self.view.paginator.page_size)
        return parameters

    def get_response_serializers(self):
        return {200: super().get_response_serializers(), **OTHER_ANSWERS[self.view.action], **UNAVAILABLE}

    def get_operation(self, *args, **kwargs):
        operation = super().get_operation(*args, **kwargs)
        for parameter in operation.get("parameters", []):
            if parameter["in"] == "query" and parameter["name"] not in NOT_FILTERS:
                # An empty filter is no filter, as in the explorer, whose form sends its empty fields.
                parameter["allowEmptyValue"] = True
        return operation


class ReadOnlyViewSet(viewsets.ReadOnlyModelViewSet):
    throttle_classes = [AnonymousThrottle]
    pagination_class = NumberedPages
    filter_backends = [StrictFilterBackend]
    schema = ApiSchema()


def filter_parameters(filterset_class):
    """The OpenAPI description of a FilterSet's filters, from their declarations: type, choices, pattern, help."""
    parameters = []
    for name, declared in filterset_class.base_filters.items():
        field = declared.field
        kind, extra = str, {}
        if isinstance(field, LenientMultipleChoiceField):
            extra["many"] = True
        elif isinstance(field, forms.ChoiceField):
            extra["enum"] = [value for value, _ in field.choices if value]
        elif isinstance(field, forms.DateField):
            kind = OpenApiTypes.DATE
        patterns = [validator.regex.pattern for validator in field.validators if isinstance(validator, RegexValidator)]
        if patterns:
            extra["pattern"] = patterns[0]
        parameters.append(OpenApiParameter(name, kind, description=field.help_text, **extra))
    return parameters


STATEMENT_PARAMETERS = [*filter_parameters(StatementFilter), *page_parameters(PAGE_SIZE)]
TIMELINE_PARAMETERS = [
    *filter_parameters(StatementFilter),
    OpenApiParameter(
        "interval",
        str,
        enum=list(INTERVALS),
        description="The periods' length; by default per year over 15 years of statements, per week under 6 months, "
        "else per month.",
    ),
]


class StatementViewSet(ReadOnlyViewSet):
    """Published statements, filtered and ordered exactly as the explorer at /statements/ does."""

    queryset = Statement.objects.published().with_related().prefetch_related("mentioned_countries")
    pagination_class = None  # The list pages itself, like the explorer (and the schema must not wrap its page).

    def get_serializer_class(self):
        return {"list": StatementPageSerializer, "timeline": TimelineSerializer}.get(self.action, StatementSerializer)

    @extend_schema(parameters=STATEMENT_PARAMETERS)
    def list(self, request, *args, **kwargs):
        # How the statements are read and written: as plain values (statement_data); asked for with a suffix
        # (/api/statements.json), as model instances through StatementSerializer, whose links keep the suffix.
        if self.format_kwarg:
            related = Statement.objects.with_related().prefetch_related("mentioned_countries")
            read = functools.partial(in_order, related=related)

            def write(statements):
                return StatementSerializer(statements, many=True, context=self.get_serializer_context()).data

        else:
            site = request.build_absolute_uri("/").removesuffix("/")
            read = functools.partial(present.page, lists=PAGE_LISTS, columns=PAGE_COLUMNS, site=site)

            def write(statements):
                return [statement_data(shown) for shown in statements]

        try:
            query = ExplorerQuery(request.query_params)
            query.refuse_problems()
            size = explorer.page_size(request.query_params.get("page_size"), PAGE_SIZE)
            page = query.page(request.query_params.get("page"), read=read, size=size, strict=True)
        except Refused as refusal:
            raise BadParameters(refusal.notes) from refusal
        counts, number = query.facets, page.number

        link = functools.partial(self._page_url, request)
        answer = self.get_serializer(
            {
                "count": counts.total,
                "count_is_estimate": not counts.exact,
                "ranked_among": page.ranked_among,
                "next": link(number + 1) if page.more else None,
                "previous": link(number - 1) if number > 1 else None,
                "facets": {
                    "countries": {choice.value: choice.count for choice in counts.countries},
                    "topics": {
                        choice.value: choice.count for root in counts.topics for choice in [root, *root.children]
                    },
                },
                "results": [],
            }
        ).data
        answer["results"] = write(page.object_list)
        return Response(answer)

    @extend_schema(parameters=TIMELINE_PARAMETERS)
    @action(detail=False)
    def timeline(self, request, *args, **kwargs):
        """How many statements match the filters in each period, as at /statements/timeline/."""
        try:
            counted = read_strictly(request.query_params)
        except Refused as refusal:
            raise BadParameters(refusal.notes) from refusal
        return Response(self.get_serializer(counted.data()).data)

    def _page_url(self, request, number):
        query = request.query_params.copy()
        query["page"] = number
        return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")


class NamedFilter(FilterSet):
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


class TopicFilter(FilterSet):
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


class SourceFilter(FilterSet):
    publisher = django_filters.CharFilter(lookup_expr="iexact")
    kind = django_filters.ChoiceFilter(choices=Source.Kind.choices)
    # ISO dates only, as the schema says (and as the statements' filters take them).
    published_from = django_filters.DateFilter(
        field_name="published_on", lookup_expr="gte", input_formats=["%Y-%m-%d"]
    )
    published_to = django_filters.DateFilter(field_name="published_on", lookup_expr="lte", input_formats=["%Y-%m-%d"])

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


def not_found(request, exception):
    """The 404 for an address no route takes (handler404): under /api/ the API's JSON, as its schema says."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "Not found."}, status=404)
    return page_not_found(request, exception)
