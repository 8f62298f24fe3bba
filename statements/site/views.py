"""The public pages: the statement explorer and the pages for statements, officials, topics, countries, sources."""

import functools
import json
from urllib.parse import urlencode, urlsplit

from csp.decorators import csp_replace
from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import OuterRef, Prefetch, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpResponse, HttpResponseNotModified, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import Resolver404, resolve, reverse
from django.utils.html import format_html
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import push_url

from diplotrack.http import read_only
from statements import compare, timeline
from statements.cite import InContext, Reference
from statements.filters import SORTS, positive_number
from statements.models import (
    Citation,
    Country,
    Document,
    Official,
    Organization,
    Photo,
    Position,
    PublishedCount,
    Source,
    Statement,
    Topic,
    local_country_name,
    local_language_name,
    per_data_version,
)
from statements.present import Shown
from statements.query import ExplorerQuery, clean_params, clean_query
from statements.site.cards import cards
from statements.site.charts import bar_chart, narrowing
from statements.site.choices import choices_html, options_html

EXPLORER_FRAGMENT = "statements/explorer.html#fragment"
# The explorer's language choices, named in the reader's language (local_language_name).
LANGUAGES = ["en", "ar", "zh", "fr", "de", "ja", "ko", "pt", "ru", "es"]


def explore(request, *, fixed=None, feed_url=None, timeline_url=None, positions=()):
    """The context of a page that shows the explorer: its query (see statements.query), counted and paged.

    `fixed` holds the filter a page applies by itself (an official's page: {"official": slug}). It lives in the
    query, so that the whole page and its htmx fragment both leave its choices out; it stays out of the page's
    own links, and goes into the links to the same view as data (CSV, JSON).
    """
    # The user: whose names it may resolve. The timeline: counted with the facets when they read the statements.
    query = ExplorerQuery(request.GET, fixed=fixed, user=request.user, timeline=True)
    # Else the timeline of the same parameters is loaded after the page (htmx), from the trigger-kept counts by
    # month or by reading the statements' dates: it costs the page nothing.
    timeline_url = f"{timeline_url or reverse('statement_timeline')}?{clean_query(request.GET)}".rstrip("?")
    given = query.form.data
    language = given.get("lang", "").strip().lower()  # As given: the form keeps even a wrong one.
    sorts = [(value, label) for value, label in SORTS.items() if value != "relevance" or given.get("q")]
    page = query.page(request.GET.get("page"), read=functools.partial(cards, words=query.words))
    counted = timeline.read_with_counts(query)
    chart = None
    if counted:  # Counted with the facets: drawn with the page, each bar a link to its period.
        link = narrowing(query, request.path)
        chart = bar_chart(counted, lambda period, _: link(period), positions)
    return {
        "query": query,
        "facets": query.facets,
        # Written when the template shows them: a country's or a topic's page leaves out its own.
        "country_choices": functools.partial(choices_html, "country", query.facets.countries),
        "topic_choices": functools.partial(choices_html, "topic", query.facets.topics),
        "page": page,
        "notes": [*query.notes, *page.notes],
        "words": query.words,
        # The feed and the data carry the filters as applied: they refuse ignored input (a 400) rather than
        # send everything, and a page's own filter is the feed's path.
        "feed_url": f"{feed_url or reverse('statement_feed')}?{query.applied_query(exclude=query.fixed)}".rstrip("?"),
        "data_query": query.applied_query(),
        "timeline_url": timeline_url,
        "timeline": counted,
        "chart": chart,
        "compare_url": compare_url(query),
        # The selects' options as given (the form keeps even a wrong value), written when the template shows them.
        "kind_options": functools.partial(options_html, Statement.Kind.choices, given.get("kind")),
        "language_options": lambda: options_html(languages(language), language),
        "sort_options": functools.partial(options_html, sorts, given.get("sort")),
        # Read once, by the whole page's form only (a fragment leaves it out).
        "mentioned": functools.cache(functools.partial(country_names, query.values.get("mentions", []))),
        # Read by the template only when its cached list of countries has expired.
        "country_options": functools.partial(country_names),
    }


