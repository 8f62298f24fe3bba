"""A timeline as an SVG bar chart, drawn on the server: no script, and nothing the Content Security Policy forbids
(the geometry is in SVG attributes, the colours in site.css by series class, never in a style attribute)."""

import dataclasses
import datetime
from html import escape

from django.http import QueryDict
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from django.utils.translation import ngettext

WIDTH, HEIGHT = 800, 160  # The bars' area, in the viewBox's units; the labels go under it.
LABELS = 8  # At most this many period labels under the bars.


@dataclasses.dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    series: int
    href: str
    title: str


@dataclasses.dataclass(frozen=True)
class Lane:
    """A role held, as segments under the bars: a term from its start to its end, an attestation month by month."""

    y: float
    label: str
    segments: list[tuple[float, float]]  # (x, width)
    title: str

    @property
    def label_x(self):
        return min(self.segments[0][0], WIDTH * 0.6)  # Kept within the chart for a label of some length.


LANE_GAP = 26  # A lane's label above its segments (12 high).
ONE_DAY = datetime.timedelta(days=1)


def month_end(month):
    following = month.replace(year=month.year + month.month // 12, month=month.month % 12 + 1)
    return following - ONE_DAY


@dataclasses.dataclass(frozen=True)
class Label:
    x: float
    text: str
    minor: bool  # Every other label: left out on a phone, where the chart is drawn small and its labels larger.


def bar_title(period, count, of):
    """A bar's title: its period and count, and its series when there are several, in the reader's language."""
    counted = ngettext("%(period)s: %(count)s statement", "%(period)s: %(count)s statements", count)
    return counted % {"period": period.label, "count": count} + of


def bar_chart(timeline, link, positions=()):
    """The bars and labels of a timeline; each bar links where link(period, series number) says: the explorer's
    view narrowed to its period (see `narrowing`)."""
    if not timeline.periods:
        return None
    largest = max(timeline.largest, 1)
    band = WIDTH / len(timeline.periods)
    bar_width = band * 0.85 / len(timeline.series)
    bars = []
    for index, (period, counts) in enumerate(timeline.rows):
        for number, (series, count) in enumerate(zip(timeline.series, counts, strict=True)):
            if not count:
                continue
            height = max(HEIGHT * count / largest, 1)  # One statement is still a visible bar.
            of = f" ({series.label})" if len(timeline.series) > 1 else ""
            bars.append(
                Bar(
                    x=round(index * band + band * 0.075 + number * bar_width, 2),
                    y=round(HEIGHT - height, 2),
                    width=round(max(bar_width, 0.5), 2),
                    height=round(height, 2),
                    series=number,
                    href=link(period, number),
                    title=bar_title(period, count, of),
                )
            )
    every = -(-len(timeline.periods) // LABELS)
    labels = [
        Label(round(index * band + band / 2, 2), period.short_label, bool(index // every % 2))
        for index, period in enumerate(timeline.periods)
        if index % every == 0
    ]
    lanes = role_lanes(timeline.periods, positions, top=HEIGHT + 30)
    return {
        "bars": bars_svg(bars),
        "labels": labels_svg(labels),
        "numbers": numbers_html(timeline),
        "lanes": lanes,
        "width": WIDTH,
        "height": HEIGHT,
        "view_height": HEIGHT + 35 + LANE_GAP * len(lanes),
        "largest": timeline.largest,
    }


# A chart's bars, labels and numbers (hundreds of each) are written here rather than by template tags: a timeline of
# weeks took 2.2 ms to render, most of (b)'s rendering without its cards. Escaped with the standard library's
# html.escape, as the cards are (statements.site.cards).


def bars_svg(bars):
    return mark_safe(
        "".join(
            f'<a href="{escape(bar.href)}"><rect class="bar series-{bar.series}" x="{bar.x}" y="{bar.y}" '
            f'width="{bar.width}" height="{bar.height}"><title>{escape(bar.title)}</title></rect></a>\n'
            for bar in bars
        )
    )


def labels_svg(labels):
    return mark_safe(
        "".join(
            f'<text class="tick{" minor" if label.minor else ""}" x="{label.x}" y="{HEIGHT + 16}" '
            f'text-anchor="middle">{escape(label.text)}</text>\n'
            for label in labels
        )
    )


def numbers_html(timeline):
    """The rows of the chart's table: each period, and its count in each series (grouped by thousands: 1,234, as
    the humanize filter writes them in English and Korean)."""
    return mark_safe(
        "".join(
            f'<tr><th scope="row">{escape(capfirst(period.label))}</th>'
            + "".join(f"<td>{count:,}</td>" for count in counts)
            + "</tr>\n"
            for period, counts in timeline.rows
        )
    )


def role_lanes(periods, positions, *, top):
    """A lane for each position held within the periods drawn (Position: a term, or the months it was attested)."""
    if not periods:
        return []
    first, last = periods[0].start, periods[-1].end
    band = WIDTH / len(periods)

    def x(day):
        """Where a day falls on the chart: its period's place, and its place within the period."""
        if day > last:
            return float(WIDTH)
        day = max(day, first)
        index = next(number for number, period in enumerate(periods) if period.start <= day <= period.end)
        period = periods[index]
        return (index + (day - period.start).days / ((period.end - period.start).days + 1)) * band

    lanes = []
    for position in positions:
        if position.is_attestation:
            spans = [(month, month_end(month)) for month in position.attested_on]
        else:
            spans = [(position.start_date or first, position.end_date or last)]
        spans = [(start, end) for start, end in spans if start <= last and end >= first]
        if spans:
            label = f"{position.role}, {position.organization.name}"
            segments = [(round(x(start), 2), round(max(x(end + ONE_DAY) - x(start), 2), 2)) for start, end in spans]
            lanes.append(Lane(top + LANE_GAP * len(lanes), label, segments, f"{label}: {position.when_display}"))
    return lanes


def narrowing(query, explorer_url, *, with_own=False):
    """The link of a period's bar: the explorer's view of the query's statements in that period, its dates within
    the dates already chosen. A page's own filter is in the path of `explorer_url` (an official's page), unless
    `with_own` (a compare column's, whose link is to the explorer). The query's filters are written once a chart,
    not once a bar."""
    params = QueryDict(query.applied_query(exclude=() if with_own else query.fixed), mutable=True)
    params.pop("date_from", None)
    params.pop("date_to", None)
    # The other filters written once: each bar adds its dates (ISO dates: nothing to encode).
    others = f"{explorer_url}?{params.urlencode()}&" if params else f"{explorer_url}?"
    date_from, date_to = query.values.get("date_from"), query.values.get("date_to")

    def link(period):
        start = max(period.start, date_from or period.start).isoformat()
        end = min(period.end, date_to or period.end).isoformat()
        return f"{others}date_from={start}&date_to={end}"

    return link
