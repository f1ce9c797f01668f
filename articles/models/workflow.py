"""The paper trail of a story: workflow transitions and old URLs."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..keys import FRONT_PAGE_KEY
from .article import Status


class Transition(models.Model):
    """One step of the editorial workflow: who moved the story from what to what, and why."""

    # Readers never see it: saving one changes no public page (caching.invalidation).
    reader_change_on_save = "nothing"

    article = models.ForeignKey(
        "articles.Article", on_delete=models.CASCADE, related_name="transitions"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    from_status = models.CharField(_("from"), max_length=20, choices=Status)
    to_status = models.CharField(_("to"), max_length=20, choices=Status)
    comment = models.TextField(_("comment"), blank=True)
    created_at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        verbose_name = _("workflow step")
        verbose_name_plural = _("workflow history")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_from_status_display()} → {self.get_to_status_display()}"


class LiveRevision(models.Model):
    """Marks a revision of a story that readers saw: it was saved while the story was live."""

    revision = models.OneToOneField(
        "reversion.Revision", on_delete=models.CASCADE, related_name="live_mark"
    )

    class Meta:
        default_permissions = ()

    def __str__(self) -> str:
        return f"revision {self.revision_id} was live"


class SlugRedirect(models.Model):
    """A slug a published story used to have: its old URL answers with a permanent redirect."""

    # Readers see it: a save or delete may take something away from them
    # (caching.invalidation).
    reader_change_on_save = "hard"

    old_slug = models.SlugField(max_length=255, unique=True)
    article = models.ForeignKey(
        "articles.Article", on_delete=models.CASCADE, related_name="slug_redirects"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("old URL")
        verbose_name_plural = _("old URLs")

    def __str__(self) -> str:
        return self.old_slug

    def cache_keys(self) -> set[str]:
        return {f"story-{self.article_id}"}


class FrontPageSlot(models.Model):
    """An editor's pick for the home page: position 1 is the lead story."""

    # Saving one changes how pages look, takes nothing away (caching.invalidation).
    reader_change_on_save = "soft"

    position = models.PositiveSmallIntegerField(
        _("position"),
        unique=True,
        help_text=_("1 is the lead story; 2 to 5 are the secondary slots."),
    )
    article = models.ForeignKey(
        "articles.Article",
        verbose_name=_("story"),
        on_delete=models.CASCADE,
        related_name="front_page_slots",
        help_text=_("Only live stories show; an empty or hidden slot falls back to the newest."),
    )

    class Meta:
        verbose_name = _("front page slot")
        verbose_name_plural = _("front page")
        ordering = ["position"]

    def __str__(self) -> str:
        return f"{self.position}: {self.article}"

    def cache_keys(self) -> set[str]:
        return {FRONT_PAGE_KEY}
