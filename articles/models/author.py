from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


def _listed(text: str) -> list[str]:
    """A comma-separated field as its items, trimmed, empty ones dropped."""
    return [item.strip() for item in text.split(",") if item.strip()]


class Author(models.Model):
    """A person in a byline: staff (linked to a user) or a guest contributor (no user)."""

    # Saving one changes how pages look, takes nothing away (caching.invalidation).
    reader_change_on_save = "soft"
    cache_key_prefix = "author"

    name = models.CharField(_("name"), max_length=150)
    slug = models.SlugField(_("slug"), unique=True, help_text=_("The author page's URL."))
    job_title = models.CharField(
        _("job title"),
        max_length=150,
        blank=True,
        help_text=_("Shown on the author page, e.g. “Senior Editor”."),
    )
    bio = models.TextField(
        _("bio"), blank=True, help_text=_("A few plain sentences shown on the author page.")
    )
    photo = models.ForeignKey(
        "media.Image",
        verbose_name=_("photo"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("A portrait from the library; its credit is shown under it."),
    )
    expertise = models.CharField(
        _("expertise"),
        max_length=300,
        blank=True,
        help_text=_(
            "What the author knows about, separated by commas, e.g. “arms control, NATO, "
            "the Gulf states”. Listed on the author page and read by search engines."
        ),
    )
    languages = models.CharField(
        _("languages"),
        max_length=200,
        blank=True,
        help_text=_("Languages the author works in, separated by commas, e.g. “English, Arabic”."),
    )
    x_url = models.URLField(_("X profile"), blank=True)
    bluesky_url = models.URLField(_("Bluesky profile"), blank=True)
    linkedin_url = models.URLField(_("LinkedIn profile"), blank=True)
    mastodon_url = models.URLField(
        _("Mastodon profile"), blank=True, help_text=_("The full address of the profile page.")
    )
    email = models.EmailField(
        _("public email"),
        blank=True,
        help_text=_("Shown to readers on the author page. Leave empty to keep it private."),
    )
    contact_email = models.EmailField(
        _("private contact email"),
        blank=True,
        help_text=_(
            "Never shown to readers: messages sent through the site's contact form to this "
            "author go here. With no public email, the author page offers the form."
        ),
    )
    website = models.URLField(_("website"), blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("staff account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="author",
        help_text=_("Leave empty for guest contributors."),
    )

    class Meta:
        verbose_name = _("author")
        verbose_name_plural = _("authors")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("authors:detail", kwargs={"slug": self.slug})

    @property
    def expertise_list(self) -> list[str]:
        return _listed(self.expertise)

    @property
    def language_list(self) -> list[str]:
        return _listed(self.languages)

    @property
    def profiles(self) -> list[tuple[str, str]]:
        """The author's public profiles elsewhere, as (name, URL): links and JSON-LD sameAs."""
        named = [
            ("X", self.x_url),
            ("Bluesky", self.bluesky_url),
            ("Mastodon", self.mastodon_url),
            ("LinkedIn", self.linkedin_url),
            ("Website", self.website),
        ]
        return [(name, url) for name, url in named if url]


class ProfileChange(models.Model):
    """A change to an author profile proposed by its own contributor, held until an editor
    approves it (articles.services.authors); readers see the approved profile meanwhile.

    `before` and `after` hold only the fields the contributor changed, as they were when
    proposed and as proposed: approving applies `after` to those fields alone."""

    # Readers never see a proposal: saving one changes no public page (caching.invalidation).
    reader_change_on_save = "nothing"

    class State(models.TextChoices):
        PENDING = "pending", _("waiting for approval")
        APPROVED = "approved", _("approved")
        REJECTED = "rejected", _("rejected")

    author = models.ForeignKey(
        Author, verbose_name=_("author"), on_delete=models.CASCADE, related_name="changes"
    )
    before = models.JSONField(_("fields before"), default=dict)
    after = models.JSONField(_("fields as proposed"), default=dict)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("proposed by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    proposed_at = models.DateTimeField(_("proposed"), auto_now_add=True)
    state = models.CharField(_("state"), max_length=10, choices=State, default=State.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    comment = models.TextField(
        _("comment"), blank=True, help_text=_("Why it was rejected, for the author.")
    )

    class Meta:
        verbose_name = _("profile change")
        verbose_name_plural = _("profile changes")
        ordering = ["proposed_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["author"],
                condition=models.Q(state="pending"),
                name="one_pending_profile_change",
            )
        ]

    def __str__(self) -> str:
        return f"Profile change for {self.author}"
