"""What drawing the timeline adds to an explorer request, measured part by part on the million statements.

    .venv/bin/python benchmarks/timeline_cost.py [--runs 50]

For request (b) of benchmarks/explorer.py (a country, its most common topic and `q=climate`) and a few others, in
the benchmark's database, alternating run by run so that a busy machine weighs on both alike:

- counting: the facets' query as the API runs it (no counts by period) and as the page runs it (by month and by
  week too, for its timeline);
- drawing: making the timeline from those counts, the chart's geometry and rendering its template partial;
- its own request: the timeline's page for the same parameters (the htmx fragment), which is what a view whose
  counts do not read the statements (no words, a country and a topic) loads after its answer.

The timeline adds (counting by period − counting) + drawing to a page whose counts read the statements.
"""

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=50)
    options = parser.parse_args()
    from benchmarks.explorer import setup

    setup(1_000_000)
    from django.http import QueryDict
    from django.template.loader import render_to_string
    from django.test import Client

    from statements import timeline
    from statements.models import PublishedCount, Topic
    from statements.query import ExplorerQuery
    from statements.site.charts import bar_chart, narrowed

    popular = PublishedCount.objects.filter(country_code="KR").exclude(topic_id=0).order_by("-statements").first()
    topic = Topic.objects.get(pk=popular.topic_id).slug
    client = Client()
    requests = {
        "(b) KR + topic + q=climate": f"country=KR&topic={topic}&q=climate",
        "q=pandemic": "q=pandemic",
        "official page": None,
        "(c) KR + topic": f"country=KR&topic={topic}",
    }
    from statements.models import Official

    official = Official.objects.filter(country="KR").order_by("-pk").first()
    requests["official page"] = f"official={official.slug}"

    def counting(params, by_period):
        started = time.perf_counter()
        query = ExplorerQuery(QueryDict(params), timeline=by_period)
        query.facets  # noqa: B018
        return (time.perf_counter() - started) * 1000, query

    def drawing(query):
        started = time.perf_counter()
        counted = timeline.read_with_counts(query)
        if counted is not None:
            chart = bar_chart(counted, lambda period, _: narrowed(query, "/statements/", period))
            context = {"timeline": counted, "chart": chart, "data_query": query.applied_query()}
            render_to_string("statements/timeline.html#chart", context)
        return (time.perf_counter() - started) * 1000, counted is not None

    def own_request(params):
        started = time.perf_counter()
        response = client.get(f"/statements/timeline/?{params}", HTTP_HX_REQUEST="true")
        assert response.status_code == 200
        return (time.perf_counter() - started) * 1000

    print(f"{options.runs} runs each, alternated; medians in ms.\n")
    print(f"{'request':30} {'count':>7} {'+period':>8} {'draw':>6} {'adds':>6} {'own request':>12}")
    for name, params in requests.items():
        for _ in range(3):  # Warm-up.
            counting(params, True), counting(params, False), own_request(params)
        plain, by_period, drawn, own, inline = [], [], [], [], False
        for _ in range(options.runs):
            plain.append(counting(params, False)[0])
            took, query = counting(params, True)
            by_period.append(took)
            took, inline = drawing(query)
            drawn.append(took)
            own.append(own_request(params))
        count, period, draw = statistics.median(plain), statistics.median(by_period), statistics.median(drawn)
        adds = f"{period - count + draw:6.1f}" if inline else "     –"
        print(
            f"{name:30} {count:7.1f} {period:8.1f} {draw if inline else 0:6.1f} {adds} {statistics.median(own):12.1f}"
        )


if __name__ == "__main__":
    main()
