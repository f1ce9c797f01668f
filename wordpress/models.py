"""What an import from WordPress leaves behind: which WordPress item became which object here,
and the old addresses that keep redirecting to it."""

import hashlib
import json
from dataclasses import asdict, is_dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _

# Bumped when the importer's output changes, so a re-run refreshes what earlier runs made.
IMPORTER_VERSION = "1"


def fingerprint(*parts) -> str:
    """A stable hash of what an item produced, or of a WXR record itself: what
    ImportedItem.fingerprint compares to tell "unchanged" from "updated"."""
    parts = [asdict(part) if is_dataclass(part) else part for part in parts]
    payload = json.dumps([IMPORTER_VERSION, *parts], sort_keys=True, default=str)
    return hashlib.sha256(payload.encode()).hexdigest()


class ImportedItem(models.Model):
    """One WordPress item (author, category, tag, post, attachment, page) and what it became
    here.

    Keyed by kind and WordPress id, so a second run finds it again: it updates the object
    when the item changed (the fingerprint differs) and leaves it alone when it did not."""

    class Kind(models.TextChoices):
        AUTHOR = "author", _("author")
        SECTION = "section", _("category")
        TAG = "tag", _("tag")
        ARTICLE = "article", _("post")
        IMAGE = "image", _("attachment")
        PAGE = "page", _("page")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind)
    wp_key = models.CharField(
        _("WordPress id"),
        max_length=200,
        help_text=_(
            "Post id, term slug or author login; for a post without an id, "
            "“guid:” or “link:” and a hash of that address."
        ),
    )
    object_id = models.PositiveBigIntegerField(
        _("imported as"), null=True, help_text=_("Empty when the item could not be imported.")
    )
    title = models.CharField(_("title"), max_length=255, blank=True)
    fingerprint = models.CharField(max_length=64, help_text=_("A hash of the item's content."))
    # Private details that have no public field here (an author's login email).
    details = models.JSONField(default=dict, blank=True)
    imported_at = models.DateTimeField(_("first imported"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last updated"), auto_now=True)

    class Meta:
        verbose_name = _("imported WordPress item")
        verbose_name_plural = _("imported WordPress items")
        constraints = [
            models.UniqueConstraint(fields=["kind", "wp_key"], name="unique_wordpress_item")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.wp_key}: {self.title}"


class LegacyURL(models.Model):
    """An address the WordPress site used (a post's or page's permalink, a post's dated form,
    an attachment's file): it answers with a permanent redirect to the story, page or image
    it became."""

    # Readers never see it: saving one changes no public page (caching.invalidation).
    reader_change_on_save = "nothing"

    path = models.CharField(
        _("old path"),
        max_length=500,
        unique=True,
        help_text=_("The path on the old site, without its trailing slash."),
    )
    article = models.ForeignKey(
        "articles.Article", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    image = models.ForeignKey(
        "media.Image", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    page = models.ForeignKey(
        "pages.Page", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        verbose_name = _("old WordPress URL")
        verbose_name_plural = _("old WordPress URLs")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(article__isnull=False)
                | models.Q(image__isnull=False)
                | models.Q(page__isnull=False),
                name="legacy_url_has_target",
            )
        ]

    def __str__(self) -> str:
        return self.path
