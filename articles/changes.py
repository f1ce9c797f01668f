"""What a write to a story means for readers, and the parts of a story a save replaces.

The services read a story's state before and after they write it; `reader_impact` compares
the two (docs/visibility.md: nothing, soft or hard) and `pages_changed` names the pages it
changes (caching.keys): the story's own key, and the listings it joined, left or moved in.
Relations are described as plain rows so a command, an admin form, a restore and pending
changes all write them alike.
"""

from dataclasses import dataclass
from datetime import datetime

from caching.invalidation import HARD, NOTHING, SOFT

from .keys import CORRECTIONS, SCHEDULE, listing_keys, story_key
from .models import Article, Byline, Correction, RelatedArticle, Source, TaggedArticle


@dataclass(frozen=True)
class ReaderState:
    """What readers can see of one story at one moment, and which listings it is in."""

    live: bool
    scheduled: bool
    unpublish_at: datetime | None
    publish_at: datetime | None
    listings: frozenset[str]
    corrections: tuple

    @classmethod
    def read(cls, pk) -> "ReaderState | None":
        """The story as stored now (four small queries), or None if there is none."""
        article = (
            Article.objects.filter(pk=pk).select_related("section")
            .only("status", "publish_at", "unpublish_at", "series_id", "section__parent_id")
            .first()
        )  # fmt: skip
        if article is None:
            return None
        corrections = tuple(Correction.objects.filter(article_id=pk).values_list("pk", "text"))
        listings = listing_keys(
            section=article.section_id,
            parent=article.section.parent_id,
            series=article.series_id,
            authors=Byline.objects.filter(article_id=pk).values_list("author_id", flat=True),
            tags=TaggedArticle.objects.filter(content_object_id=pk).values_list("tag_id",
                                                                                flat=True),
            corrected=bool(corrections),
        )  # fmt: skip
        return cls(article.is_live(), article.is_scheduled, article.unpublish_at,
                   article.publish_at, frozenset(listings), corrections)  # fmt: skip

    @property
    def public(self) -> bool:
        """On a page now, or about to be by itself (the cache must know when)."""
        return self.live or self.scheduled


def pages_changed(pk, before: ReaderState | None, after: ReaderState | None) -> set[str]:
    """The keys of the pages a write changes: the story's own (every page that shows it),
    and the listings it joins or leaves. A story that comes or goes, or moves in time,
    changes every listing it is in; one that stays changes those it joined or left.
    A hard change may also move the schedule (articles.schedule)."""
    keys = {story_key(pk)}
    if not (before and before.public) and not (after and after.public):
        return keys
    if reader_impact(before, after) == HARD:
        keys.add(SCHEDULE)
    was = before.listings if before else frozenset()
    now = after.listings if after else frozenset()
    if (
        before is None or after is None or before.live != after.live
        or before.scheduled != after.scheduled or before.publish_at != after.publish_at
    ):  # fmt: skip
        return keys | was | now
    keys |= was ^ now
    if before.corrections != after.corrections:
        keys.add(CORRECTIONS)
    return keys


def reader_impact(before: ReaderState | None, after: ReaderState | None) -> str:
    """Nothing for a story that is on no page before or after (drafts, pending changes,
    an unpublished story edited); soft when it is live after, with no takedown time; hard
    when it leaves, is scheduled or gets a takedown time."""
    if not (before and before.public) and not (after and after.public):
        return NOTHING
    if after and after.live and after.unpublish_at is None:
        return SOFT
    return HARD


# What a source says, in the order it is shown (articles.models.sources).
SOURCE_FIELDS = ("title", "publisher", "url", "published_on", "order")

# A formset row's bookkeeping, not part of what the relation says.
_NOT_ROW_FIELDS = {"id", "DELETE", "article", "content_object"}


