"""The parts of `make bench` (the `bench_peers` command) that need no server: the check that the
benchmark archive holds what it should, the pages and the crawl list we measure, and the table
read from the peer harness's raw.tsv (/work/shared/peers/run_peer.sh)."""

import csv
import statistics
from dataclasses import dataclass
from pathlib import Path

from django.core.files.storage import default_storage
from django.db import connection
from django.db.models import Count
from django.urls import reverse

from articles.models import Article, Byline, RelatedArticle, TaggedArticle
from media.models import Image, Rendition
from sections.models import Series

# The Wagtail peer's archive, in generate_corpus's terms: 30 authors and 40 tags as the peer
# seeds, so author and tag pages list a full 20 stories as its section page does.
PEER_ARCHIVE = {"like_peer": True, "authors": 30, "tags": 40}

# Our page, the Wagtail page it is compared with, and the least ratio the issue asks for.
PAGES = [
    ("article", "wagtail_article", 6.0),
    ("home", "wagtail_home", 5.0),
    ("section", "wagtail_section", 5.0),
    ("series", "wagtail_section", 5.0),
    ("author", "wagtail_section", 5.0),
    ("tag", "wagtail_section", 5.0),
]
CRAWL = ("ours_crawl", "wagtail_crawl", 3.0)
CEILING = "limit_django"
CACHED_SHARE_OF_CEILING = 0.80
SEARCH_P95_MS = 50.0


def archive_problems(articles: int) -> list[str]:
    """What keeps this database from being the benchmark archive `generate_corpus --like-peer
    --articles N` makes (empty when it is one): every story live and shaped like the peer's
    article, and every picture's files on disk."""
    problems = []
    total = Article.objects.count()
    if total != articles:
        return [f"{total} stories, not {articles}"]
    wants = {
        "live stories": (Article.objects.live().count(), articles),
        "stories with a lead image": (
            Article.objects.filter(lead_image__isnull=False).count(),
            articles,
        ),  # fmt: skip
        "bylines": (Byline.objects.count(), 2 * articles),
        "tags on stories": (TaggedArticle.objects.count(), 3 * articles),
        # the archive's first three stories have fewer earlier ones to relate to
        "related stories": (RelatedArticle.objects.count(), 3 * articles - 6),
    }
    if connection.vendor == "postgresql":  # SQLite searches without one
        have = Article.objects.filter(search_document__isnull=False).count()
        wants["stories with a search document"] = (have, articles)
    for name, (have, want) in wants.items():
        if have < want or (name == "bylines" and have != want):
            problems.append(f"{have} {name}, not {want}")
    in_series = Article.objects.filter(series__isnull=False).count()
    if not 0.3 * articles <= in_series <= 0.5 * articles:
        problems.append(f"{in_series} stories in a series, not about 40%")
    used = Image.objects.filter(pk__in=Article.objects.values("lead_image"))
    files = [*used.values_list("file", flat=True),
             *Rendition.objects.filter(image__in=used).values_list("file", flat=True)]  # fmt: skip
    missing = [name for name in files if not default_storage.exists(name)]
    if missing or not files:
        problems.append(f"{len(missing)} picture files missing, e.g. {missing[:1]}")
    return problems


def crawl_paths() -> list[str]:
    """Every live story's address, once each: what a crawler of the whole archive requests."""
    stories = Article.objects.live().select_related("section").only("slug", "section__slug")
    return [story.get_absolute_url() for story in stories.order_by("pk")]


