from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


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
    )
    x_url = models.URLField(_("X profile"), blank=True)
    bluesky_url = models.URLField(_("Bluesky profile"), blank=True)
    linkedin_url = models.URLField(_("LinkedIn profile"), blank=True)
    email = models.EmailField(_("public email"), blank=True)
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
