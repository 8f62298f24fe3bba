"""The explorer's query: the statements that a request's parameters select, for every way they are shown.

    query = ExplorerQuery(request.GET, fixed={"country": "KR"}, user=request.user)
    query.notes, query.problems    # what was not used as given, and why (checked before any statement is read)
    query.facets                   # the total, and the counts of each country and topic choice
    query.page(request.GET.get("page"), read=...)   # one page, by the one page-number rule
    query.first(50, read=...)      # the first statements, for a feed

The explorer page and its htmx fragment, the pages of a country, a topic and an official, the API, the
Atom feeds and the CSV export each build one and only present it. Bad input has one policy: a page shows
the notes and goes on with what it could use; the API, the feeds and the CSV refuse a request with any
problem (`Refused`, a 400 naming each parameter), rather than send everything for a mistyped filter.

`fixed` holds the filters a page applies by itself ({"official": slug} on an official's page): they filter
and count like any other, their choices stay out of the page and of its htmx fragment alike, and another
value for one is kept out with a note (a page) or refused (a feed).
"""

import functools

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models.expressions import RawSQL
from django.http import HttpResponseBadRequest, QueryDict

from statements import facets, search
from statements.filters import NOT_FILTERS, PAGING, Note, StatementFilter, positive_number
from statements.models import Statement

# The parameters the explorer reads: its filters, then paging.
PARAMETERS = [*StatementFilter.base_filters, *PAGING]
PAGE_SIZE = 25
MAX_PAGE_SIZE = 100
# Deep pages cost the database a long walk; a narrower filter serves better than page 401.
MAX_PAGE = 400
# The filters the search index holds beside the words (statement_search): a search with only these reads its
# matches and nothing more.
SEARCH_INDEXED = {"q", "country", "topic"}
# The filters with an index of their own that may find fewer statements than a phrase's pair of words does: then the
# planner checks the words of each statement they find, which it cannot do with the pair's (statements_bigrams is
# read from its index, never computed row by row), so a search with one of these finds its phrases by their positions
# (search.matching_parts): `q="united states"&mentions=KP`, 62 ms so, 92 by the pair.
FOUND_ELSEWHERE = {"official", "organization", "mentions"}


class Refused(Exception):
    """A request that cannot be answered as asked: each parameter that could not be used, and why."""

    def __init__(self, notes):
        super().__init__(notes)
        self.notes = notes

    def response(self):
        """The plain-text 400 of the feeds and the CSV export."""
        lines = "".join(f"- {note}\n" for note in self.notes)
        return HttpResponseBadRequest(
            f"Nothing was sent: these query parameters could not be used.\n{lines}",
            content_type="text/plain; charset=utf-8",
        )


