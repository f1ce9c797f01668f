"""Site-wide settings that editors change in the admin, not in code."""

from django.db import models
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from solo.models import SingletonModel

from caching.keys import once


def _policy_page(label, what: str):
    """A setting naming which of our pages is one of the newsroom's policies."""
    return models.ForeignKey(
        "pages.Page",
        verbose_name=label,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=format_lazy(
            "{} {}",
            what,
            _("Search engines are told of it once the page is published."),
        ),
    )


class SiteSettings(SingletonModel):
    """The site's name, tagline and “Follow us on social” links: one row, edited in the admin."""

    # Saving one changes every page, takes nothing away (caching.invalidation: the whole site).
    reader_change_on_save = "soft"

    site_name = models.CharField(_("site name"), max_length=100, default="The Newsroom")
    tagline = models.CharField(
        _("tagline"), max_length=200, blank=True, help_text=_("Shown under the site name.")
    )
    contact_email = models.EmailField(
        _("contact address"),
        blank=True,
        help_text=_(
            "Where messages, tips and error reports sent through the contact form are "
            "mailed. Readers never see it; every message is also kept in the desk under "
            "“Reader messages”, mailed or not."
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

    # The organisation as search engines and platforms read it (newsroom/organization.py:
    # NewsMediaOrganization JSON-LD on every page).
    legal_name = models.CharField(
        _("legal name"),
        max_length=200,
        blank=True,
        help_text=_("The registered name of the company or charity, if not the site name."),
    )
    founding_date = models.DateField(
        _("founded"),
        null=True,
        blank=True,
        help_text=_("When the newsroom was founded; search engines show it with its name."),
    )
    logo = models.ForeignKey(
        "media.Image",
        verbose_name=_("logo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_(
            "The newsroom's logo from the picture library, for search engines (at least "
            "112 pixels wide). Without it they get the site's standard logo."
        ),
    )

    # The Trust Project's policies, as schema.org names them: each one a page of ours. Search
    # engines are told of a page only while it is live, so a draft policy never leaks.
    masthead_page = _policy_page(_("masthead"), _("Who edits the newsroom and who owns it."))
    publishing_principles_page = _policy_page(
        _("publishing principles"), _("The standards the newsroom's journalism follows.")
    )
    ethics_policy_page = _policy_page(
        _("ethics policy"), _("How reporters and editors avoid conflicts of interest.")
    )
    corrections_policy_page = _policy_page(
        _("corrections policy"),
        _("How we correct our mistakes. The corrections page and every corrected story link it."),
    )
    ownership_funding_page = _policy_page(
        _("ownership and funding"), _("Who owns the newsroom and where its money comes from.")
    )
    diversity_policy_page = _policy_page(
        _("diversity policy"), _("How the newsroom seeks diverse voices and staff.")
    )
    unnamed_sources_policy_page = _policy_page(
        _("unnamed sources policy"), _("When the newsroom quotes a source without naming them.")
    )
    verification_policy_page = _policy_page(
        _("fact-checking policy"), _("How facts are verified before publication.")
    )
    feedback_policy_page = _policy_page(
        _("feedback policy"), _("How readers can reach the newsroom and what happens next.")
    )
    coverage_priorities_page = _policy_page(
        _("mission and coverage priorities"), _("What the newsroom covers, and why.")
    )
    no_bylines_policy_page = _policy_page(
        _("no-bylines policy"), _("Why some stories carry no author's name.")
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
