"""Site-wide settings that editors change in the admin, not in code."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from solo.models import SingletonModel

from caching.keys import once


class SiteSettings(SingletonModel):
    """The site's name, tagline and “Follow us on social” links: one row, edited in the admin."""

    # Saving one changes every page, takes nothing away (caching.invalidation: the whole site).
    reader_change_on_save = "soft"

    site_name = models.CharField(_("site name"), max_length=100, default="The Newsroom")
    tagline = models.CharField(
        _("tagline"), max_length=200, blank=True, help_text=_("Shown under the site name.")
    )
    newsletter_url = models.URLField(
        _("newsletter link"),
        blank=True,
        help_text=_(
            "Where the “Newsletter” button leads, if not to this site's own newsletters page."
        ),
    )
    x_url = models.URLField(_("X profile"), blank=True)
    bluesky_url = models.URLField(_("Bluesky profile"), blank=True)
    facebook_url = models.URLField(_("Facebook page"), blank=True)
    linkedin_url = models.URLField(_("LinkedIn page"), blank=True)
    youtube_url = models.URLField(_("YouTube channel"), blank=True)
    instagram_url = models.URLField(_("Instagram profile"), blank=True)
    # What a story's type says to readers beyond its label (articles: story types).
    opinion_note = models.CharField(
        _("note on opinion pieces"),
        max_length=300,
        blank=True,
        default="Opinion pieces reflect the author's views.",
        help_text=_("Shown under the byline of every Opinion story. Leave empty to show none."),
    )
    analysis_note = models.CharField(
        _("note on analysis"),
        max_length=300,
        blank=True,
        default="Analysis interprets the news, drawing on the author's expertise and reporting.",
        help_text=_("Shown under the byline of every Analysis story. Leave empty to show none."),
    )
    sponsored_disclosure = models.CharField(
        _("disclosure on sponsored stories"),
        max_length=300,
        blank=True,
        default="Paid for by {sponsor}. The newsroom's journalists were not involved.",
        help_text=_(
            "Shown on every Sponsored and Partner content story, in feeds and emails; "
            "{sponsor} is replaced by the sponsor's name. Left empty: “Paid for by …”."
        ),
    )

    class Meta:
        verbose_name = _("site settings")
        verbose_name_plural = _("site settings")

    def __str__(self) -> str:
        return str(_("Site settings"))

    # django-solo keeps this row in the cache (which answers "nothing stored" when it is
    # down: django-redis's IGNORE_EXCEPTIONS); a page reads it once however often it asks.
    @classmethod
    def get_solo(cls):
        return once("site-settings", super().get_solo)

    def type_note(self, article_type: str) -> str:
        """The standard note shown with a story of this type ("" for most types)."""
        return {"opinion": self.opinion_note, "analysis": self.analysis_note}.get(article_type, "")

    def disclosure(self, sponsor: str) -> str:
        """The disclosure line of a sponsored story: “Paid for by Acme. …”."""
        wording = self.sponsored_disclosure or "Paid for by {sponsor}."
        return wording.replace("{sponsor}", sponsor)

    @property
    def social_links(self) -> list[tuple[str, str]]:
        """(network, url) for each profile set, in a stable order, for “Follow us on social”."""
        links = [
            ("X", self.x_url),
            ("Bluesky", self.bluesky_url),
            ("Facebook", self.facebook_url),
            ("LinkedIn", self.linkedin_url),
            ("YouTube", self.youtube_url),
            ("Instagram", self.instagram_url),
        ]
        return [(name, url) for name, url in links if url]
