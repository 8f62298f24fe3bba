"""Where an explorer page's Python time goes: its filters, its context, and its template's parts, in one process.

    .venv/bin/python benchmarks/render_cost.py ["/statements/?country=KR"] [--runs 200]

On the explorer benchmark's database (benchmarks/explorer.py, which makes it): the filter form and query objects
(`ExplorerQuery`, with its one small query), the whole context (`views.explore`, every query), the page's
rendering, the same without its cards, and the cards alone: their fields, then their HTML (`Card.html`); the chart's
bars; the ORM writing a page's queries (which it does once a process now: statements.present.rows_written); a page's
rows and lists read by their prepared queries (statements.present.Written) and planned each time. Medians
in ms, each part timed apart, one after the other, so compare figures of one run. This machine is shared and noisy.
"""

import argparse
import copy
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def median_ms(function, runs):
    for _ in range(5):
        function()
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        function()
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("url", nargs="?", default="/statements/")
    parser.add_argument("--runs", type=int, default=200)
    options = parser.parse_args()

    from benchmarks import explorer

    explorer.setup(1_000_000)
    from django.contrib.auth.models import AnonymousUser
    from django.template.loader import get_template
    from django.test import RequestFactory
    from django_htmx.middleware import HtmxDetails

    from statements import present, timeline
    from statements.query import ExplorerQuery
    from statements.site import views
    from statements.site.charts import bar_chart, narrowing

    def request():
        made = RequestFactory().get(options.url)
        made.user, made.htmx = AnonymousUser(), HtmxDetails(made)
        return made

    page_template = get_template("statements/statement_list.html")
    asked = request()
    context = views.explore(asked)
    cards = context["page"].object_list

    def fresh_cards():
        """The page's cards as read, none of their fields computed yet."""
        made = [type(card)(card.row, links=card.links) for card in cards]
        for card, read in zip(made, cards, strict=True):
            card.words = read.words
        return made

    shown_fields = ["highlighted", "excerpt", "speaker", "url", "official_url", "country_url", "topics"]
    shown_fields += ["date_display", "kind_display", "shown_language"]

    def fields(shown):
        """The fields a card's HTML reads, each computed once."""
        return [[getattr(card, name) for name in shown_fields] for card in shown]

    query = context["query"]
    counted, link = timeline.read_with_counts(query), narrowing(query, asked.path)
    without_cards = dict(context, page=copy.copy(context["page"]))
    without_cards["page"].object_list = []
    chart_template = get_template("statements/timeline.html#chart")
    parts = {
        "the filter form and query objects": lambda: ExplorerQuery(asked.GET, user=asked.user),
        "the whole context (its queries too)": lambda: views.explore(request()),
        "the page's rendering (its cards' fields computed)": lambda: page_template.render(context, asked),
        "the page's rendering without its cards": lambda: page_template.render(without_cards, asked),
        "its timeline chart alone": lambda: chart_template.render(context, asked) if context["chart"] else "",
        "its chart's bars and links (bar_chart)": lambda: counted and bar_chart(counted, lambda at, _: link(at)),
        f"{len(cards)} cards: their fields": lambda: fields(fresh_cards()),
        f"{len(cards)} cards: their fields and HTML": lambda: [card.html() for card in fresh_cards()],
        f"{len(cards)} cards: making them, nothing read": fresh_cards,
    }
    if hasattr(present, "rows_written"):  # What the ORM takes to write a page's queries, now once a process.
        parts |= {
            "the ORM writing the rows' SQL": lambda: present.rows_written.__wrapped__(()),
            "the same with a search's headlines": lambda: present.rows_written.__wrapped__((), "words"),
            "the ORM writing a list's SQL (topics)": lambda: present.list_written.__wrapped__("topics"),
        }
    if hasattr(present, "Written"):  # A page's rows and lists, read by their prepared queries or planned each time.
        written = [present.rows_written(()), present.list_written("topics"), present.list_written("sources")]
        values = {present.PAGE_IDS: [card.pk for card in cards]}
        parts |= {
            "a page's rows, topics and sources: prepared": lambda: present.read(written, values),
            "the same, planned each time": lambda: planned_each_time(written, values),
        }
    print(f"{options.url}, medians of {options.runs} runs\n")
    for name, part in parts.items():
        print(f"{name:52} {median_ms(part, options.runs):8.2f} ms", flush=True)


def planned_each_time(written, values):
    """statements.present.read as it was before its queries were prepared: their SQL sent whole, in one message."""
    from django.db import connection

    sql = "; ".join(query.sql for query in written)
    params = [values.get(param, param) for query in written for param in query.params]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        results = [cursor.fetchall()]
        while cursor.nextset():
            results.append(cursor.fetchall())
    return results


if __name__ == "__main__":
    main()
