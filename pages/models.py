"""The newsroom's own pages (About, Masthead, policies, Contact): not stories, at the site's
root, through the same workflow and the same visibility rule as stories."""

from datetime import datetime

import reversion
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from articles.models import Status, live_rule
from articles.models.publishing import Publishable
from newsroom import richtext
from sections import addresses


class PageQuerySet(models.QuerySet):
    def live(self, now: datetime | None = None) -> "PageQuerySet":
        """Pages a reader may see: the stories' one rule (articles.models.live_rule)."""
        return self.filter(live_rule(now))


class Page(Publishable):
    """A page of the newsroom's own: About, Masthead, a policy. Its address is its path from
    the site's root (/about/, /policies/corrections/), made of its parents' slugs and its own."""

    # Readers see it: a save may take something away from them (caching.invalidation).
    reader_change_on_save = "hard"
    cache_key_prefix = "page"

    title = models.CharField(
        _("title"), max_length=255, help_text=_("The page's title, on the page and in menus.")
    )
    slug = models.SlugField(
        _("slug"),
        max_length=100,
        help_text=_("The last part of the page's address, e.g. “corrections”."),
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent page"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        help_text=_("Put the page under another: “Policies” › “Corrections”."),
    )
    # The whole address without slashes at the ends ("policies/corrections"), kept by save().
    path = models.CharField(_("address"), max_length=500, unique=True, editable=False)
    body = models.TextField(
        _("body"), blank=True, help_text=_("The page's text, pictures and embeds.")
    )
    seo_title = models.CharField(
        _("search title"),
        max_length=70,
        blank=True,
        help_text=_("The title search engines show; defaults to the title."),
    )
    seo_description = models.CharField(
        _("search description"),
        max_length=300,
        blank=True,
        help_text=_(
            "Shown by search engines and social networks; defaults to the first paragraph."
        ),
    )
    last_reviewed = models.DateField(
        _("last reviewed"),
        null=True,
        blank=True,
        help_text=_("Shown to readers as “Last reviewed”: when the page was last checked."),
    )
    objects = PageQuerySet.as_manager()

    class Meta:
        verbose_name = _("page")
        verbose_name_plural = _("pages")
        ordering = ["path"]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        self.body = richtext.sanitize(self.body)
        self.path = self.address_path()
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("pages:detail", kwargs={"path": self.path})

    def clean(self):
        problem = self.address_problem()
        if problem:
            raise ValidationError({problem[0]: problem[1]})

    def address_problem(self) -> tuple[str, str] | None:
        """Why this page cannot have its address, as (field, words an editor can act on), or
        None. Checked by clean() (the desk's form) and by the services (every other writer)."""
        ancestor = self.parent
        while ancestor is not None:
            if self.pk is not None and ancestor.pk == self.pk:
                return "parent", str(_("A page cannot be under itself."))
            ancestor = ancestor.parent
        if not self.slug:
            return None
        if self.parent_id is None:
            problem = addresses.clash(self.slug, page_pk=self.pk)
            if problem:
                return "slug", f"{problem} Choose another slug."
        path = self.address_path()
        other = Page.objects.filter(path=path).exclude(pk=self.pk).first()
        if other is not None:
            return "slug", f"The page “{other.title}” is already at /{path}/: choose another slug."
        return None

    def address_path(self) -> str:
        """ "policies/corrections": the parents' slugs and this page's, from the root."""
        return f"{self.parent.address_path()}/{self.slug}" if self.parent else self.slug

    # A page has no pending changes (a live page is edited in place, by an editor): the
    # stories' role rules (articles.roles) read this and take the plain path.
    pending_for_id = None

    @property
    def display_status(self) -> str:
        """The status as editors think of it: a future published page is “Scheduled”."""
        if self.is_scheduled:
            return str(_("Scheduled"))
        if self.status == Status.PUBLISHED and not self.is_live():
            return str(_("Expired"))
        return self.get_status_display()

    def cache_expires_at(self) -> float | None:
        """A page with a takedown time is right until then only (caching.keys)."""
        unpublish_at = self.__dict__.get("unpublish_at")  # never a query when deferred
        return unpublish_at.timestamp() if unpublish_at else None

    def body_html(self) -> str:
        return richtext.sanitize(richtext.embeds_as_links(richtext.remove_breaks(self.body)))


# Every save is a revision: History, compare and restore in the desk, as for stories.
reversion.register(Page)