@dataclass
class Relations:
    """A story's byline, tags, related stories, corrections and sources, as rows to write.

    None for a part means "leave it as it is"; a list replaces what the story has."""

    bylines: list[dict] | None = None  # {"author_id", "role", "order"}
    tags: list[int] | None = None  # taggit Tag ids
    related: list[dict] | None = None  # {"related_id", "order"}
    corrections: list[dict] | None = None  # {"kind", "text", "published_at"}
    sources: list[dict] | None = None  # SOURCE_FIELDS, in order

    @classmethod
    def of(cls, article: Article) -> "Relations":
        """What a saved story has now."""
        return cls(
            bylines=list(article.bylines.values("author_id", "role", "order")),
            tags=list(article.tagged_items.values_list("tag_id", flat=True)),
            related=list(article.related_links.values("related_id", "order")),
            corrections=list(article.corrections.values("kind", "text", "published_at")),
            sources=list(article.sources.values(*SOURCE_FIELDS)),
        )

    def write(self, article: Article) -> None:
        """Replace each given part of the story's relations with these rows.

        A row that stays keeps its id (a form open elsewhere still names it): only rows
        gone are deleted, rows changed updated and new ones created."""
        if self.bylines is not None:
            _replace(article.bylines.all(), "author_id", self.bylines, article=article)
        if self.tags is not None:
            rows = [{"tag_id": tag_id} for tag_id in self.tags]
            _replace(article.tagged_items.all(), "tag_id", rows, content_object=article)
        if self.related is not None:
            _replace(article.related_links.all(), "related_id", self.related, article=article)
        if self.corrections is not None:
            _replace(article.corrections.all(), "id", self.corrections, article=article)
        if self.sources is not None:
            _replace(article.sources.all(), "id", self.sources, article=article)

    @classmethod
    def from_formsets(cls, formsets) -> "Relations":
        """The rows an admin form's inlines describe, without saving them anywhere."""
        relations = cls()
        for formset in formsets:
            kept = [
                form.cleaned_data
                for form in formset.forms
                if form.cleaned_data and not form.cleaned_data.get("DELETE")
            ]
            rows = [{k: v for k, v in row.items() if k not in _NOT_ROW_FIELDS} for row in kept]
            model = formset.model
            if model is Byline:
                relations.bylines = [
                    {"author_id": r["author"].pk, "role": r.get("role", ""),
                     "order": r.get("order", 0)}
                    for r in rows
                ]  # fmt: skip
            elif model is TaggedArticle:
                relations.tags = [r["tag"].pk for r in rows]
            elif model is RelatedArticle:
                relations.related = [
                    {"related_id": r["related"].pk, "order": r.get("order", 0)} for r in rows
                ]
            elif model is Correction:  # a correction shown keeps its row (Relations.write)
                relations.corrections = [
                    {**r, "id": row["id"].pk if row.get("id") else None}
                    for row, r in zip(kept, rows, strict=True)
                ]
            elif model is Source:  # in the order given, else as listed; each keeps its row
                ordered = sorted(zip(kept, rows, strict=True),
                                 key=lambda pair: pair[1].get("order") or 0)  # fmt: skip
                relations.sources = [
                    {"id": row["id"].pk if row.get("id") else None, "title": r["title"],
                     "publisher": r.get("publisher", ""), "url": r.get("url", ""),
                     "published_on": r.get("published_on"), "order": n}
                    for n, (row, r) in enumerate(ordered)
                ]  # fmt: skip
        return relations


def _replace(existing, key: str, rows: list[dict], **parent) -> None:
    """Make `existing` hold exactly `rows`, matched on `key` (a row without it is new)."""
    by_key = {getattr(obj, key): obj for obj in existing}
    wanted = {row[key]: row for row in rows if row.get(key) in by_key}
    existing.exclude(pk__in=[by_key[k].pk for k in wanted]).delete()
    model = existing.model
    for value, row in wanted.items():
        obj = by_key[value]
        fields = {name: v for name, v in row.items() if name != key and getattr(obj, name) != v}
        if fields:
            model.objects.filter(pk=obj.pk).update(**fields)
    model.objects.bulk_create(
        model(**parent, **{name: v for name, v in row.items() if name != "id"})
        for row in rows
        if row.get(key) not in wanted
    )


# What moves from one version of a story to another (a restore, pending changes being
# published). Workflow state (status, times, slug) stays: restoring yesterday's text must not
# unpublish, republish or move a story.
CONTENT_FIELDS = [
    "headline", "kicker", "article_type", "dek", "body", "teaser", "lead_image_id",
    "lead_image_caption", "section_id", "series_id", "seo_title", "seo_description",
    "social_image_id", "sponsor_name", "sponsor_url",
]  # fmt: skip
