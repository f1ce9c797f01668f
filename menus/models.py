"""The site's header navigation and footer links, edited on the desk: a fixed set of menus
(header, footer), each an ordered list of links to a section, a page, an address, or the
sections marked “show in navigation”."""

import re

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from caching.keys import SITE


class Place(models.TextChoices):
    HEADER = "header", _("Header navigation")
    FOOTER = "footer", _("Footer links")


# A path on this site: one leading slash (two would be another host, "//evil.example"), no
# backslash (browsers read it as a slash) and no spaces or control characters.
_SITE_PATH = re.compile(r"/(?![/\\])[^\s\\\x00-\x1f\x7f]*\Z")
_WEB_ADDRESS = URLValidator(schemes=["http", "https"])
URL_HELP = _(
    "An address on the web (https://…) or on this site, from its root (/search/). "
    "Nothing else is linked: javascript:, data: and the like are refused."
)


def validate_menu_url(value: str) -> None:
    """A web address (http, https) or a path on this site; nothing a browser would run."""
    if _SITE_PATH.match(value):
        return
    message = _(
        "“%(url)s” is not a link a menu may hold: give a web address starting with https:// "
        "(or http://), or an address on this site starting with a single /, such as /search/."
    )
    try:
        _WEB_ADDRESS(value)  # the scheme first: javascript:, data:, vbscript: fail here
    except ValidationError:
        raise ValidationError(message, code="invalid", params={"url": value[:80]}) from None


class Menu(models.Model):
    """One of the site's menus; there is one of each place, made by a migration."""

    # Every page shows both menus: a change to one is a change to the whole site, which takes
    # nothing away that a reader may not see (caching.invalidation).
    reader_change_on_save = "soft"
    cache_key_prefix = "menu"

    name = models.CharField(
        _("place"),
        max_length=20,
        choices=Place,
        unique=True,
        help_text=_("Where on every page the menu is shown."),
    )

    class Meta:
        verbose_name = _("menu")
        verbose_name_plural = _("menus")
        ordering = ["name"]

    def __str__(self) -> str:
        return str(self.get_name_display())

    def cache_keys(self) -> set[str]:
        return {SITE}


class MenuItem(models.Model):
    """One link of a menu: to a section, a page, an address, or every navigation section."""

    reader_change_on_save = "soft"  # on every page, as its menu (Menu.cache_keys)

    menu = models.ForeignKey(
        Menu, verbose_name=_("menu"), on_delete=models.CASCADE, related_name="items"
    )
    order = models.PositiveSmallIntegerField(
        _("order"), default=0, help_text=_("Lower numbers come first.")
    )
    label = models.CharField(
        _("label"),
        max_length=100,
        blank=True,
        help_text=_("What readers see; leave it empty for the section's name or page's title."),
    )
    section = models.ForeignKey(
        "sections.Section",
        verbose_name=_("section"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("Link to this section's page."),
    )
    page = models.ForeignKey(
        "pages.Page",
        verbose_name=_("page"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_(
            "Link to one of the newsroom's pages. A page that is not live (a draft, "
            "scheduled, unpublished) stays out of the menu until it is."
        ),
    )
    url = models.CharField(
        _("address"),
        max_length=500,
        blank=True,
        validators=[validate_menu_url],
        help_text=URL_HELP,
    )
    navigation_sections = models.BooleanField(
        _("sections in navigation"),
        default=False,
        help_text=_(
            "All top-level sections marked “show in navigation”, in their order; a new one "
            "appears here by itself."
        ),
    )

    class Meta:
        verbose_name = _("link")
        verbose_name_plural = _("links")
        ordering = ["menu", "order", "pk"]

    def __str__(self) -> str:
        if self.label:
            return self.label
        if self.navigation_sections:
            return str(_("Sections in navigation"))
        return str(self.section or self.page or self.url)

    def cache_keys(self) -> set[str]:
        return {SITE}

    def targets(self) -> list[str]:
        """The names of the targets set, as the form shows them."""
        chosen = [
            ("section", self.section_id is not None),
            ("page", self.page_id is not None),
            ("url", bool(self.url)),
            ("navigation_sections", self.navigation_sections),
        ]
        return [name for name, is_set in chosen if is_set]

    def clean(self):
        targets = self.targets()
        if not targets:
            raise ValidationError(
                _(
                    "Choose what the link leads to: a section, a page, an address, or the "
                    "sections in navigation."
                ),
                code="no_target",
            )
        if len(targets) > 1:
            names = ", ".join(str(self._meta.get_field(name).verbose_name) for name in targets)
            raise ValidationError(
                _("A link leads to one place only; this one has several: %(names)s. Keep one."),
                code="several_targets",
                params={"names": names},
            )
        if self.url and not self.label.strip():
            raise ValidationError(
                {"label": _("An address has no name of its own: give the link a label.")},
                code="no_label",
            )
