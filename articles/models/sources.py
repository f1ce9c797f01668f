"""What a story rests on: the reports, documents and data it cites, shown at its end as
“Sources” and given to search engines as the story's `citation`."""

from urllib.parse import urlsplit

from django.db import models
from django.utils.translation import gettext_lazy as _

from .article import web_address


class Source(models.Model):
    """One source or reference of a story, in order: a title, who published it, where."""

    # Readers see it: a save or delete may take something away from them
    # (caching.invalidation): on the pages that show its story.
    reader_change_on_save = "hard"

    article = models.ForeignKey(
        "articles.Article", on_delete=models.CASCADE, related_name="sources"
    )
    title = models.CharField(
        _("title"),
        max_length=300,
        help_text=_("The report, document or data set, as its publisher names it."),
    )
    publisher = models.CharField(
        _("publisher"),
        max_length=200,
        blank=True,
        help_text=_("Who published it, e.g. “The Washington Post”, “Eurostat”."),
    )
    url = models.URLField(
        _("address"),
        max_length=1000,
        blank=True,
        validators=[web_address],
        help_text=_("Where readers can find it (http or https); leave empty for print."),
    )
    published_on = models.DateField(
        _("date"), null=True, blank=True, help_text=_("Optional: when it was published.")
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("source")
        verbose_name_plural = _("sources and references")
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return f"{self.title} ({self.publisher})" if self.publisher else self.title

    @property
    def host(self) -> str:
        """The site it is on (“www.eurostat.eu”), for a source with no publisher named."""
        return (urlsplit(self.url).hostname or "") if self.url else ""

    def cache_keys(self) -> set[str]:
        return {f"story-{self.article_id}"}
