"""What a reader sees around a story, fetched in a fixed number of queries however many
bylines, tags, corrections, related stories or series installments it has.

Everything starts from Article.objects.live(), so nothing unpublished can slip in. The river
and the series box are the same for every reader until what they show changes: they are
remembered (caching.values) as story ids, which each page loads again through live() in one
plain query.
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
from taggit.models import Tag

from caching.keys import collecting, show
from caching.values import remember
from media.body import library_images_in
from media.models import Rendition

from .keys import story_key
from .listings import shows
from .models import Article, Author, Byline, Correction, RelatedArticle, Source, TaggedArticle

RIVER_LENGTH = 6


@dataclass
class Installment:
    headline: str
    url: str
    pk: int | None = None


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
    sources: list = field(default_factory=list)


def story_page(article: Article, *, surroundings: StoryPage | None = None) -> StoryPage:
    """At most 8 queries: bylines, tags, corrections, sources, series installments, the
    river, body images, and the renditions of every picture on the page. Once the story's
    surroundings are remembered (`around`), the first six are one. A preview of unsaved
    changes gives its own `surroundings` (from the form), which are neither read nor
    remembered."""
    page = surroundings or StoryPage(**around(article))
    page.body_images = library_images_in(article.body, with_renditions=False)
    pictures = [article.lead_image, article.social_image, *page.body_images.values()]
    pictures += [story.lead_image for story in page.river]
    prefetch_related_objects([p for p in pictures if p is not None], renditions_of("lead",
                             "social", "free"))  # fmt: skip
    return page


def around(article: Article) -> dict:
    """A story's bylines, tags, corrections, sources, series position and river: the same for
    every reader until what they show changes, so remembered as small values (names, ids), filed
    under the keys of what they show. The river and the series neighbours are read back
    through live() in one query, so a story taken down is left out whatever is stored."""
    if article.pk is None:
        return _around(article)
    publish_at = article.publish_at.timestamp() if article.publish_at else None
    name = f"story-around:5:{article.pk}:{article.section_id}:{article.series_id}:{publish_at}"
    computed = {}

    def work_out():
        computed.update(_around(article))
        return _to_stored(**computed)

    stored = remember(name, work_out, keys={story_key(article.pk)})
    if not computed:
        return _from_stored(*stored)
    # Worked out just now: the page names the stories it shows around this one, as it does
    # when they are read back (_load_around).
    position = computed["series_position"]
    neighbours = (position.previous, position.next) if position else ()
    show(*(story_key(story.pk) for story in computed["river"]),
         *(story_key(n.pk) for n in neighbours if n))  # fmt: skip
    return computed


def _around(article: Article) -> dict:
    """Which stories are around this one depends on the listings it is in, not on what those
    stories say: the remembered value is filed under the listings (and this story), so an
    edit to a story in the river does not drop it; the page showing the river still names
    that story."""
    shows(article.section)
    if article.series_id:
        shows(article.series)
    with collecting(shown=False):
        river = keep_reading(article)
    return {
        "bylines": list(article.bylines.select_related("author")),
        "tags": [
            link.tag
            for link in TaggedArticle.objects.filter(content_object=article)
            .select_related("tag")
            .order_by("tag__name")
        ],  # fmt: skip
        "corrections": list(article.corrections.all()),
        "sources": list(article.sources.all()),
        "series_position": series_position(article),
        "river": river,
    }


# What a story page shows of its authors: the byline's names and links, and the role and
# profiles its JSON-LD gives (articles.metadata.byline_person).
_BYLINE_AUTHOR = ("pk", "name", "slug", "job_title", "x_url", "bluesky_url", "mastodon_url",
                  "linkedin_url", "website")  # fmt: skip


def _to_stored(*, bylines, tags, corrections, sources, series_position, river) -> tuple:
    series = None
    if series_position:
        neighbours = (series_position.previous, series_position.next)
        series = (series_position.number, series_position.total,
                  *(n.pk if n else None for n in neighbours))  # fmt: skip
    return (
        [story.pk for story in river],
        series,
        [(b.role, *(getattr(b.author, name) for name in _BYLINE_AUTHOR)) for b in bylines],
        [(tag.pk, tag.name, tag.slug) for tag in tags],
        [(c.pk, c.kind, c.text, c.published_at) for c in corrections],
        [(s.title, s.publisher, s.url, s.published_on) for s in sources],
    )


def _from_stored(river_ids, series, bylines, tags, corrections, sources) -> dict:
    # Instances again (unsaved, as a form builds them), so the templates and the
    # page's keys (caching.keys) name authors and tags as usual.
    return {
        "bylines": [
            Byline(role=role, author=Author(**dict(zip(_BYLINE_AUTHOR, author, strict=True))))
            for role, *author in bylines
        ],
        "tags": [Tag(pk=pk, name=name, slug=slug) for pk, name, slug in tags],
        "corrections": [
            Correction(pk=pk, kind=kind, text=text, published_at=at)
            for pk, kind, text, at in corrections
        ],
        "sources": [
            Source(title=title, publisher=publisher, url=url, published_on=on)
            for title, publisher, url, on in sources
        ],
        **_load_around(river_ids, series),
    }


def _load_around(river_ids: list[int], series: tuple | None) -> dict:
    """One query for the stored river and series neighbours, still live() this instant: a
    story taken down since is left out, whatever the cache says."""
    wanted = [*river_ids, *(series[2:] if series else ())]
    wanted = [pk for pk in wanted if pk is not None]
    found = {}
    if wanted:
        stories = Article.objects.live().filter(pk__in=wanted)
        found = {s.pk: s for s in stories.select_related("section", "series", "lead_image")}

    def installment(pk) -> Installment | None:
        story = found.get(pk)
        if story is None:
            return None
        return Installment(headline=story.headline, url=story.get_absolute_url(), pk=story.pk)

    position = None
    if series:
        number, total, previous, following = series
        position = SeriesPosition(number=number, total=total, previous=installment(previous),
                                  next=installment(following))  # fmt: skip
    return {"series_position": position, "river": [found[pk] for pk in river_ids if pk in found]}


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
        link = JSONObject(pk="pk", headline="headline", slug="slug", section="section__slug")
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
        return Installment(headline=data["headline"], url=url, pk=data["pk"])

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