def bench_pages() -> dict[str, str]:
    """Our pages to measure, chosen as the peer chooses its article: the middle one, by date,
    of the stories in the biggest series; then its section (top level), series, first author
    and first tag."""
    series = (
        Series.objects.annotate(n=Count("articles")).filter(n__gt=0).order_by("-n", "pk").first()
    )
    if series is None:
        raise ValueError("No story in a series: build the archive with generate_corpus first.")
    installments = Article.objects.live().filter(series=series).order_by("publish_at", "pk")
    story = installments.select_related("section__parent")[installments.count() // 2]
    section = story.section.parent or story.section
    author = story.bylines.order_by("order").select_related("author").first().author
    tag = story.tags.order_by("name").first()
    return {
        "article": story.get_absolute_url(),
        "home": "/",
        "section": section.get_absolute_url(),
        "series": series.get_absolute_url(),
        "author": author.get_absolute_url(),
        "tag": reverse("tags:detail", kwargs={"slug": tag.slug}),
    }


# --- The table -----------------------------------------------------------------------------


def read_raw(path: Path) -> list[dict]:
    """run_peer.sh's raw.tsv: one row per target and round, with its req/s added."""
    with open(path, newline="") as file:
        rows = list(csv.DictReader(file, delimiter="\t"))
    for row in rows:
        row["rps"] = int(row["requests"]) / (int(row["duration_us"]) / 1e6)
    return rows


@dataclass
class Measured:
    """One target over the rounds: median req/s, and the median over rounds of its req/s ÷
    another target's in the same round (targets are interleaved within a round, so the ratio
    is what the issue's targets are about: drift of a shared machine hits both alike)."""

    rows: list[dict]

    def rps(self, label: str) -> float | None:
        values = [row["rps"] for row in self.rows if row["label"] == label]
        return statistics.median(values) if values else None

    def ratio(self, label: str, reference: str) -> float | None:
        by_round = {row["round"]: row["rps"] for row in self.rows if row["label"] == reference}
        ratios = [
            row["rps"] / by_round[row["round"]]
            for row in self.rows
            if row["label"] == label and by_round.get(row["round"])
        ]
        return statistics.median(ratios) if ratios else None

    def errors(self, label: str) -> int:
        keys = ("non2xx3xx", "connect", "read", "write", "timeout")
        return sum(int(row[k] or 0) for row in self.rows if row["label"] == label for k in keys)


def _x(value: float | None, digits: int = 2) -> str:
    return "-" if value is None else f"{value:.{digits}f}x"


def _verdict(value: float | None, target: float) -> str:
    return "-" if value is None else ("met" if value >= target else "MISSED")


def page_table(rows: list[dict]) -> list[str]:
    """Each of our pages, uncached and cached, against the ceiling and Wagtail's matching page
    (x = paired ratio of req/s, median over rounds); then the cold crawl."""
    m = Measured(rows)
    lines = [
        f"{'page':<9} {'req/s':>7} {'x ceiling':>9} {'vs':<16} {'x wagtail':>9} {'target':>7} "
        f"{'':<6} | {'cached req/s':>12} {'x ceiling':>9} {'target':>7} {'':<6} {'errors':>6}"
    ]
    for page, peer, target in PAGES:
        ours, cached = f"ours_{page}_uncached", f"ours_{page}_cached"
        vs_peer, hit = m.ratio(ours, peer), m.ratio(cached, CEILING)
        lines.append(
            f"{page:<9} {m.rps(ours) or 0:>7.1f} {_x(m.ratio(ours, CEILING), 3):>9} {peer:<16} "
            f"{_x(vs_peer):>9} {_x(target, 0):>7} {_verdict(vs_peer, target):<6} | "
            f"{m.rps(cached) or 0:>12.1f} {_x(hit):>9} {_x(CACHED_SHARE_OF_CEILING):>7} "
            f"{_verdict(hit, CACHED_SHARE_OF_CEILING):<6} {m.errors(ours) + m.errors(cached):>6}"
        )
    ours, peer, target = CRAWL
    vs_peer = m.ratio(ours, peer)
    lines.append(
        f"{'crawl':<9} {m.rps(ours) or 0:>7.1f} {_x(m.ratio(ours, CEILING), 3):>9} {peer:<16} "
        f"{_x(vs_peer):>9} {_x(target, 0):>7} {_verdict(vs_peer, target):<6} | "
        f"{'':>12} {'':>9} {'':>7} {'':<6} {m.errors(ours):>6}"
    )
    references = ", ".join(
        f"{label} {m.rps(label):.1f}" for label in ("wagtail_article", "wagtail_home",
                                                   "wagtail_section", "wagtail_crawl", CEILING)
        if m.rps(label) is not None
    )  # fmt: skip
    lines.append(f"(req/s of the references: {references})")
    return lines


def percentiles(timings_ms: list[float]) -> dict[str, float]:
    """p50/p95/p99 of a list of timings (nearest rank)."""
    ordered = sorted(timings_ms)

    def rank(share: float) -> float:
        return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]

    return {"p50": rank(0.50), "p95": rank(0.95), "p99": rank(0.99)}


def timing_line(name: str, found: dict[str, float], ceiling_ms: float | None, note="") -> str:
    """A one-reader timing, with 'x ceiling' = the ceiling's time per request (1 / its req/s in
    this run) ÷ this page's median time: the share of the ceiling one request of it is worth."""
    share = ceiling_ms / found["p50"] if ceiling_ms and found["p50"] else None
    return (
        f"{name:<22} p50 {found['p50']:>6.1f} ms  p95 {found['p95']:>6.1f} ms  "
        f"p99 {found['p99']:>6.1f} ms  x ceiling {_x(share, 4):>8}  {note}"
    ).rstrip()


def ceiling_ms(rows: list[dict]) -> float | None:
    """The ceiling's time per request in this run: 1000 ms ÷ its median req/s."""
    rps = Measured(rows).rps(CEILING)
    return 1000 / rps if rps else None
