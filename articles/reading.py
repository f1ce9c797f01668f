"""What a reader sees around a story: its series neighbours and the "keep reading" river.

All of it starts from Article.objects.live(), so nothing unpublished can slip in.
"""

from dataclasses import dataclass

from .models import Article

RIVER_LENGTH = 6


@dataclass
class SeriesPosition:
    """Where a story sits in its series, for the series box."""

    number: int
    total: int
    previous: Article | None
    next: Article | None
    latest: list[Article]


def series_position(article: Article) -> SeriesPosition | None:
    if article.series_id is None or article.publish_at is None:
        return None
    installments = Article.objects.live().filter(series_id=article.series_id)
    earlier = installments.filter(publish_at__lt=article.publish_at)
    later = installments.filter(publish_at__gt=article.publish_at)
    return SeriesPosition(
        number=earlier.count() + 1,
        total=installments.count(),
        previous=earlier.select_related("section").order_by("-publish_at").first(),
        next=later.select_related("section").order_by("publish_at").first(),
        latest=list(
            installments.exclude(pk=article.pk)
            .select_related("section")
            .order_by("-publish_at")[:3]
        ),
    )


def keep_reading(article: Article, limit: int = RIVER_LENGTH) -> list[Article]:
    """Editor-picked related stories first, then the same series, then the same section."""
    live = Article.objects.live().for_listing()
    picked = list(
        live.filter(pk__in=article.related_links.values("related")).order_by("-publish_at")
    )
    order = {link.related_id: link.order for link in article.related_links.all()}
    picked.sort(key=lambda story: order.get(story.pk, 0))
    river, seen = picked[:limit], {article.pk, *(s.pk for s in picked)}
    pools = []
    if article.series_id:
        pools.append(live.filter(series_id=article.series_id))
    pools.append(live.filter(section_id=article.section_id))
    for pool in pools:
        if len(river) >= limit:
            break
        more = pool.exclude(pk__in=seen).order_by("-publish_at")[: limit - len(river)]
        for story in more:
            river.append(story)
            seen.add(story.pk)
    return river


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
