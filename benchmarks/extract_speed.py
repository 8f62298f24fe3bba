"""Time the quotation extractor on ~800-word articles, and country detection on the UN General Debate corpus.

Usage: .venv/bin/python benchmarks/extract_speed.py
"""

import datetime
import statistics
import sys
import tarfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from diplotrack.shared_data import SAMPLES, UNGDC  # noqa: E402
from statements.ingest import extract  # noqa: E402
from statements.ingest.countries import detect_countries  # noqa: E402
from statements.ingest.layout import body_paragraphs  # noqa: E402

ARTICLES = REPO / "tests" / "ingest" / "articles"
UN_CORPUS = UNGDC / "UNGDC_2014-2024.tgz"
TARGET_WORDS = 800
RUNS = 5


def typical_articles() -> list[str]:
    """~800-word articles: each annotated article topped up with body paragraphs of the others, page furniture kept."""
    texts = [path.read_text() for path in sorted([*SAMPLES.glob("*.txt"), *ARTICLES.glob("*.txt")])]
    paragraphs = [paragraph.text for text in texts for paragraph in body_paragraphs(text)]
    articles = []
    for index, text in enumerate(texts):
        headline, _, rest = text.partition("\n")
        parts, words = [rest], len(rest.split())
        offset = index * 7
        while words < TARGET_WORDS:
            extra = paragraphs[offset % len(paragraphs)]
            parts.append(extra)
            words += len(extra.split())
            offset += 1
        articles.append(headline + "\n" + "\n".join(parts))
    return articles


def time_extraction(articles: list[str]) -> float:
    """Median articles per second of CPU time over several runs."""
    published = datetime.date(2024, 11, 12)
    rates = []
    for _ in range(RUNS):
        start = time.process_time()
        for article in articles:
            extract(article, published=published)
        rates.append(len(articles) / (time.process_time() - start))
    return statistics.median(rates)


def time_countries() -> None:
    if not UN_CORPUS.exists():
        print(f"UN corpus not found at {UN_CORPUS}: skipping the detect_countries timing")
        return
    speeches = []
    with tarfile.open(UN_CORPUS) as archive:
        for member in archive:
            if member.isfile() and member.name.endswith(".txt") and "/._" not in member.name:
                speeches.append(archive.extractfile(member).read().decode("utf-8", errors="replace"))
    start = time.process_time()
    mentions = sum(len(detect_countries(speech)) for speech in speeches)
    elapsed = time.process_time() - start
    size = sum(len(speech) for speech in speeches) / 1e6
    print(f"detect_countries: {len(speeches)} speeches ({size:.1f} M characters) in {elapsed:.1f} s, {mentions} codes")


def main() -> None:
    articles = typical_articles()
    words = statistics.mean(len(article.split()) for article in articles)
    extract(articles[0])  # compile and warm up
    rate = time_extraction(articles * 10)
    count = len(articles) * 10
    print(f"extract: {count} articles of {words:.0f} words on average: {rate:.0f} articles/s (median of {RUNS} runs)")
    time_countries()


if __name__ == "__main__":
    main()
