"""The newsroom's own pages (About, Masthead, policies, Contact): not stories, at the site's
root, through the same workflow and the same visibility rule as stories."""

from datetime import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from articles.models import Status
from newsroom import richtext


class PageQuerySet(models.QuerySet):
    def live(self, now: datetime | None = None) -> "PageQuerySet":
        """Pages a reader may see: published, publish time come, unpublish time not yet.
        The only place that decides it for pages, as Article.objects.live() does for stories."""
        now = now or timezone.now()
        return self.filter(
            Q(unpublish_at__isnull=True) | Q(unpublish_at__gt=now),
            status=Status.PUBLISHED,
            publish_at__lte=now,
        )


class Page(models.Model):
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
    status = models.CharField(
        _("status"), max_length=20, choices=Status, default=Status.DRAFT, db_index=True
    )
    publish_at = models.DateTimeField(
        _("publish at"),
        null=True,
        blank=True,
        help_text=_("When the page goes live. In the future, it is scheduled."),
    )
    unpublish_at = models.DateTimeField(
        _("unpublish at"),
        null=True,
        blank=True,
        help_text=_("Optional: when the page leaves the site by itself."),
    )
    first_published_at = models.DateTimeField(_("first published"), null=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    modified_at = models.DateTimeField(_("last saved"), auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    last_edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("last edited by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    # Bumped on every save; a form that started from an older version is refused.
    version = models.PositiveIntegerField(default=1, editable=False)

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

    def address_path(self) -> str:
        """ "policies/corrections": the parents' slugs and this page's, from the root."""
        return f"{self.parent.address_path()}/{self.slug}" if self.parent else self.slug

    def body_html(self) -> str:
        return richtext.sanitize(richtext.embeds_as_links(richtext.remove_breaks(self.body)))