def compare_url(query):
    """Two to four countries chosen: the compare page with a column for each, under the other filters."""
    codes = query.values.get("country", [])
    if not 2 <= len(codes) <= len(compare.COLUMNS) or "country" in query.fixed:
        return None
    columns = urlencode(compare.country_columns(codes), safe=":")
    shared = query.applied_query(exclude=["country", "sort"])
    return f"{reverse('compare')}?{columns}{'&' if shared else ''}{shared}"


def languages(chosen):
    """The language choices, with the one asked for when it is not among them (so the form keeps it)."""
    codes = LANGUAGES if not chosen or chosen in LANGUAGES else [*LANGUAGES, chosen]
    return [(code, local_language_name(code)) for code in codes]


def country_names(codes=None):
    """(code, name) of these countries (else of all but territories), by their names in the reader's language."""
    if codes == []:
        return []
    countries = Country.objects.exclude(kind=Country.Kind.TERRITORY)
    if codes is not None:
        countries = countries.filter(code__in=codes)
    named = [(code, local_country_name(code, name)) for code, name in countries.values_list("code", "name")]
    return sorted(named, key=lambda country: country[1])


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


def render_timeline(request, *, explorer_url, fixed=None, name="Statements", positions=()):
    """The timeline of an explorer view's statements (statements.timeline): the whole page, or for htmx (the
    explorer's placeholder) the chart alone. Bad parameters get the explorer's notes, on the page."""
    interval, interval_notes = timeline.interval_asked(request.GET)
    query = ExplorerQuery(request.GET, fixed=fixed, user=request.user, also=["interval"])
    counted = timeline.read(query, interval=interval)
    explorer_query = query.applied_query(exclude=query.fixed)
    link = narrowing(query, explorer_url)
    context = {
        "name": name,
        "timeline": counted,
        "chart": bar_chart(counted, lambda period, _: link(period), positions),
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
    positions = official.positions.select_related("organization")  # Drawn as lanes under the statements.
    return render_timeline(
        request, explorer_url=official.get_absolute_url(), fixed=fixed, name=official.name, positions=positions
    )


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
    return render_timeline(request, explorer_url=country.get_absolute_url(), fixed=fixed, name=country.local_name)


@read_only
def compare_view(request):
    """Two to four countries, officials or searches side by side, under the same shared filters."""
    if (columns := compare.as_columns(request.GET)) is not None:
        return redirect(f"{reverse('compare')}?{columns}")
    comparison = compare.compare(request.GET, user=request.user)
    explorer_url = reverse("statement_list")
    chart = None
    if comparison.enough:
        links = [narrowing(column.query, explorer_url, with_own=True) for column in comparison.columns]
        chart = bar_chart(comparison.timeline, lambda period, at: links[at](period))
    context = {
        "comparison": comparison,
        "timeline": comparison.timeline if comparison.enough else None,
        "chart": chart,
        # The shared filters as given, for the form; others (from an explorer's link) ride along hidden.
        "given": {key: request.GET.get(key, "") for key in ["q", "date_from", "date_to"]},
        "given_topics": request.GET.getlist("topic"),
        "hidden": [
            (key, value)
            for key, values in request.GET.lists()
            if key not in {*compare.COLUMNS, "q", "date_from", "date_to", "topic"}
            for value in values
        ],
        "topics": Topic.objects.order_by("name").values_list("slug", "name"),
        "mentions_read": compare.MENTIONS_READ,
    }
    return render(request, "statements/compare.html", context)


def visible_statement(request, pk):
    """The statement with what its page shows: published, unless the user may view drafts (a curator); else 404."""
    statements = Statement.objects.with_related().prefetch_related("mentioned_countries")
    if not request.user.has_perm("statements.view_statement"):
        statements = statements.published()
    return get_object_or_404(statements, pk=pk)


def reference_of(request, statement, position):
    """The statement as a reference (statements.cite), at its permanent address on this site."""
    permalink = request.build_absolute_uri(reverse("statement_detail", args=[statement.pk]))
    return Reference.of(statement, position=position, permalink=permalink)


@read_only
def statement_detail(request, pk, slug=None):
    """A statement with its speaker, sources and related statements."""
    statement = visible_statement(request, pk)
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
    reference = reference_of(request, statement, position)
    context = {
        "statement": statement,
        "shown": Shown.of(statement),
        "in_context": quotations_in_context(statement),
        "position": position,
        "related": related,
        "reference": reference,
        "oembed_url": request.build_absolute_uri(
            f"{reverse('oembed')}?{urlencode({'url': reference.permalink, 'format': 'json'})}"
        ),
    }
    return render(request, "statements/statement_detail.html", context)


def quotations_in_context(statement):
    """(source, InContext) for each citation whose offsets fall within its source's stored text."""
    cited = [citation for citation in statement.citations.all() if citation.start_offset is not None]
    texts = dict(Source.objects.filter(pk__in=[c.source_id for c in cited]).values_list("pk", "full_text"))
    found = [
        (citation.source, InContext.of(texts.get(citation.source_id, ""), citation.start_offset, citation.end_offset))
        for citation in cited
    ]
    return [(source, context) for source, context in found if context]


CITATION_FORMATS = {
    "bib": ("application/x-bibtex", Reference.bibtex),
    "ris": ("application/x-research-info-systems", Reference.ris),
    "json": ("application/vnd.citationstyles.csl+json", lambda reference: json.dumps(reference.csl(), indent=2)),
}


@read_only
def statement_cite(request, pk, format):
    """The statement's citation as a file: BibTeX, RIS or CSL-JSON."""
    statement = visible_statement(request, pk)
    position = statement.official.position_on(statement.date) if statement.official else None
    content_type, write = CITATION_FORMATS[format]
    response = HttpResponse(
        write(reference_of(request, statement, position)), content_type=f"{content_type}; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="diplotrack-{statement.pk}.{format}"'
    return response


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
    paginator = Paginator(officials.order_by("sort_name", "name") if not name else officials, 50)
    if not name:  # Everyone's list: its count is the same for all, until published data changes.
        paginator.count = public_officials(country)
    page = paginator.get_page(request.GET.get("page"))
    context = {"page": page, "name": name, "country": Country.objects.filter(code=country).first()}
    template = "statements/official_list.html"
    if wants_fragment(request):
        template += "#officials"
    return render(request, template, context)


@per_data_version
def public_officials(country):
    """How many officials have spoken (of a country): each of 20,000 joined to its count of published statements
    (OfficialCount); counted again when published data changes."""
    officials = Official.objects.current().public()
    return (officials.filter(country=country) if country else officials).count()


@read_only
def official_photo(request, slug):
    """An official's photo, served by the site itself: its address changes with the image (?v=digest)."""
    visible = Official.objects.visible_to(request.user)
    photo = get_object_or_404(Photo.objects.filter(official__in=visible), official__slug=slug)  # One query.
    if request.headers.get("If-None-Match") == f'"{photo.digest}"':
        response = HttpResponseNotModified()
    else:
        response = HttpResponse(bytes(photo.image), content_type=photo.content_type)
    response["ETag"] = f'"{photo.digest}"'
    # At the address of this very image (?v=digest), it never changes: a new photo gets a new address.
    forever = request.GET.get("v") == photo.digest
    response["Cache-Control"] = "public, max-age=31536000, immutable" if forever else "public, max-age=3600"
    return response


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
        .select_related("country", "photo")
        .defer("photo__image")
        .prefetch_related(Prefetch("positions", queryset=positions)),
        slug=slug,
    )
    if official.merged_into_id:
        return redirect(official.merged_into, permanent=True)
    feed_url = reverse("official_feed", args=[official.slug])
    timeline_url = reverse("official_timeline", args=[official.slug])
    fixed = {"official": official.slug}
    positions = official.positions.all()  # Prefetched: drawn as lanes under its timeline.
    context = explore(request, fixed=fixed, feed_url=feed_url, timeline_url=timeline_url, positions=positions)
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
    # By their names as shown, each named once.
    named = [(local_country_name(country.code, country.name), country) for country in countries]
    countries = sorted(named, key=lambda pair: pair[0])
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
        officials = country.officials.having_spoken().with_statement_counts().order_by("-statement_count", "name")[:30]
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


# The embedded card's size, in CSS pixels: oEmbed's width and height, within a consumer's maxwidth and maxheight.
EMBED_SIZE = (500, 280)


@read_only
@xframe_options_exempt
@csp_replace({"frame-ancestors": ["*"]})
def statement_embed(request, pk):
    """A published statement as a small card that any site may frame (the one page that may be framed)."""
    statement = get_object_or_404(Statement.objects.with_related().published(), pk=pk)
    context = {
        "statement": statement,
        "shown": Shown.of(statement),
        "source": next(iter(statement.citations.all()), None),
    }
    return render(request, "statements/statement_embed.html", context)


class Unembeddable(Exception):
    """An oEmbed request's URL that names no statement page of this site: why, for the 400."""


def statement_from_url(request, url):
    """The statement id of a statement's page (or its embed) on this site, from its absolute URL."""
    parts = urlsplit(url.strip())
    if parts.scheme not in {"http", "https"} or not parts.netloc:
        raise Unembeddable("url: give the full address of a statement's page, https://…/statements/<id>/")
    hosts = {request.get_host().lower(), urlsplit(settings.SITE_URL).netloc.lower()}
    if parts.netloc.lower() not in hosts:
        raise Unembeddable(f"url: only this site's statements can be embedded, at {request.get_host()}")
    try:
        match = resolve(parts.path)
    except Resolver404:
        match = None
    if match is None or match.url_name not in {"statement_detail", "statement_embed"}:
        raise Unembeddable("url: not the address of a statement's page (/statements/<id>/)")
    return match.kwargs["pk"]


def bounded(given, largest):
    """A consumer's maxwidth or maxheight: at most `largest`, and `largest` when not a positive number."""
    number = positive_number(given or "")
    return min(number, largest) if number else largest


@read_only
def oembed(request):
    """oEmbed 1.0 for a statement's page: a "rich" answer whose html frames its card (/statements/<id>/embed/)."""
    format = request.GET.get("format", "json")
    if format == "xml":  # oEmbed's other format: not implemented, as its specification says to answer.
        return HttpResponse("Only format=json is offered.", status=501, content_type="text/plain; charset=utf-8")
    if format != "json":
        return JsonResponse({"error": "format: use json"}, status=400)
    try:
        pk = statement_from_url(request, request.GET.get("url", ""))
    except Unembeddable as problem:
        return JsonResponse({"error": str(problem)}, status=400)
    statement = Statement.objects.published().select_related("official", "organization").filter(pk=pk).first()
    if statement is None:
        return JsonResponse({"error": "url: no published statement has this address"}, status=404)
    width, height = (
        bounded(request.GET.get("maxwidth"), EMBED_SIZE[0]),
        bounded(request.GET.get("maxheight"), EMBED_SIZE[1]),
    )
    embed = request.build_absolute_uri(reverse("statement_embed", args=[statement.pk]))
    title = f"{statement.speaker_label}, {statement.date_display}"
    html = format_html(
        '<iframe src="{}" width="{}" height="{}" title="{}" loading="lazy" style="border:0;max-width:100%"></iframe>',
        embed,
        width,
        height,
        f"Statement: {title}",
    )
    answer = {
        "version": "1.0",
        "type": "rich",
        "html": html,
        "width": width,
        "height": height,
        "title": title,
        "author_name": statement.speaker_label,
        "provider_name": "DiploTrack",
        "provider_url": request.build_absolute_uri("/"),
        "cache_age": 86400,
    }
    if statement.official_id:
        answer["author_url"] = request.build_absolute_uri(statement.official.get_absolute_url())
    return JsonResponse(answer)
