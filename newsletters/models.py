"""Newsletters: what readers subscribe to, who subscribed (with their consent), the issues the
desk sends, and one delivery row per issue and subscriber, which is what makes sending
idempotent and resumable (a subscriber gets an issue at most once: docs/newsletters.md)."""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

# The sign-up forms on story, series and section pages (newsletters.subscribing).
SIGNUP_KEY = "newsletters"


class Source(models.TextChoices):
    SERIES = "series", _("A series")
    SECTION = "section", _("A section")
    SITE = "site", _("The whole site")


class Cadence(models.TextChoices):
    EACH = "each", _("Each new story as it is published")
    DAILY = "daily", _("A daily digest")
    WEEKLY = "weekly", _("A weekly digest")


class Newsletter(models.Model):
    """A list readers subscribe to, fed by a series, a section or the whole site."""

    # Its name and description are on the sign-up forms and the archive. (caching.invalidation)
    reader_change_on_save = "soft"
    cache_key_prefix = "newsletter"

    name = models.CharField(_("name"), max_length=100, help_text=_("As readers see it."))
    slug = models.SlugField(
        _("slug"),
        unique=True,
        help_text=_("Its archive lives at /newsletters/ followed by the slug."),
    )
    description = models.TextField(
        _("description"), blank=True, help_text=_("Shown on the sign-up forms and the archive.")
    )
    sender_name = models.CharField(_("sender name"), max_length=100)
    sender_email = models.EmailField(_("sender address"))
    reply_to = models.EmailField(
        _("reply-to address"),
        blank=True,
        help_text=_("Where readers' replies go, if not to the sender."),
    )
    source = models.CharField(
        _("fed by"), max_length=10, choices=Source.choices, default=Source.SERIES
    )
    series = models.ForeignKey(
        "sections.Series",
        verbose_name=_("series"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="newsletters",
    )
    section = models.ForeignKey(
        "sections.Section",
        verbose_name=_("section"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="newsletters",
    )
    cadence = models.CharField(
        _("how often"), max_length=10, choices=Cadence.choices, default=Cadence.EACH
    )
    send_time = models.TimeField(
        _("send time"),
        null=True,
        blank=True,
        help_text=_("For digests: the local time the digest goes out."),
    )
    weekday = models.PositiveSmallIntegerField(
        _("weekday"),
        null=True,
        blank=True,
        choices=[
            (i, d)
            for i, d in enumerate(
                [
                    _("Monday"),
                    _("Tuesday"),
                    _("Wednesday"),
                    _("Thursday"),
                    _("Friday"),
                    _("Saturday"),
                    _("Sunday"),
                ]
            )
        ],  # fmt: skip
        help_text=_("For weekly digests: the day it goes out."),
    )
    send_automatically = models.BooleanField(
        _("send by itself"),
        default=False,
        help_text=_(
            "Send each issue as soon as it is ready; otherwise it waits in the desk as a draft."
        ),
    )
    include_sponsored = models.BooleanField(
        _("include sponsored stories"),
        default=False,
        help_text=_(
            "Email Sponsored and Partner content stories too. Left off, they are never "
            "sent by this newsletter, alone or in a digest."
        ),
    )
    is_active = models.BooleanField(
        _("active"),
        default=True,
        help_text=_("Inactive newsletters take no new subscribers and send nothing."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("newsletter")
        verbose_name_plural = _("newsletters")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("newsletters:archive", kwargs={"slug": self.slug})

    def cache_keys(self) -> set[str]:
        """Its archive, and the sign-up forms that may offer it (a new one too)."""
        return {f"newsletter-{self.pk}", SIGNUP_KEY}


class Subscriber(models.Model):
    """One email address. Never mailed a newsletter before it confirms; suppressed for good
    after a bounce, a complaint or an SMTP 5xx."""

    # Readers never see who subscribed. (caching.invalidation)
    reader_change_on_save = "nothing"

    email = models.EmailField(_("email address"), unique=True)
    created_at = models.DateTimeField(_("first sign-up"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    confirmation_sent_at = models.DateTimeField(
        _("last confirmation email"), null=True, blank=True,
        help_text=_("At most one confirmation email an hour goes to an address."),
    )  # fmt: skip
    suppressed_at = models.DateTimeField(_("suppressed"), null=True, blank=True)
    suppressed_reason = models.CharField(_("why suppressed"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("subscriber")
        verbose_name_plural = _("subscribers")

    def __str__(self) -> str:
        return self.email


class Subscription(models.Model):
    """A subscriber's consent to one newsletter: when, from which form."""

    # Readers never see who subscribed. (caching.invalidation)
    reader_change_on_save = "nothing"

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting for confirmation")
        ACTIVE = "active", _("Subscribed")
        UNSUBSCRIBED = "unsubscribed", _("Unsubscribed")

    subscriber = models.ForeignKey(
        Subscriber, on_delete=models.CASCADE, related_name="subscriptions"
    )
    newsletter = models.ForeignKey(
        Newsletter, on_delete=models.CASCADE, related_name="subscriptions"
    )
    state = models.CharField(max_length=15, choices=State.choices, default=State.PENDING)
    requested_at = models.DateTimeField(_("asked for"), auto_now_add=True)
    source = models.CharField(
        _("form"),
        max_length=200,
        blank=True,
        help_text=_("Where the reader asked: the page's address."),
    )
    confirmed_at = models.DateTimeField(_("consent given"), null=True, blank=True)
    unsubscribed_at = models.DateTimeField(_("unsubscribed"), null=True, blank=True)
    unsubscribed_after = models.ForeignKey(
        "Issue", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        help_text=_("The issue whose link the reader unsubscribed from, if any."),
    )  # fmt: skip

    class Meta:
        verbose_name = _("subscription")
        verbose_name_plural = _("subscriptions")
        constraints = [
            models.UniqueConstraint(
                fields=["subscriber", "newsletter"], name="one_subscription_per_newsletter"
            )
        ]
        indexes = [models.Index(fields=["newsletter", "state"], name="subscription_list")]

    def __str__(self) -> str:
        return f"{self.subscriber} → {self.newsletter} ({self.get_state_display()})"


class Issue(models.Model):
    """One mailing of a newsletter, with its public web version in the archive."""

    # A sent issue is in the public archive. (caching.invalidation)
    reader_change_on_save = "soft"

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SCHEDULED = "scheduled", _("Scheduled")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")

    newsletter = models.ForeignKey(Newsletter, on_delete=models.PROTECT, related_name="issues")
    number = models.PositiveIntegerField(_("number"), help_text=_("Its number in the archive."))
    subject = models.CharField(_("subject"), max_length=200)
    intro = models.TextField(
        _("intro"), blank=True, help_text=_("An editor's note above the stories (optional).")
    )
    state = models.CharField(max_length=10, choices=State.choices, default=State.DRAFT)
    send_at = models.DateTimeField(_("send at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    sending_started_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    stories = models.ManyToManyField(
        "articles.Article", through="IssueStory", related_name="newsletter_issues"
    )

    class Meta:
        verbose_name = _("newsletter issue")
        verbose_name_plural = _("newsletter issues")
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["newsletter", "number"], name="issue_number")
        ]

    def __str__(self) -> str:
        return f"{self.newsletter} No. {self.number}: {self.subject}".replace(
            f": {self.newsletter}: ", ": ", 1
        )

    def get_absolute_url(self) -> str:
        return reverse(
            "newsletters:issue", kwargs={"slug": self.newsletter.slug, "number": self.number}
        )

    def cache_keys(self) -> set[str]:
        """Its newsletter's archive pages."""
        return {f"newsletter-{self.newsletter_id}"}


class IssueStory(models.Model):
    # Which stories a sent issue shows in the archive. (caching.invalidation)
    reader_change_on_save = "soft"
    issue = models.ForeignKey(Issue, on_delete=models.CASCADE, related_name="items")
    article = models.ForeignKey("articles.Article", on_delete=models.CASCADE, related_name="+")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["issue", "article"], name="story_once_per_issue")
        ]

    def __str__(self) -> str:
        return f"{self.issue}: {self.article}"


class Delivery(models.Model):
    """An issue to one subscriber. Created before anything is sent; the unique pair is what
    makes a send at most once per subscriber, and a restarted send resume where it stopped."""

    # Sending bookkeeping: never on a page. (caching.invalidation)
    reader_change_on_save = "nothing"

    class State(models.TextChoices):
        # Waiting for its turn, or claimed by a run (claim, claimed_at) while it goes out.
        QUEUED = "queued", _("Queued")
        # Accepted by the mail server (its answer to the message's end, or the ESP's).
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        BOUNCED = "bounced", _("Bounced")
        # Unsubscribed, suppressed or erased between the start of the send and its turn.
        SKIPPED = "skipped", _("Skipped")

    issue = models.ForeignKey(Issue, on_delete=models.CASCADE, related_name="deliveries")
    subscriber = models.ForeignKey(
        Subscriber, null=True, on_delete=models.SET_NULL, related_name="deliveries"
    )
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    message_id = models.CharField(max_length=255, blank=True, db_index=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)
    # A worker's claim on a queued delivery (newsletters.sending): the batch's token and when
    # it was taken. A claim older than NEWSLETTER_CLAIM_TIMEOUT is a dead worker's.
    claim = models.CharField(max_length=32, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    # After a temporary refusal (SMTP 4xx): not tried again before this time.
    not_before = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name_plural = _("deliveries")
        constraints = [
            models.UniqueConstraint(fields=["issue", "subscriber"], name="one_delivery_each")
        ]
        indexes = [models.Index(fields=["issue", "state"], name="delivery_progress")]

    def __str__(self) -> str:
        return f"{self.issue} → {self.subscriber} ({self.get_state_display()})"
