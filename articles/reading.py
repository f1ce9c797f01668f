"""What a reader sees around a story, fetched in a fixed number of queries however many
bylines, tags, corrections, related stories or series installments it has.

Everything starts from Article.objects.live(), so nothing unpublished can slip in.
"""

from dataclasses import dataclass, field

from django.db.models import (
    Case,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
    prefetch_related_objects,
)
from django.urls import reverse

from media.body import library_images_in

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
    prefetch_related_objects([p for p in pictures if p is not None], "renditions")
    return page


def series_position(article: Article) -> SeriesPosition | None:
    """One query for the whole series, whatever its length (only a few columns per row)."""
    if article.series_id is None or article.publish_at is None:
        return None
    installments = list(
        Article.objects.live()
        .filter(series_id=article.series_id)
        .order_by("publish_at", "pk")
        .values_list("pk", "headline", "slug", "section__slug")
    )
    index = next((n for n, row in enumerate(installments) if row[0] == article.pk), None)
    if index is None:
        return None

    def link(row) -> Installment:
        url = reverse("articles:detail", kwargs={"section": row[3], "slug": row[2]})
        return Installment(headline=row[1], url=url)

    return SeriesPosition(
        number=index + 1,
        total=len(installments),
        previous=link(installments[index - 1]) if index > 0 else None,
        next=link(installments[index + 1]) if index + 1 < len(installments) else None,
    )


def keep_reading(article: Article, limit: int = RIVER_LENGTH) -> list[Article]:
    """Editor-picked related stories first (in their order), then the same series, then the
    same section: one query."""
    picks = RelatedArticle.objects.filter(article=article)
    pick_order = picks.filter(related=OuterRef("pk")).values("order")[:1]
    nearby = Q(pk__in=picks.values("related")) | Q(section_id=article.section_id)
    if article.series_id:
        nearby |= Q(series_id=article.series_id)
    return list(
        Article.objects.live()
        .filter(nearby)
        .exclude(pk=article.pk)
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
