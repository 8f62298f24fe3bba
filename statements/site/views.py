"""The public pages: the statement explorer and the pages for statements, officials, topics, countries, sources."""

import functools

from django.core.paginator import Page, Paginator
from django.db.models import Count, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpResponseBadRequest, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import pluralize
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import push_url

from statements import facets
from statements.filters import SORTS, Note, StatementFilter, positive_number
from statements.models import (
    Citation,
    Country,
    Official,
    Organization,
    Position,
    PublishedCount,
    Source,
    Statement,
    Topic,
    language_name,
)
from statements.present import Shown
from statements.site.cards import cards

# Of a country's or an official's statements: the published ones (as "statement_count").
PUBLISHED_STATEMENTS = Count("statements", filter=Q(statements__status=Statement.Status.PUBLISHED))
PAGE_SIZE = 25
# Deep pages cost the database a long walk; a narrower filter serves better than page 401.
MAX_PAGE = 400
EXPLORER_FRAGMENT = "statements/explorer.html#fragment"
LANGUAGES = [
    ("en", "English"),
    ("ar", "Arabic"),
    ("zh", "Chinese"),
    ("fr", "French"),
    ("de", "German"),
    ("ja", "Japanese"),
    ("ko", "Korean"),
    ("pt", "Portuguese"),
    ("ru", "Russian"),
    ("es", "Spanish"),
]


