"""The story, and the one rule that decides whether a reader may see it."""

import uuid
from datetime import datetime, timedelta
from functools import lru_cache

from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import connection, models
from django.db.models import F, Q, Window
from django.db.models.functions import Coalesce, RowNumber
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from taggit.managers import TaggableManager

from newsroom import richtext
from sections.models import Section

from ..keys import SCHEDULE, listing_keys
from .publishing import Publishable, Status, live_rule


class ArticleType(models.TextChoices):
    NEWS = "news", _("News")
    ANALYSIS = "analysis", _("Analysis")
    OPINION = "opinion", _("Opinion")
    FEATURE = "feature", _("Feature")
    INTERVIEW = "interview", _("Interview")
    EXPLAINER = "explainer", _("Explainer")
    REVIEW = "review", _("Review")
    # Paid for or made with an outside organisation: labelled as such on every page, feed
    # and listing, with the sponsor named (Article.sponsor_name).
    SPONSORED = "sponsored", _("Sponsored")
    PARTNER = "partner", _("Partner content")


# The types paid for or made with someone else: they name a sponsor, carry a disclosure line,
# and stay out of newsletters unless a newsletter chooses them.
SPONSORED_TYPES = frozenset({ArticleType.SPONSORED, ArticleType.PARTNER})

# A sponsor's address (and a source's) is a web page: no javascript:, data: or ftp: link.
web_address = URLValidator(
    schemes=["http", "https"],
    message=_("Enter a web address that starts with http:// or https://."),
)


class ArticleQuerySet(models.QuerySet):
    def live(self, now: datetime | None = None) -> "ArticleQuerySet":
        """Stories a reader may see: the ONLY place that decides it.

        A story is live when it is published, its publish time has come, and its unpublish
        time (if any) has not. Because the rule compares against the clock on every query, a
        scheduled story appears exactly at its time, and an expiring one disappears, with no
        cron job or worker. Every public read path — pages, teasers, feeds, sitemaps, search —
        starts from here; see docs/visibility.md.
        """
        return self.filter(live_rule(now)).defer(
            "search_document"  # readers never need the (large) search column
        )

    def scheduled(self, now: datetime | None = None) -> "ArticleQuerySet":
        """Published stories whose publish time is still ahead (the editorial calendar)."""
        return self.filter(status=Status.PUBLISHED, publish_at__gt=now or timezone.now())

    def newest_per_section(
        self, section_ids, *, per_section: int = 3, within_days: int = 30
    ) -> "ArticleQuerySet":
        """The newest `per_section` stories of each of these top-level sections (subsections
        included) from the last `within_days`: a window function numbers the stories within
        each section, over a date range the index bounds rather than the whole archive.
        Each story carries `top_section`, the id of the section it counts for."""
        top_section = Coalesce("section__parent_id", "section_id")
        since = timezone.now() - timedelta(days=within_days)
        return (
            self.filter(publish_at__gte=since)
            .annotate(
                top_section=top_section,
                rank=Window(
                    RowNumber(), partition_by=[top_section], order_by=F("publish_at").desc()
                ),
            )
            .filter(rank__lte=per_section, top_section__in=section_ids)
            .order_by("top_section", "rank")
        )

    def for_listing(self) -> "ArticleQuerySet":
        """What a teaser needs, in two queries: the stories, then their pictures' renditions
        (only those a teaser draws: 9 of an image's 31)."""
        from media.models import Rendition

        teaser_renditions = Rendition.objects.filter(kind="lead")
        return self.select_related("section", "series", "lead_image").prefetch_related(
            models.Prefetch("lead_image__renditions", queryset=teaser_renditions)
        )

    def with_bylines(self) -> "ArticleQuerySet":
        """Adds the bylines and their authors (one more query), for feeds."""
        from .relations import Byline

        return self.prefetch_related(
            models.Prefetch("bylines", queryset=Byline.objects.select_related("author"))
        )


# What full-text search indexes, and how much each part weighs: headline beats dek beats body.
# newsroom_english is English with accents folded (migration 0011): "Tomas" finds "Tomás".
SEARCH_CONFIG = "newsroom_english"
SEARCH_DOCUMENT = (
    SearchVector("headline", weight="A", config=SEARCH_CONFIG)
    + SearchVector("dek", weight="B", config=SEARCH_CONFIG)
    + SearchVector("body", weight="C", config=SEARCH_CONFIG)
)


