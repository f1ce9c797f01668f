"""EXPLAIN every listing query on PostgreSQL and fail if any reads the whole article table."""

import json

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from taggit.models import Tag

from articles import search
from articles.feeds import FEED_LENGTH
from articles.listings import stories_of
from articles.models import Article, Author
from articles.sitemaps import SITEMAPS, ArticleSitemap
from sections.models import Section, Series

TABLE = "articles_article"
LISTING_SITEMAPS = ("sections", "series", "authors", "tags")


def listing_queries() -> dict:
    """The queries behind the public listings, from the same definitions the views, feeds
    and sitemaps use (articles.listings)."""
    section = Section.objects.filter(parent__isnull=True).first()
    series = Series.objects.first()
    author = Author.objects.filter(bylines__isnull=False).first()
    tag = Tag.objects.filter(articles_taggedarticle_items__isnull=False).first()

    def page_of(subject):  # None when the table has no such thing to list
        return stories_of(subject).for_listing()[:21] if subject is not None else None

    queries = {
        "home (latest)": stories_of().for_listing()[:11],
        "home (section blocks)": stories_of().newest_per_section(
            list(Section.objects.filter(parent__isnull=True).values_list("pk", flat=True))
        ),
        "section": page_of(section),
        "series": page_of(series),
        "author": page_of(author),
        "tag": page_of(tag),
        "feed": stories_of().select_related("section", "lead_image")[:FEED_LENGTH],
        "sitemap page": ArticleSitemap().items()[: ArticleSitemap.limit],
        **{f"sitemap ({kind})": SITEMAPS[kind]().items() for kind in LISTING_SITEMAPS},
        # the match behind a search (its page of results is then a lookup by id)
        "search (common words)": search.newest_matches(
            stories_of(), search.full_text_query("peace talks")
        ),
        "search (rare word)": search.newest_matches(
            stories_of(), search.full_text_query("zeppelin")
        ),
    }
    return {name: query for name, query in queries.items() if query is not None}


def sequential_scans(plan, found=None) -> list[str]:
    found = [] if found is None else found
    if plan.get("Node Type") == "Seq Scan" and plan.get("Relation Name") == TABLE:
        found.append(plan.get("Filter", ""))
    for child in plan.get("Plans", []):
        sequential_scans(child, found)
    return found


class Command(BaseCommand):
    help = "EXPLAIN the listing queries; fail if any makes a sequential scan of the stories."

    def add_arguments(self, parser):
        parser.add_argument("--planner-must-use-indexes", action="store_true",
                            help="SET enable_seqscan = off first (shows an index exists "
                                 "even on a tiny table, where scanning is cheaper).")  # fmt: skip

    def handle(self, *args, planner_must_use_indexes, **options):
        # On a small table a sequential scan is the planner's right choice; the check that
        # matters is at archive scale (or with --planner-must-use-indexes at any size).
        strict = planner_must_use_indexes or Article.objects.count() >= 10_000
        if connection.vendor != "postgresql":
            raise CommandError("EXPLAIN checks need PostgreSQL (set DATABASE_URL).")
        count = Article.objects.count()
        self.stdout.write(f"{count} stories in the table.")
        failures = []
        with connection.cursor() as cursor:
            if planner_must_use_indexes:
                cursor.execute("SET enable_seqscan = off")
            for name, query in listing_queries().items():
                sql, params = query.query.sql_with_params()
                cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
                result = cursor.fetchone()[0]  # psycopg decodes JSON already
                plan = (json.loads(result) if isinstance(result, str) else result)[0]["Plan"]
                scans = sequential_scans(plan)
                verdict = "SEQ SCAN on articles_article" if scans else "index"
                self.stdout.write(f"  {name:<24} {verdict:<30} cost {plan['Total Cost']:.0f}")
                if scans:
                    failures.append(name)
            if planner_must_use_indexes:
                cursor.execute("RESET enable_seqscan")
        if failures and strict:
            raise CommandError(f"Sequential scans of the stories in: {', '.join(failures)}")
        if failures:
            self.stdout.write("Small table: scanning it is cheaper than an index; not a failure.")
            return
        self.stdout.write(self.style.SUCCESS("Every listing query uses an index."))