def explore(request, *, fixed=None, feed_url=None):
    """Filter, count and paginate statements: the context of a page that shows the explorer.

    `fixed` holds the filter a page applies by itself (an official's page: {"official": slug}). It
    filters and counts like any other, stays out of the page's own links, and goes into the links to
    the same view as data (CSV, JSON).
    """
    fixed = fixed or {}
    params = with_fixed(request.GET, fixed)
    filterset = StatementFilter(params, request=request)  # The request's user: whose names it may resolve.
    counts = facets.count(filterset)
    notes = [*filterset.notes, *overridden(request.GET, fixed, "this page", "the statements page lets you choose")]
    number = request.GET.get("page", "1")
    if positive_number(number) is None:
        notes.append(Note("page", number, "not a page number, so showing the first page"))
        number = 1
    # Past an uncounted total, the page itself tells whether there is more.
    last_page = min(-(-counts.total // PAGE_SIZE) or 1, MAX_PAGE) if counts.exact else MAX_PAGE
    if int(number) > last_page:
        reason = (
            f"there {pluralize(last_page, 'is,are')} {last_page} page{pluralize(last_page)}"
            if last_page < MAX_PAGE
            else f"pages stop at {MAX_PAGE}: narrow the filters"
        )
        notes.append(Note("page", str(number), f"{reason}, so showing the last one"))
        number = last_page
    number, words = int(number), filterset.words
    start = (number - 1) * PAGE_SIZE
    # One row more than a page when the total is not known: whether more follow.
    rows = filterset.qs[start : start + PAGE_SIZE + (not counts.exact)]
    rows = cards(rows, words=words) if counts.total or not counts.exact else []
    counts.seen(start, len(rows), PAGE_SIZE)
    if not rows and number > 1:
        notes.append(Note("page", str(number), "none this far: fewer statements match than estimated", ignored=False))
    paginator = Paginator([], PAGE_SIZE)
    paginator.count = max(counts.total, start)  # Past the last page (of an estimate), the one before it exists.
    page = Page(rows[:PAGE_SIZE], number, paginator)
    return {
        "filter": filterset,
        "fixed": fixed,  # Its choices are left out of the page, and of its htmx fragment.
        "facets": counts,
        "page": page,
        "notes": notes,
        "words": words,
        # The feed and the data carry the filters as applied: they refuse ignored input (a 400) rather than
        # send everything, and a page's own filter is the feed's path.
        "feed_url": f"{feed_url or reverse('statement_feed')}?{filterset.applied_query(exclude=fixed)}".rstrip("?"),
        "data_query": filterset.applied_query(),
        "languages": languages(filterset.values.get("lang", "")),
        "kinds": Statement.Kind.choices,
        "sorts": SORTS.items(),
        "mentioned": functools.partial(country_names, filterset.values.get("mentions", [])),
        # Read by the template only when its cached list of countries has expired.
        "country_options": functools.partial(country_names),
    }


def languages(chosen):
    """The language choices, with the one asked for when it is not among them (so the form keeps it)."""
    chosen = chosen.lower()
    if not chosen or chosen in dict(LANGUAGES):
        return LANGUAGES
    return [*LANGUAGES, (chosen, language_name(chosen))]


def refused(notes):
    """A 400 naming each query parameter that could not be used: for the feeds and the CSV export."""
    lines = "".join(f"- {note}\n" for note in notes)
    return HttpResponseBadRequest(
        f"Nothing was sent: these query parameters could not be used.\n{lines}",
        content_type="text/plain; charset=utf-8",
    )


def overridden(params, fixed, where, instead):
    """Notes for another value given for the filter a page or feed applies by itself: it keeps its own."""
    return [
        Note(key, given, f"{where} keeps to its own {key}: {instead}")
        for key, value in fixed.items()
        for given in params.getlist(key)
        if given.strip() and given.strip().lower() != value.lower()
    ]


def with_fixed(params, fixed):
    params = params.copy()
    for key, value in fixed.items():
        params.setlist(key, [value])
    return params


def country_names(codes=None):
    countries = Country.objects.exclude(kind=Country.Kind.TERRITORY)
    if codes is not None:
        countries = countries.filter(code__in=codes)
    return list(countries.values_list("code", "name"))


def wants_fragment(request):
    """An htmx request that is not a history restore: it swaps in part of the page (the rest want it whole)."""
    return bool(request.htmx) and not request.htmx.history_restore_request


def render_explorer(request, template, context):
    """The whole page, or for an htmx request (not a history restore) only the results and facets."""
    if wants_fragment(request):
        response = render(request, EXPLORER_FRAGMENT, context)
        return push_url(response, clean_url(request)) if not is_clean(request) else response
    return render(request, template, context)


def clean_params(params):
    """The query parameters without the empty values and the default sort that forms send."""
    cleaned = {}
    for key, values in params.lists():
        kept = [value for value in values if value.strip() and (key, value) != ("sort", "-date")]
        if kept:
            cleaned[key] = kept
    return cleaned


def is_clean(request):
    return clean_params(request.GET) == dict(request.GET.lists())


def clean_query(params):
    """The query parameters, cleaned, as a query string."""
    query = QueryDict(mutable=True)
    for key, values in clean_params(params).items():
        query.setlist(key, values)
    return query.urlencode()


def clean_url(request):
    query = clean_query(request.GET)
    return f"{request.path}?{query}" if query else request.path


def with_clean_url(view):
    """Redirect a plain request from the filter form to its clean URL; htmx requests get it pushed instead."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.htmx and not is_clean(request):
            return redirect(clean_url(request))
        return view(request, *args, **kwargs)

    return wrapper


def read_only(view):
    """GET and HEAD only: other methods get a 405 with Allow, not the CSRF check's 403 (there is nothing to forge)."""
    return csrf_exempt(require_safe(view))


@read_only
@vary_on_headers("HX-Request")
@with_clean_url
def statement_list(request):
    """The statement explorer."""
    return render_explorer(request, "statements/statement_list.html", explore(request))


@read_only
def statement_detail(request, pk, slug=None):
    """A statement with its speaker, sources and related statements."""
    statements = Statement.objects.with_related().prefetch_related("mentioned_countries")
    if not request.user.has_perm("statements.view_statement"):
        statements = statements.published()
    statement = get_object_or_404(statements, pk=pk)
    if (slug or "") != statement.slug:
        return redirect(statement, permanent=True)
    position = statement.official.position_on(statement.date) if statement.official else None
    related = Statement.objects.published().exclude(pk=statement.pk)
    if statement.official_id:
        related = related.filter(official=statement.official_id)
    else:
        related = related.filter(official=None, organization=statement.organization_id)
    topic_ids = [topic.pk for topic in statement.topics.all()]
    related = cards(related.filter(topic_ids__overlap=topic_ids)[:5]) if topic_ids else []
    context = {"statement": statement, "shown": Shown.of(statement), "position": position, "related": related}
    return render(request, "statements/statement_detail.html", context)


@read_only
@vary_on_headers("HX-Request")
def official_list(request):
    """Officials, searchable by name (typos forgiven) and filterable by country."""
    officials = (
        Official.objects.current()
        .visible_to(request.user)
        .select_related("country")
        .annotate(statement_count=PUBLISHED_STATEMENTS)
    )
    name = request.GET.get("name", "").strip()[:200]
    if name:
        officials = officials.named_like(name)
    country = request.GET.get("country", "").upper()
    if country:
        officials = officials.filter(country=country)
    officials = officials.filter(statement_count__gt=0) if not name else officials
    page = Paginator(officials.order_by("sort_name", "name") if not name else officials, 50).get_page(
        request.GET.get("page")
    )
    context = {"page": page, "name": name, "country": Country.objects.filter(code=country).first()}
    template = "statements/official_list.html"
    if wants_fragment(request):
        template += "#officials"
    return render(request, template, context)


@read_only
def official_suggestions(request):
    """Names of officials like the one being typed, as <option>s for the explorer's datalist."""
    name = request.GET.get("official", "").strip()[:200]
    officials = Official.objects.current().visible_to(request.user).named_like(name).select_related("country")
    officials = officials[:10] if len(name) >= 2 else []
    return render(request, "statements/official_suggestions.html", {"officials": officials})


@read_only
@vary_on_headers("HX-Request")
@with_clean_url
def official_detail(request, slug):
    """An official: positions over time, and their statements, filterable like the explorer."""
    positions = Position.objects.select_related("organization__country")
    official = get_object_or_404(
        Official.objects.visible_to(request.user)
        .select_related("country")
        .prefetch_related(Prefetch("positions", queryset=positions)),
        slug=slug,
    )
    if official.merged_into_id:
        return redirect(official.merged_into, permanent=True)
    feed_url = reverse("official_feed", args=[official.slug])
    context = explore(request, fixed={"official": official.slug}, feed_url=feed_url)
    context["official"] = official
    return render_explorer(request, "statements/official_detail.html", context)


@read_only
def topic_list(request):
    """Topics with their subtopics and how many published statements each has, its subtopics' included."""
    # The number its page counts: PublishedCount's row for all countries ("*") counts subtopics' statements too.
    published = PublishedCount.objects.filter(country_code="*", topic_id=OuterRef("pk")).values("statements")
    topics = Topic.objects.annotate(statement_count=Coalesce(Subquery(published), 0)).order_by("name")
    children = {}
    for topic in topics:
        children.setdefault(topic.parent_id, []).append(topic)
    roots = [(topic, children.get(topic.pk, [])) for topic in children.get(None, [])]
    return render(request, "statements/topic_list.html", {"topics": roots})


@read_only
@vary_on_headers("HX-Request")
@with_clean_url
def topic_detail(request, slug):
    """A topic: its statements (subtopics included), its subtopics, and the countries that speak most on it."""
    topic = get_object_or_404(Topic.objects.select_related("parent"), slug=slug)
    feed_url = reverse("topic_feed", args=[topic.slug])
    context = explore(request, fixed={"topic": topic.slug}, feed_url=feed_url)
    context |= {"topic": topic, "subtopics": topic.children.order_by("name")}
    return render_explorer(request, "statements/topic_detail.html", context)


@read_only
def country_list(request):
    """Countries and other speakers with published statements or officials."""
    countries = (
        Country.objects.annotate(statement_count=PUBLISHED_STATEMENTS).filter(statement_count__gt=0).order_by("name")
    )
    return render(request, "statements/country_list.html", {"countries": countries})


@read_only
@vary_on_headers("HX-Request")
@with_clean_url
def country_detail(request, code):
    """A country: its officials, its statements, and statements that mention it."""
    if code != code.upper():
        return redirect("country_detail", code=code.upper(), permanent=True)
    country = get_object_or_404(Country, code=code)
    feed_url = reverse("country_feed", args=[country.code])
    context = explore(request, fixed={"country": country.code}, feed_url=feed_url)
    if not wants_fragment(request):
        officials = (
            country.officials.annotate(statement_count=PUBLISHED_STATEMENTS)
            .filter(statement_count__gt=0)
            .order_by("-statement_count", "name")[:30]
        )
        mentions = Statement.objects.published().mentioning(country.code).exclude(country=country.code)
        context |= {
            "officials": officials,
            "mentions": cards(mentions[:10]),
            "organizations": Organization.objects.visible_to(request.user)
            .filter(country=country)
            .order_by("name")[:30],
        }
    context["country"] = country
    return render_explorer(request, "statements/country_detail.html", context)


@read_only
def source_detail(request, pk):
    """A source and the published statements cited from it."""
    source = get_object_or_404(Source.objects.visible_to(request.user), pk=pk)
    citations = (
        Citation.objects.filter(source=source, statement__status=Statement.Status.PUBLISHED)
        .select_related("statement__official", "statement__organization", "statement__country")
        .order_by("start_offset", "id")
    )
    return render(request, "statements/source_detail.html", {"source": source, "citations": citations})
