"""Reader search: full-text on PostgreSQL (stemmed, weighted, ranked, highlighted), a plain
word match on SQLite. Any input gives a page; only live stories are ever found."""

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import nh3
from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.db import connection
from django.db.models import F, Q
from django.db.models.functions import Substr
from django.utils.dateparse import parse_date
from django.utils.html import escape

from .models import Article
from .models.article import SEARCH_CONFIG

MAX_QUERY_LENGTH = 200
MAX_RANKED = 500
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def clean_query(text: str) -> str:
    """What we search for: no control characters (PostgreSQL refuses NUL), bounded length."""
    return " ".join(_CONTROL.sub(" ", text or "").split())[:MAX_QUERY_LENGTH]


def _safe_date(value: str) -> date | None:
    try:
        return parse_date(value or "")
    except ValueError:
        return None


@dataclass
class Filters:
    section: str = ""
    series: str = ""
    author: str = ""
    date_from: date | None = None
    date_to: date | None = None

    @classmethod
    def from_query(cls, params) -> "Filters":
        return cls(
            section=clean_query(params.get("section", ""))[:100],
            series=clean_query(params.get("series", ""))[:100],
            author=clean_query(params.get("author", ""))[:100],
            date_from=_safe_date(params.get("from", "")),
            date_to=_safe_date(params.get("to", "")),
        )

    def apply(self, stories):
        if self.section:
            stories = stories.filter(
                Q(section__slug=self.section) | Q(section__parent__slug=self.section)
            )
        if self.series:
            stories = stories.filter(series__slug=self.series)
        if self.author:
            stories = stories.filter(bylines__author__slug=self.author)
        if self.date_from:
            stories = stories.filter(publish_at__date__gte=self.date_from)
        if self.date_to:
            stories = stories.filter(publish_at__date__lte=self.date_to)
        return stories


def search(text: str, filters: Filters | None = None):
    """Live stories matching `text`, best first, each with a `snippet` of safe HTML."""
    query = clean_query(text)
    stories = (filters or Filters()).apply(Article.objects.live()).for_listing()
    if not query:
        return stories.none()
    if connection.vendor == "postgresql":
        return _full_text(stories, query)
    return _word_match(stories, query)


def _full_text(stories, query: str):
    search_query = full_text_query(query)
    # Most relevant first; sorted() is stable, so among equal ranks the newest stays first.
    matches = sorted(newest_matches(stories, search_query), key=lambda row: -row[1])
    if not matches:
        return stories.none()
    return RankedResults(stories, [pk for pk, _ in matches], search_query)


class RankedResults(Sequence):
    """A search's ranked matches, as the paginator uses them: counted from the ids in hand,
    and a page fetched by its own ids, in ranked order, with its snippets. So a page of
    results costs one query for its 20 stories, not another pass over the matches."""

    ordered = True  # for the paginator: the order is the ranking

    def __init__(self, stories, ranked: list[int], search_query: SearchQuery):
        self.stories, self.ranked, self.search_query = stories, ranked, search_query

    def count(self) -> int:
        return len(self.ranked)

    def __len__(self) -> int:
        return len(self.ranked)

    def __iter__(self):
        return iter(self.fetch(self.ranked))

    def __getitem__(self, index):
        if isinstance(index, slice):
            return self.fetch(self.ranked[index])
        return self.fetch([self.ranked[index]])[0]

    def fetch(self, ids: list[int]) -> list[Article]:
        """These stories, in this order, each with a `snippet`. One taken down since the
        match is left out: the stories are read through live() again."""
        stories = self.stories.filter(pk__in=ids).annotate(
            # Snippets from the opening of the story (its first two paragraphs or so):
            # ts_headline's time grows with the text, 1.4 ms a hit over 2,500 characters,
            # 0.6 ms over 1,200 (measured at 100,000 stories).
            snippet=SearchHeadline(
                Substr("body", 1, 1200),
                self.search_query,
                config=SEARCH_CONFIG,
                start_sel="<mark>",
                stop_sel="</mark>",
                max_words=35,
                min_words=15,
            )
        )
        found = {story.pk: story for story in stories} if ids else {}
        return [found[pk] for pk in ids if pk in found]


def newest_matches(stories, search_query: SearchQuery):
    """(id, rank) of the newest MAX_RANKED matches. Not every match: a common word matches most
    of the archive, and ranking 90,000 stories is what makes search slow. One scan matches and
    ranks: the planner walks the date index backwards until it has enough, or uses the GIN
    index for rare words."""
    return (
        stories.filter(search_document=search_query)
        .annotate(rank=SearchRank(F("search_document"), search_query))
        .order_by("-publish_at", "-pk")
        .values_list("pk", "rank")[:MAX_RANKED]
    )


def full_text_query(text: str) -> SearchQuery:
    """What PostgreSQL searches for: the reader's words as a web search (quotes, -word, or)."""
    return SearchQuery(clean_query(text), search_type="websearch", config=SEARCH_CONFIG)


def _word_match(stories, query: str):
    for word in query.split()[:8]:
        word = word.strip("\"'+-()")
        if word:
            stories = stories.filter(
                Q(headline__icontains=word) | Q(dek__icontains=word) | Q(body__icontains=word)
            )
    return stories.order_by("-publish_at")


def safe_snippet(html: str) -> str:
    """A search snippet keeps only its <mark> highlights."""
    return nh3.clean(html or "", tags={"mark"}, attributes={})


def snippet_html(story: Article) -> str:
    """What a result shows under its headline, as safe HTML: the highlighted excerpt, else
    the dek. The dek is plain text (SQLite search has no excerpts), so it is escaped."""
    return safe_snippet(getattr(story, "snippet", "")) or escape(story.dek)
