"""The public pages: the statement explorer and the pages for statements, officials, topics, countries, sources."""

import functools

from django.core.paginator import Paginator
from django.db.models import OuterRef, Prefetch, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import push_url

from diplotrack.http import read_only
from statements import timeline
from statements.filters import SORTS
from statements.models import (
    Citation,
    Country,
    Document,
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
from statements.query import ExplorerQuery, clean_params, clean_query
from statements.site.cards import cards
from statements.site.charts import bar_chart

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


def explore(request, *, fixed=None, feed_url=None, timeline_url=None):
    """The context of a page that shows the explorer: its query (see statements.query), counted and paged.

    `fixed` holds the filter a page applies by itself (an official's page: {"official": slug}). It lives in the
    query, so that the whole page and its htmx fragment both leave its choices out; it stays out of the page's
    own links, and goes into the links to the same view as data (CSV, JSON).
    """
    query = ExplorerQuery(request.GET, fixed=fixed, user=request.user)  # The user: whose names it may resolve.
    # The timeline of the same parameters, loaded after the page (htmx): counting over time costs the page nothing.
    timeline_url = f"{timeline_url or reverse('statement_timeline')}?{clean_query(request.GET)}".rstrip("?")
    language = query.form.data.get("lang", "").strip().lower()  # As given: the form keeps even a wrong one.
    page = query.page(request.GET.get("page"), read=functools.partial(cards, words=query.words))
    return {
        "query": query,
        "facets": query.facets,
        "page": page,
        "notes": [*query.notes, *page.notes],
        "words": query.words,
        # The feed and the data carry the filters as applied: they refuse ignored input (a 400) rather than
        # send everything, and a page's own filter is the feed's path.
        "feed_url": f"{feed_url or reverse('statement_feed')}?{query.applied_query(exclude=query.fixed)}".rstrip("?"),
        "data_query": query.applied_query(),
        "timeline_url": timeline_url,
        "language": language,
        "languages": languages(language),
        "kinds": Statement.Kind.choices,
        "sorts": SORTS.items(),
        "mentioned": functools.partial(country_names, query.values.get("mentions", [])),
        # Read by the template only when its cached list of countries has expired.
        "country_options": functools.partial(country_names),
    }


def languages(chosen):
    """The language choices, with the one asked for when it is not among them (so the form keeps it)."""
    if not chosen or chosen in dict(LANGUAGES):
        return LANGUAGES
    return [*LANGUAGES, (chosen, language_name(chosen))]


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


def is_clean(request):
    return clean_params(request.GET) == dict(request.GET.lists())


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


@read_only
@vary_on_headers("HX-Request")
@with_clean_url
def statement_list(request):
    """The statement explorer."""
    return render_explorer(request, "statements/statement_list.html", explore(request))


def render_timeline(request, *, explorer_url, fixed=None, name="Statements"):
    """The timeline of an explorer view's statements (statements.timeline): the whole page, or for htmx (the
    explorer's placeholder) the chart alone. Bad parameters get the explorer's notes, on the page."""
    interval, interval_notes = timeline.interval_asked(request.GET)
    query = ExplorerQuery(request.GET, fixed=fixed, user=request.user, also=["interval"])
    counted = timeline.read(query, interval=interval)
    explorer_query = query.applied_query(exclude=query.fixed)
    context = {
        "name": name,
        "timeline": counted,
        "chart": bar_chart(counted, query, explorer_url),
        "notes": [*interval_notes, *query.notes],
        "explorer_url": f"{explorer_url}?{explorer_query}".rstrip("?"),
        "data_query": "&".join(part for part in [query.applied_query(), interval and f"interval={interval}"] if part),
    }
    template = "statements/timeline.html"
    return render(request, f"{template}#chart" if wants_fragment(request) else template, context)


@read_only
@vary_on_headers("HX-Request")
def statement_timeline(request):
    """Statements per period for the explorer's parameters."""
    return render_timeline(request, explorer_url=reverse("statement_list"))


@read_only
@vary_on_headers("HX-Request")
def official_timeline(request, slug):
    official = get_object_or_404(Official.objects.visible_to(request.user), slug=slug)
    fixed = {"official": official.slug}
    return render_timeline(request, explorer_url=official.get_absolute_url(), fixed=fixed, name=official.name)


@read_only
@vary_on_headers("HX-Request")
def topic_timeline(request, slug):
    topic = get_object_or_404(Topic, slug=slug)
    fixed = {"topic": topic.slug}
    return render_timeline(request, explorer_url=topic.get_absolute_url(), fixed=fixed, name=topic.name)


@read_only
@vary_on_headers("HX-Request")
def country_timeline(request, code):
    country = get_object_or_404(Country, code=code.upper())
    fixed = {"country": country.code}
    return render_timeline(request, explorer_url=country.get_absolute_url(), fixed=fixed, name=country.name)


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
    officials = Official.objects.current().select_related("country").with_statement_counts()
    name = request.GET.get("name", "").strip()[:200]
    # A name finds any official a curator may see; the list is of those who have spoken, for everyone.
    officials = officials.visible_to(request.user).named_like(name) if name else officials.public()
    country = request.GET.get("country", "").upper()
    if country:
        officials = officials.filter(country=country)
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
    timeline_url = reverse("official_timeline", args=[official.slug])
    context = explore(request, fixed={"official": official.slug}, feed_url=feed_url, timeline_url=timeline_url)
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
    timeline_url = reverse("topic_timeline", args=[topic.slug])
    context = explore(request, fixed={"topic": topic.slug}, feed_url=feed_url, timeline_url=timeline_url)
    context |= {"topic": topic, "subtopics": topic.children.order_by("name")}
    return render_explorer(request, "statements/topic_detail.html", context)


@read_only
def country_list(request):
    """Countries and other speakers with published statements or officials."""
    # Their totals as the trigger-kept counts hold them (topic 0: all topics), as on their pages.
    published = PublishedCount.objects.filter(country_code=OuterRef("code"), topic_id=0).values("statements")
    countries = Country.objects.annotate(statement_count=Subquery(published)).filter(statement_count__gt=0)
    countries = countries.order_by("name")
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
    timeline_url = reverse("country_timeline", args=[country.code])
    context = explore(request, fixed={"country": country.code}, feed_url=feed_url, timeline_url=timeline_url)
    if not wants_fragment(request):
        officials = (
            country.officials.with_statement_counts()
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
    # A document the intake fetched: whether the publisher has edited or removed it since, and our copy of it.
    document = Document.objects.filter(source=source).only("edited_at", "removed_on").first()
    context = {"source": source, "citations": citations, "document": document}
    return render(request, "statements/source_detail.html", context)
