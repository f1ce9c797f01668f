"""What a reader sees around a story, fetched in a fixed number of queries however many
bylines, tags, corrections, related stories or series installments it has.

Everything starts from Article.objects.live(), so nothing unpublished can slip in.
"""

import json
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import (
    Case,
    Count,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Value,
    When,
    prefetch_related_objects,
)
from django.db.models.functions import JSONObject
from django.urls import reverse

from media.body import library_images_in
from media.models import Rendition

from .models import Article, RelatedArticle, TaggedArticle

RIVER_LENGTH = 6


@dataclass
class Installment:
    headline: str
    url: str


@dataclass
class SeriesPosition:
    """Where a story sits in its series, for the series box."""

    number: int
    total: int
    previous: Installment | None
    next: Installment | None


@dataclass
class StoryPage:
    """Everything the story page shows besides the story's own fields."""

    bylines: list
    tags: list
    corrections: list
    series_position: SeriesPosition | None
    river: list
    body_images: dict = field(default_factory=dict)


def story_page(article: Article) -> StoryPage:
    """At most 7 queries: bylines, tags, corrections, series installments, the river, body
    images, and the renditions of every picture on the page."""
    page = StoryPage(
        bylines=list(article.bylines.select_related("author")),
        tags=[
            link.tag
            for link in TaggedArticle.objects.filter(content_object=article)
            .select_related("tag")
            .order_by("tag__name")
        ],  # fmt: skip
        corrections=list(article.corrections.all()),
        series_position=series_position(article),
        river=keep_reading(article),
        body_images=library_images_in(article.body, with_renditions=False),
    )
    pictures = [article.lead_image, article.social_image, *page.body_images.values()]
    pictures += [story.lead_image for story in page.river]
    prefetch_related_objects([p for p in pictures if p is not None], renditions_of("lead",
                             "social", "free"))  # fmt: skip
    return page


def series_position(article: Article) -> SeriesPosition | None:
    """One query, one row, whatever the series' length: counts and neighbours come from
    small indexed subqueries (series, status, publish time)."""
    if article.series_id is None or article.publish_at is None:
        return None
    installments = Article.objects.live().filter(series_id=article.series_id)
    earlier = installments.filter(publish_at__lt=article.publish_at)
    later = installments.filter(publish_at__gt=article.publish_at)

    def count(stories):
        return Subquery(
            stories.order_by().values("series_id").annotate(n=Count("pk")).values("n")[:1],
            output_field=IntegerField(),
        )

    def neighbour(stories, order):
        link = JSONObject(headline="headline", slug="slug", section="section__slug")
        return Subquery(stories.order_by(order).values_list(link)[:1])

    row = (
        Article.objects.filter(pk=article.pk)
        .annotate(
            earlier=count(earlier),
            total=count(installments),
            previous=neighbour(earlier, "-publish_at"),
            next=neighbour(later, "publish_at"),
        )
        .values("earlier", "total", "previous", "next")
        .first()
    )
    if not row or not row["total"]:
        return None

    def link(data) -> Installment | None:
        if not data:
            return None
        if isinstance(data, str):  # SQLite hands JSON back as text
            data = json.loads(data)
        url = reverse("articles:detail", kwargs={"section": data["section"], "slug": data["slug"]})
        return Installment(headline=data["headline"], url=url)

    return SeriesPosition(
        number=(row["earlier"] or 0) + 1,
        total=row["total"],
        previous=link(row["previous"]),
        next=link(row["next"]),
    )


def keep_reading(article: Article, limit: int = RIVER_LENGTH) -> list[Article]:
    """Editor-picked related stories first (in their order), then the same series, then the
    same section: one query over at most 3 × `limit` candidates, each set found by an index."""
    live = Article.objects.live().exclude(pk=article.pk)
    picks = RelatedArticle.objects.filter(article=article)
    sets = [
        picks.values("related"),
        live.filter(section_id=article.section_id).order_by("-publish_at").values("pk")[:limit],
    ]
    if article.series_id:
        sets.append(
            live.filter(series_id=article.series_id).order_by("-publish_at").values("pk")[:limit]
        )
    if connection.features.supports_slicing_ordering_in_compound:
        # PostgreSQL: one UNION ALL of three index-bounded sets. (An OR of IN-subqueries
        # makes it filter the whole table: 0.8 s at 100,000 stories.)
        candidates = Q(pk__in=sets[0].union(*sets[1:], all=True))
    else:  # SQLite cannot LIMIT inside a UNION; at its scale the OR is cheap
        candidates = Q()
        for ids in sets:
            candidates |= Q(pk__in=ids)
    pick_order = picks.filter(related=OuterRef("pk")).values("order")[:1]
    return list(
        live.filter(candidates)
        .select_related("section", "series", "lead_image")
        .annotate(
            pick_order=Subquery(pick_order, output_field=IntegerField()),
            priority=Case(
                When(pick_order__isnull=False, then=Value(0)),
                When(series_id=article.series_id, then=Value(1)),
                default=Value(2),
                output_field=IntegerField(),
            ),
        )
        .order_by("priority", "pick_order", "-publish_at", "-pk")[:limit]
    )


def renditions_of(*kinds: str) -> Prefetch:
    """Prefetch only the renditions a page draws (an image has some thirty)."""
    return Prefetch("renditions", queryset=Rendition.objects.filter(kind__in=kinds))


def byline_groups(bylines) -> list[tuple[str, list]]:
    """Bylines grouped by role, in order: [("By", [a, b]), ("With reporting by", [c])]."""
    groups: list[tuple[str, list]] = []
    for byline in bylines:
        prefix = byline.role or "By"
        if groups and groups[-1][0] == prefix:
            groups[-1][1].append(byline.author)
        else:
            groups.append((prefix, [byline.author]))
    return groups
