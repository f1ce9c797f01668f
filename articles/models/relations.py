"""The ordered pieces that hang off a story: bylines, teaser links, corrections, tags."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from taggit.models import TaggedItemBase


class Byline(models.Model):
    """One person in a story's byline, in order, with an optional role."""

    # Readers see it: a save or delete may take something away from them
    # (caching.invalidation): on the pages that show its story.
    reader_change_on_save = "hard"

    article = models.ForeignKey(
        "articles.Article", on_delete=models.CASCADE, related_name="bylines"
    )
    author = models.ForeignKey(
        "articles.Author",
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        related_name="bylines",
    )
    role = models.CharField(
        _("role"),
        max_length=60,
        blank=True,
        help_text=_("Optional, shown before the name, e.g. “Reporting by”, “Analysis by”."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("byline")
        verbose_name_plural = _("bylines")
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["article", "author"], name="unique_author_per_story")
        ]

    def __str__(self) -> str:
        return f"{self.role} {self.author}".strip()

    def cache_keys(self) -> set[str]:
        return {f"story-{self.article_id}"}


class RelatedArticle(models.Model):
    """An editor-picked “keep reading” teaser shown after a story, in order."""

    # Readers see it: a save or delete may take something away from them
    # (caching.invalidation): on the pages that show its story.
    reader_change_on_save = "hard"

    article = models.ForeignKey(
        "articles.Article", on_delete=models.CASCADE, related_name="related_links"
    )
    related = models.ForeignKey(
        "articles.Article",
        verbose_name=_("related story"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("related story")
        verbose_name_plural = _("related stories (“keep reading” teasers)")
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["article", "related"], name="unique_related_story"),
            models.CheckConstraint(
                condition=~models.Q(article=models.F("related")), name="not_related_to_itself"
            ),
        ]

    def __str__(self) -> str:
        return str(self.related)

    def cache_keys(self) -> set[str]:
        return {f"story-{self.article_id}"}


class Correction(models.Model):
    """A dated correction or update note shown on the story."""

    # Readers see it: a save or delete may take something away from them
    # (caching.invalidation): on the pages that show its story.
    reader_change_on_save = "hard"

    class Kind(models.TextChoices):
        CORRECTION = "correction", _("Correction")
        UPDATE = "update", _("Update")

    article = models.ForeignKey(
        "articles.Article", on_delete=models.CASCADE, related_name="corrections"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind, default=Kind.CORRECTION)
    text = models.TextField(
        _("text"), help_text=_("Plain text, shown at the end of the story with its date.")
    )
    published_at = models.DateTimeField(_("date"), default=timezone.now)

    class Meta:
        verbose_name = _("correction or update")
        verbose_name_plural = _("corrections and updates")
        ordering = ["published_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.published_at:%Y-%m-%d})"

    def cache_keys(self) -> set[str]:
        return {f"story-{self.article_id}"}


class TaggedArticle(TaggedItemBase):
    """taggit's link between a story and a tag; our own so revisions can follow it."""

    # Readers see it: a save or delete may take something away from them
    # (caching.invalidation): on the pages that show its story.
    reader_change_on_save = "hard"

    content_object = models.ForeignKey(
        "articles.Article", on_delete=models.CASCADE, related_name="tagged_items"
    )

    class Meta:
        verbose_name = _("tag")
        verbose_name_plural = _("tags")

    def cache_keys(self) -> set[str]:
        return {f"story-{self.content_object_id}"}