class ExplorerQuery:
    """The statements a request's parameters select, with the page's own filters (`fixed`)."""

    def __init__(self, params, *, fixed=None, user=None, where="page", also=(), timeline=False, keep=None):
        self.params = params
        self.fixed = fixed or {}
        self.timeline = timeline  # Whether the caller draws a timeline: the facets count by period too.
        self.keep = keep  # How many of the first matches the counts keep, in order (Facets.first); None: RANKED.
        self.also = set(also)  # Parameters the caller reads itself (the timeline's `interval`): not unknown here.
        # The user's view of officials and organizations is the one a name is resolved in.
        self.filterset = StatementFilter(with_fixed(params, self.fixed), user=user)
        self.form = self.filterset.form
        self._filtered = {}
        # Sorted by relevance among the newest matches only, how many (see ranked_among_newest); None: all ranked.
        self.ranked_among = None
        # Sorting by relevance gave up past the site's statement timeout, every way tried (see ordered): its Note.
        self.out_of_time = None
        self.clean(where)

    def clean(self, where):
        """Check every parameter before any statement is read: `values` apply, `notes` say what did not."""
        self.form.is_valid()
        self.values = {name: value for name, value in self.form.cleaned_data.items() if value not in (None, "", [])}
        self.notes = [*self.form.notes, *self.overridden(f"{where}_keeps_its_own")]
        expected = ", ".join(self.filterset.filters)
        unknown = [
            Note.because("not_a_parameter", key, self.params.get(key, ""), expected=expected)
            for key in self.params
            if key not in self.filterset.filters and key not in NOT_FILTERS and key not in self.also
        ]
        # What the API, the feeds and the CSV refuse: a page shows its notes, and leaves tracking tags alone.
        self.problems = [note for note in self.notes if note.ignored] + unknown

    def overridden(self, code):
        """Another value given for a filter the page (or feed) applies by itself: it keeps its own."""
        return [
            Note.because(code, key, given, param=key)
            for key, value in self.fixed.items()
            for given in self.params.getlist(key)
            if given.strip() and given.strip().lower() != value.lower()
        ]

    def refuse_problems(self):
        if self.problems:
            raise Refused(self.problems)

    @property
    def words(self):
        """The search words, as searched for ("" for none)."""
        return self.values.get("q", "")

    @property
    def applied(self):
        """The filters that narrow the statements."""
        return set(self.values) - {"sort"}

    @property
    def topics(self):
        return self.filterset.topics

    @property
    def selected_topics(self):
        slugs = set(self.values.get("topic", []))
        return [topic for topic in self.topics if topic.slug in slugs]

    @property
    def chosen_official(self):
        return self.values.get("official")

    @property
    def chosen_organization(self):
        return self.values.get("organization")

    def filtered(self, *, exclude=()):
        """The statements that all filters but the excluded ones select, unordered (built once per exclusion)."""
        key = tuple(sorted(exclude))
        if key not in self._filtered:
            queryset = self.filterset.queryset.all()
            for name, value in self.values.items():
                if name not in exclude and name != "sort":
                    queryset = self.filterset.filters[name].filter(queryset, value)
            self._filtered[key] = queryset.order_by()
        return self._filtered[key]

    @functools.cached_property
    def queryset(self):
        """The statements, in the order asked for: newest first unless `sort` says otherwise."""
        return self.filterset.filter_sort(self.filtered(), "sort", self.values.get("sort", "-date"))

    @functools.cached_property
    def facets(self):
        """The total and the country and topic counts (see statements.facets)."""
        searched = bool(self.words)
        precountable = len(self.selected_topics) <= 1 and not self.applied - {"country", "topic"}
        return facets.count(
            facets.Selection(
                matching=self.filtered(),
                # Built only when counted: a search counts its matches, and PublishedCount holds the others' counts.
                others=None if searched or precountable else self.filtered(exclude=("country", "topic")),
                codes=self.values.get("country", []),
                country_names=self.filterset.country_names,
                topics=self.topics,
                chosen_topics=self.selected_topics,
                searched=searched,
                precountable=precountable,
                by_period=self.timeline,
                # The first pages' order, kept while counting: by relevance, or by date as filter_sort sorts.
                order=search.rank(self.words) if self.by_relevance else self.date_order,
                keep=self.keep,
                parts=self.matching_parts(),
                official=getattr(self.chosen_official, "pk", None),
            )
        )

    def matching_parts(self):
        """The statements every filter selects, as querysets that select apart by the search's parts (none without
        search words): see statements.search.matching_parts."""
        if not self.words:
            return ()
        others = self.filtered(exclude=("q",))
        by_pairs = not self.applied & FOUND_ELSEWHERE
        return tuple(others.filter(part) for part in search.matching_parts(self.words, by_pairs=by_pairs))

    @property
    def date_order(self):
        """The order by date, unless sorted by relevance: "date" (oldest first) or "-date"."""
        return "date" if self.values.get("sort") == "date" else "-date"

    @property
    def by_relevance(self):
        """Whether the statements are sorted by relevance."""
        return self.values.get("sort") == "relevance" and bool(self.words)

    @functools.cached_property
    def precount(self):
        """At least as many as match, from the trigger-kept counts of the chosen countries and topics: 0 when none
        can match. Read once a data version, where reading the statements in order could walk the whole date index;
        not at all when the facets have counted the matches already (a page's timeline, read after them)."""
        if "facets" in self.__dict__ and self.facets.exact:
            return self.facets.total
        return facets.published_total(self.values.get("country", []), [topic.pk for topic in self.selected_topics])

    def first(self, count, *, read):
        """The first `count` statements, as `read` reads them from the sliced, ordered queryset (the ids first, then
        their rows: statements.present.page); nothing read when no statement can match."""
        if not self.precount:
            return []
        found = read(self.ordered(0, count))
        if self.out_of_time:  # A feed shows no notes: an empty feed would say that nothing matches.
            raise Refused([self.out_of_time])
        return found

    def ordered(self, start, stop, *, counts=None):
        """The statements from `start` to `stop`, in order: a sliced queryset, or the ids read first from the matches.

        The first matches come with the counts, in order (Facets.first, when `counts` has them): a page among them is
        read by its ids, in their order, where finding it would read the matches again, or rank every match again by
        relevance. Too many to count, only the newest are ranked, when walking to them reads less (ranks_newest).

        Walking the date index in order stops at `stop` matches, but reads each statement on the way in the heap
        (the words are not in that index): about stop × walked / matches of them. The search index holds the
        words, the country and the topics (statement_search), so finding every match first reads the matches
        alone, or those of the filters it holds when others (an official, dates, mentions) are checked on top.
        The planner takes matches to be spread evenly over the dates and walks: for rare matches, for seconds.
        """
        sort = self.values.get("sort", "-date")
        first = counts.first if counts is not None else None
        if first is not None and (stop <= len(first) or len(first) == counts.total):
            return Found(first[start:stop])
        if self.by_relevance and self.uncounted(counts):
            # The way that reads fewer statements as estimated (ranks_newest) has the counts' budget: the planner may
            # expect far fewer or far more matches than there are (words it takes to be independent).
            budget = settings.EXPLORER_COUNT_BUDGET_MS
            if self.ranks_newest(counts):
                found = self.ranked_among_newest(start, stop, budget_ms=budget)
            else:
                ranked = facets.rows_within(budget, *self.ranking(start, stop))
                found = None if ranked is None else Found([pk for (pk,) in ranked])
            if found is None:
                # Past the budget, the newest from every match found first, within the site's statement timeout. A
                # walk to them reads the heap for each statement on the way: most of the date index for the newest of
                # a few, and a phrase's many at ten million statements, past the timeout.
                found = self.ranked_among_newest(start, stop, walk=False)
            if found is None:
                self.out_of_time = Note.because("ranking_out_of_time", "sort", "relevance")
                return Statement.objects.none()
            return found
        if self.by_relevance:  # Past the ranked ones, every match is read and ranked.
            return self.ranked(start, stop)
        walk = self.queryset[start:stop]
        if not self.words or self.walks(stop, counts):
            return walk
        # Every match found (MATERIALIZED keeps the planner from walking after all), sorted, sliced: a subquery, so
        # that reading its rows stays one query, as reading a walk's is.
        order = facets.DATE_ORDERS[sort]
        sql, params = self.queryset.order_by().values_list("pk", "date").query.sql_with_params()
        sql = f"WITH m (id, date) AS MATERIALIZED ({sql}) SELECT id FROM m ORDER BY {order} LIMIT %s OFFSET %s"
        found = Statement.objects.filter(pk__in=RawSQL(sql, [*params, stop - start, start]))
        return self.filterset.filter_sort(found, "sort", sort)

    def ranked(self, start, stop):
        """The matches from `start` to `stop` by relevance, every match ranked (see `ranking`): a subquery, so that
        reading its rows stays one query."""
        found = Statement.objects.filter(pk__in=RawSQL(*self.ranking(start, stop)))
        return self.filterset.filter_sort(found, "sort", "relevance")

    def ranking(self, start, stop):
        """The SQL and parameters of the ids from `start` to `stop` by relevance, every match ranked: read as the
        search's parts (see statements.search.matching_parts), each match's words checked once."""
        rank = search.rank(self.words)
        first, *others = [part.annotate(rank=rank).values_list("pk", "rank", "date") for part in self.matching_parts()]
        sql, params = (first.union(*others, all=True) if others else first).query.sql_with_params()
        sql = f"SELECT pk FROM ({sql}) AS m ORDER BY rank DESC, date DESC, pk DESC LIMIT %s OFFSET %s"
        return sql, [*params, stop - start, start]

    def walks(self, stop, counts=None):
        """Whether the first `stop` matches by date are found by walking the date index in order, rather than by
        finding every match first (see `ordered`): when it reads fewer statements, as the estimates go."""
        # Counted (or estimated) for a page's facets, the matches need no estimate of their own.
        matches = max(counts.total if counts is not None else self.expected, 1)
        found = self.expected_by_index if self.expected_by_index is not None else matches
        return found * matches >= stop * self.walked

    @functools.cached_property
    def expected(self):
        """How many statements the planner expects to match (without counts: a feed's), asked once a request."""
        return facets.estimate(self.filtered())

    @functools.cached_property
    def expected_by_index(self):
        """How many statements the planner expects the search index to find when other filters are checked on top
        of those it holds (an official, dates, mentions); else None: the matches themselves."""
        beyond_index = self.applied - SEARCH_INDEXED
        return facets.estimate(self.filtered(exclude=beyond_index)) if beyond_index else None

    def ranks_newest(self, counts=None):
        """Whether, sorted by relevance, only the newest matches are ranked (see ranked_among_newest): when they are
        not counted one by one (the counts are the planner's estimate; without counts, as for a feed, more are
        expected than EXPLORER_EXACT_COUNT_LIMIT), and walking the date index to the newest
        EXPLORER_RELEVANCE_CANDIDATES reads fewer statements than reading every match, which ranks them all (as
        estimated: `ordered` gives the way chosen the counts' time budget, and takes the other past it)."""
        if not self.by_relevance:
            return False
        return self.uncounted(counts) and self.walks(settings.EXPLORER_RELEVANCE_CANDIDATES + 1, counts)

    def uncounted(self, counts=None):
        """Whether the matches were not counted one by one (the counts are the planner's estimate); without counts
        (a feed), whether more are expected than EXPLORER_EXACT_COUNT_LIMIT."""
        if counts is not None:
            return counts.first is None and not counts.exact
        return self.expected > settings.EXPLORER_EXACT_COUNT_LIMIT

    def ranked_among_newest(self, start, stop, *, budget_ms=None, walk=True):
        """The matches from `start` to `stop` by relevance among the newest EXPLORER_RELEVANCE_CANDIDATES of them
        (by date, then id): found by walking the date index, which stops there, where ranking every match of a
        common word reads them all (seconds at ten million statements). Sets `ranked_among` when there were more
        matches than that; with fewer, every match was ranked. The ids, read first, in their order; None when the
        walk takes longer than `budget_ms`. Not `walk`: the same, found by reading every match first."""
        among = settings.EXPLORER_RELEVANCE_CANDIDATES
        newest = (
            self.filtered()
            .annotate(rank=search.rank(self.words))
            .order_by("-date", "-pk")
            .values_list("pk", "date", "rank")[: among + 1]  # One more: whether there were more.
        )
        sql, params = newest.query.sql_with_params()
        # The candidates are read once (MATERIALIZED), ranked, and counted; a page past them still tells how many.
        sql = f"""
            WITH candidates (id, date, rank) AS MATERIALIZED ({sql})
            SELECT found.n, page.id
              FROM (SELECT count(*) FROM candidates) AS found (n)
              LEFT JOIN LATERAL (
                  SELECT id, date, rank
                    FROM (SELECT * FROM candidates ORDER BY date DESC, id DESC LIMIT %s) AS newest
                   ORDER BY rank DESC, date DESC, id DESC LIMIT %s OFFSET %s
              ) AS page ON TRUE
             ORDER BY page.rank DESC, page.date DESC, page.id DESC
        """
        # Walked, whatever the estimate: the search index gives every match (a bitmap), which is what this avoids,
        # and an estimate far below the matches (ordered's fallback) would choose it.
        rows = facets.rows_within(budget_ms, sql, [*params, among, stop - start, start], walk=walk)
        if rows is None:
            return None
        self.ranked_among = among if rows[0][0] > among else None
        return Found([pk for _, pk in rows if pk is not None])

    @functools.cached_property
    def walked(self):
        """How many statements a walk of the date index goes through: those of the chosen countries (trigger-kept)."""
        return facets.published_total(self.values.get("country", []), [])

    def all(self):
        """Every statement, in order; none when none can match (a stream need not walk the index to learn it)."""
        return self.queryset if self.precount else self.queryset.none()

    def page(self, given=None, *, read, size=PAGE_SIZE, strict=False):
        """The page numbered `given` (the first when None), read by `read` from the sliced, ordered queryset (as
        `in_order` or the cards do: the ids first, then their rows).

        One rule for every caller: a page number from 1 to the last page, and pages stop at MAX_PAGE. A page
        chooses the nearest page and says so in `page.notes`; with `strict` (the API) the request is Refused.
        """
        counts = self.facets
        last = last_page(counts, size)
        if self.ranks_newest(counts):  # Pages by relevance stop with the matches ranked.
            last = min(last, -(-settings.EXPLORER_RELEVANCE_CANDIDATES // size))
        number, notes = page_number("1" if given is None else given, last, strict=strict)
        start = (number - 1) * size
        # One row more than a page when the total is not known: whether more follow.
        stop = start + size + (not counts.exact)
        # The total as counted, or as the planner estimated it for the counts: no second estimate of the same.
        rows = read(self.ordered(start, stop, counts=counts)) if counts.total or not counts.exact else []
        if self.out_of_time:  # No rows read, which says nothing of how many match.
            if strict:
                raise Refused([self.out_of_time])
            notes.append(self.out_of_time)
        elif not self.ranked_among or len(rows) > size:  # The last of the ranked ones is not the last match.
            counts.seen(start, len(rows), size)
        if not rows and number > 1:
            if strict:
                raise Refused([Note.because("past_the_estimate", "page", str(number))])
            notes.append(Note.because("none_this_far", "page", str(number)))
        paginator = Paginator([], size)
        # Past the last page (of an estimate), the one before it exists; by relevance among the newest, their pages.
        paginator.count = self.ranked_among or max(counts.total, start)
        page = Page(rows[:size], number, paginator)
        page.notes = notes
        page.ranked_among = self.ranked_among
        page.more = number < min(paginator.num_pages, MAX_PAGE)  # Whether a next page is there to ask for.
        return page

    def applied_query(self, *, exclude=()):
        """The filters as applied, as a query string: for links to the same statements as a feed or data."""
        query = QueryDict(mutable=True)
        used = set(self.values) - set(exclude)
        for name in self.filterset.filters:
            if name not in used:
                continue
            value = self.values[name]
            value = getattr(value, "slug", value)  # An official or organization by its slug.
            if (name, value) != ("sort", "-date"):
                query.setlist(name, [str(item) for item in value] if isinstance(value, list) else [str(value)])
        return query.urlencode()


def last_page(counts, size):
    """The last page of these counts; past an uncounted total, the pages themselves tell whether there is more."""
    return max(-(-counts.total // size), 1 if counts.exact else MAX_PAGE)


def page_number(given, last, *, strict):
    """The page to show for the number given, and notes when it is not that one (strict: Refused instead)."""
    number = positive_number(given)
    if strict:
        if (number or 0) > MAX_PAGE and last > MAX_PAGE:
            raise Refused([Note.because("pages_stop", "page", given, last=MAX_PAGE)])
        if not 1 <= (number or 0) <= last:
            raise Refused([Note.because("not_a_page", "page", given, last=last)])
        return number, []
    if number is None:
        return 1, [Note.because("not_a_page_number", "page", given)]
    last = min(last, MAX_PAGE)
    if number > last:
        if last < MAX_PAGE:
            code = "past_the_last_page" if last > 1 else "past_the_only_page"
            return last, [Note.because(code, "page", str(number), last=last)]
        return last, [Note.because("pages_stop_here", "page", str(number), last=MAX_PAGE)]
    return number, []


def page_size(given, default):
    """The API's page size: 1 to MAX_PAGE_SIZE, else Refused."""
    size = positive_number(given or "") if given is not None else default
    if not 1 <= (size or 0) <= MAX_PAGE_SIZE:
        raise Refused([Note.because("not_a_page_size", "page_size", given, largest=MAX_PAGE_SIZE)])
    return size


def in_order(statements, related):
    """Sliced, ordered statements (or Found) as `related` (a queryset) reads them: their ids first, then the rows of
    those still published.

    Ordering and limiting the bare statements lets the planner walk an index in order and stop; ordering them
    joined to their speaker and country may make it join every match before keeping a page.
    """
    ids = ids_of(statements)
    rows = related.published().order_by().in_bulk(ids)
    return [rows[pk] for pk in ids if pk in rows]


class Found(list):
    """The ids of published statements in their order, already read: the first matches that the counts kept, or a
    ranking's. A page reads their rows by these ids (those still published), not by a query that finds them again."""


def ids_of(statements):
    """The ids of sliced, ordered statements, in their order: read, unless they were Found already."""
    return statements if isinstance(statements, Found) else list(statements.values_list("pk", flat=True))


def with_fixed(params, fixed):
    params = params.copy()
    for key, value in fixed.items():
        params.setlist(key, [value])
    return params


def clean_params(params):
    """The query parameters without the empty values and the default sort that forms send."""
    cleaned = {}
    for key, values in params.lists():
        kept = [value for value in values if value.strip() and (key, value) != ("sort", "-date")]
        if kept:
            cleaned[key] = kept
    return cleaned


def clean_query(params):
    """The query parameters, cleaned, as a query string."""
    query = QueryDict(mutable=True)
    for key, values in clean_params(params).items():
        query.setlist(key, values)
    return query.urlencode()