class Article(Publishable):
    """A story: what editors write in the admin and readers read on the site."""

    # Readers see it: a save or delete may take something away from them
    # (caching.invalidation); pages that load one name it `story-<pk>` (caching.keys).
    reader_change_on_save = "hard"
    cache_key_prefix = "story"

    headline = models.CharField(
        _("headline"), max_length=255, help_text=_("The story's title on the page and in lists.")
    )
    slug = models.SlugField(
        _("slug"),
        max_length=255,
        unique=True,
        blank=True,
        allow_unicode=False,
        help_text=_(
            "The story's address. Made from the headline when left empty. Fixed once the "
            "story is published; a publisher's later change keeps the old address redirecting."
        ),
    )
    kicker = models.CharField(
        _("kicker"),
        max_length=80,
        blank=True,
        help_text=_("A short label above the headline, e.g. “ukraine war”."),
    )
    article_type = models.CharField(
        _("type"),
        max_length=20,
        choices=ArticleType,
        default=ArticleType.NEWS,
        help_text=_("Shown before the section, as in “Analysis | Europe”."),
    )
    sponsor_name = models.CharField(
        _("sponsor"),
        max_length=120,
        blank=True,
        help_text=_(
            "Who paid for or made this story with the newsroom. Required for Sponsored and "
            "Partner content: readers see “Paid for by …” on the story, in lists and feeds."
        ),
    )
    sponsor_url = models.URLField(
        _("sponsor's website"),
        max_length=500,
        blank=True,
        validators=[web_address],
        help_text=_("Optional: the sponsor's name links here (http or https)."),
    )
    dek = models.TextField(
        _("dek"),
        blank=True,
        help_text=_("The standfirst: shown under the headline on the story and in previews."),
    )
    body = models.TextField(
        _("body"),
        blank=True,
        help_text=_(
            "The story. Place a page break (“keep reading” break) where the preview "
            "in lists should end."
        ),
    )
    teaser = models.TextField(
        _("teaser"),
        blank=True,
        help_text=_(
            "Optional preview for lists. When empty, the preview is the body up to the "
            "“keep reading” break, or its first paragraphs."
        ),
    )
    lead_image = models.ForeignKey(
        "media.Image",
        verbose_name=_("lead image"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    lead_image_caption = models.TextField(
        _("lead image caption"),
        blank=True,
        help_text=_("Overrides the image's own caption for this story. The credit always shows."),
    )
    section = models.ForeignKey(
        "sections.Section",
        verbose_name=_("section"),
        on_delete=models.PROTECT,
        related_name="articles",
        help_text=_("The story's home on the site; part of its address."),
    )
    series = models.ForeignKey(
        "sections.Series",
        verbose_name=_("series"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="articles",
        help_text=_("If this is an installment of a recurring column such as Diplomacy Watch."),
    )
    authors = models.ManyToManyField(
        "articles.Author", through="articles.Byline", related_name="articles", blank=True
    )
    tags = TaggableManager(
        verbose_name=_("tags"),
        through="articles.TaggedArticle",
        blank=True,
        help_text=_("Topics, separated by commas."),
    )
    seo_title = models.CharField(
        _("search title"),
        max_length=120,
        blank=True,
        help_text=_("Replaces the headline in search results and browser tabs."),
    )
    seo_description = models.CharField(
        _("search description"),
        max_length=300,
        blank=True,
        help_text=_("Shown by search engines and social networks; defaults to the dek."),
    )
    social_image = models.ForeignKey(
        "media.Image",
        verbose_name=_("social image"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Shown when the story is shared; defaults to the lead image."),
    )

    due_at = models.DateTimeField(
        _("due"),
        null=True,
        blank=True,
        help_text=_(
            "When the writer should file it; places a story not yet scheduled on the calendar."
        ),
    )
    assignment_note = models.TextField(
        _("assignment note"),
        blank=True,
        help_text=_("What the editor asked for. Staff only: never shown to readers."),
    )
    updated_at = models.DateTimeField(
        _("updated"),
        null=True,
        blank=True,
        help_text=_("The public “Updated” time. Minor edits do not change it."),
    )
    # Weighted full-text document (headline A, dek B, body C), kept by save(); PostgreSQL only.
    search_document = SearchVectorField(null=True, editable=False)
    # Set on a copy of a live story that holds changes not yet published (never live itself).
    pending_for = models.ForeignKey(
        "self",
        verbose_name=_("pending changes to"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="pending_changes",
        editable=False,
        help_text=_("The live story these changes will replace when a publisher publishes them."),
    )
    # Pending changes: the live story's version they were made from. Publishing them merges
    # field by field against it, so nothing changed on the live story meanwhile is undone.
    pending_base_version = models.PositiveIntegerField(
        _("made from live version"), null=True, blank=True, editable=False
    )
    # The publisher's choice at the publish or schedule step, kept for the scheduled time.
    publish_without_email = models.BooleanField(
        _("publish without email"),
        default=False,
        editable=False,
        help_text=_("When set, publishing this story sends no newsletter email."),
    )
    # Part of every share link's signature: changing it revokes all outstanding links.
    preview_key = models.UUIDField(default=uuid.uuid4, editable=False)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        verbose_name = _("story")
        verbose_name_plural = _("stories")
        ordering = ["-publish_at", "-pk"]
        # Listings read live stories newest first (publish_at, then id as the tie-breaker):
        # each index ends with both, so "newest N" is a backward index scan that stops at N.
        # They carry unpublish_at too (PostgreSQL INCLUDE), so live() is decided in the index.
        indexes = [
            models.Index(
                fields=["status", "publish_at", "id"], include=["unpublish_at"],
                name="article_latest",
            ),
            models.Index(
                fields=["section", "status", "publish_at", "id"], include=["unpublish_at"],
                name="article_section",
            ),
            models.Index(
                fields=["series", "status", "publish_at", "id"], include=["unpublish_at"],
                name="article_series",
            ),
            # The desk's story list, newest change first (desk.story_list).
            models.Index(fields=["modified_at", "id"], name="article_desk_list"),
            # The next scheduled take-down (articles.schedule): few stories have one.
            models.Index(
                fields=["unpublish_at"], condition=Q(unpublish_at__isnull=False),
                name="article_unpublish",
            ),
        ]  # fmt: skip
        permissions = [
            ("change_any_article", "Can edit any story, in any state"),
            ("submit_article", "Can submit a story for edit"),
            ("approve_article", "Can approve a story or return it to the writer"),
            ("publish_article", "Can publish, schedule and unpublish stories"),
            ("archive_article", "Can archive stories"),
        ]

    def __str__(self) -> str:
        return self.headline

    def save(self, *args, **kwargs):
        # Whatever path writes a story (admin, import, shell), only allow-listed HTML is stored.
        self.body = richtext.sanitize(self.body)
        self.teaser = richtext.sanitize(self.teaser)
        super().save(*args, **kwargs)
        update_fields = kwargs.get("update_fields")
        searchable = {"headline", "dek", "body"}
        if connection.vendor == "postgresql" and (
            not update_fields or searchable & set(update_fields)
        ):
            Article.objects.filter(pk=self.pk).update(search_document=SEARCH_DOCUMENT)

    def get_absolute_url(self) -> str:
        return reverse("articles:detail", kwargs={"section": self.section.slug, "slug": self.slug})

    @property
    def display_status(self) -> str:
        """The status as editors think of it: a future published story is “Scheduled”."""
        if self.is_scheduled:
            return str(_("Scheduled"))
        if self.status == Status.PUBLISHED and not self.is_live():
            return str(_("Expired"))
        if self.pending_for_id:
            return str(_("Pending changes: %(status)s")) % {"status": self.get_status_display()}
        return self.get_status_display()

    @property
    def is_sponsored(self) -> bool:
        """Paid for or made with an outside organisation (Sponsored, Partner content)."""
        return self.article_type in SPONSORED_TYPES

    @property
    def sponsor_line(self) -> str:
        """Who paid, in the words lists use: “Paid for by Acme”, “In partnership with Acme”."""
        if not self.is_sponsored:
            return ""
        if self.article_type == ArticleType.PARTNER:
            return str(_("In partnership with %(sponsor)s")) % {"sponsor": self.sponsor_name}
        return str(_("Paid for by %(sponsor)s")) % {"sponsor": self.sponsor_name}

    def clean(self):
        super().clean()
        problem = sponsor_problem(self)
        if problem:
            raise ValidationError({"sponsor_name": problem})

    @property
    def label(self) -> str:
        """“Analysis | Europe”: the type and section line above the headline."""
        return f"{self.get_article_type_display()} | {self.section.name}"

    # The body, previews and extracts are cut out of the stored HTML with regexes, which can
    # leave an element open (a nested list, a link around a break); each goes through the
    # sanitiser again on the way out, so every fragment the templates mark safe is balanced
    # and cannot swallow or close the page's own markup.

    @property
    def body_html(self) -> str:
        """The body as readers see it (the “keep reading” break is only a marker)."""
        return richtext.sanitize(richtext.embeds_as_links(richtext.remove_breaks(self.body)))

    # What a list carries of each story, in characters of text: a listing page draws twenty
    # teasers, and one that carried every preview in full weighed several times its peers'.
    PREVIEW_CHARS, PREVIEW_PARAGRAPHS = 300, 2
    MORE_CHARS, MORE_PARAGRAPHS = 700, 3

    @property
    def preview_html(self) -> str:
        """The preview in lists: the teaser, else the body up to the break, else its first
        paragraphs; at most PREVIEW_CHARS characters (see `_previews`)."""
        return richtext.sanitize(richtext.demote_headings(self._previews()[0]))

    @property
    def extended_preview_html(self) -> str:
        """The longer preview that a teaser's "keep reading" control reveals in place: what
        follows the preview, at most MORE_PARAGRAPHS paragraphs and MORE_CHARS characters."""
        return richtext.sanitize(richtext.demote_headings(self._previews()[1]))

    def _previews(self) -> tuple[str, str]:
        """(preview, longer preview), before sanitising; worked out once for a given teaser
        and body (a teaser draws both: `_previews_of`). Each is cut at the end of a
        paragraph or sentence (richtext.cut), and figures are left out.

        The editor's teaser, or the body up to their "keep reading" break, is the preview
        however many paragraphs it has, as long as it is within PREVIEW_CHARS. A longer one
        is cut to that like the body is; what is cut of a text before the break opens the
        longer preview, what is cut of a teaser is not shown (the longer preview is the
        body's start, which the teaser summarises). Without either, the preview is the
        body's first PREVIEW_PARAGRAPHS paragraphs, within PREVIEW_CHARS."""
        return _previews_of(self.teaser, self.body)

    @property
    def description(self) -> str:
        """One plain sentence or two for meta descriptions and social cards."""
        return (
            self.seo_description
            or self.dek
            or richtext.plain_text(richtext.first_paragraphs(self.body, 1))[:300]
        )

    def cache_keys(self) -> set[str]:
        """What a write outside the services may have changed (the safety net): the pages
        showing the story, the listings it is in by its section and series, the schedule."""
        parent = Section.objects.filter(pk=self.section_id).values_list("parent_id", flat=True)
        keys = listing_keys(section=self.section_id, parent=parent.first(), series=self.series_id)
        return keys | {f"story-{self.pk}", SCHEDULE}

    def cache_expires_at(self) -> float | None:
        """A page showing this story is right until its takedown time at the latest."""
        unpublish_at = self.__dict__.get("unpublish_at")  # never a query when deferred
        return unpublish_at.timestamp() if unpublish_at else None


def sponsor_problem(article: Article) -> str:
    """Why this story cannot be saved as it is (a sponsored type without its sponsor), or ""."""
    if article.is_sponsored and not article.sponsor_name.strip():
        return str(
            _("Name the sponsor: “%(type)s” stories must say who paid for them.")
            % {"type": article.get_article_type_display()}
        )
    return ""


@lru_cache(maxsize=64)
def _previews_of(teaser: str, body: str) -> tuple[str, str]:
    """Article._previews for this teaser and body."""
    limits = Article
    flat = richtext.remove_breaks(body)
    if richtext.plain_text(teaser):
        preview = richtext.cut(teaser, chars=limits.PREVIEW_CHARS)[0]
        following = richtext.readable_blocks(flat)
    elif richtext.has_break(body):
        before, after = richtext.split_at_break(body)
        preview, rest = richtext.cut(richtext.readable_blocks(before), chars=limits.PREVIEW_CHARS)
        following = rest + richtext.readable_blocks(richtext.remove_breaks(after))
    else:
        preview, following = richtext.cut(
            richtext.readable_blocks(flat),
            chars=limits.PREVIEW_CHARS,
            paragraphs=limits.PREVIEW_PARAGRAPHS,
        )
    more = richtext.cut(following, chars=limits.MORE_CHARS, paragraphs=limits.MORE_PARAGRAPHS)
    return preview, more[0]
