"""Where stories live on the site: sections (Regions > Europe) and recurring series."""

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from caching.keys import SITE

from . import addresses


def validate_section_slug(value: str) -> None:
    """A section's slug is the first part of its stories' URLs: not one the site uses."""
    if addresses.used_by_site(value):
        raise ValidationError(_("“%(slug)s” is used by the site itself."), params={"slug": value})


class SectionManager(models.Manager):
    def get_queryset(self):
        # A section's name reads "Regions › Europe": always fetch the parent with it.
        return super().get_queryset().select_related("parent")


class Section(models.Model):
    """A desk or region a story belongs to; shown as the label above headlines."""

    # Saving one changes how pages look, takes nothing away (caching.invalidation). Sections
    # are in the navigation of every page: a change to one is a change to the whole site.
    reader_change_on_save = "soft"
    cache_key_prefix = "section"

    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(
        _("slug"),
        unique=True,
        validators=[validate_section_slug],
        help_text=_("The first part of every story URL in this section."),
    )
    description = models.TextField(
        _("description"), blank=True, help_text=_("Shown at the top of the section page.")
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent section"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        help_text=_("For subsections, e.g. Europe under Regions."),
    )
    order = models.PositiveSmallIntegerField(
        _("order"), default=0, help_text=_("Lower numbers come first in the navigation.")
    )
    show_in_navigation = models.BooleanField(
        _("show in navigation"), default=True, help_text=_("List it in the site's main menu.")
    )

    objects = SectionManager()

    class Meta:
        verbose_name = _("section")
        verbose_name_plural = _("sections")
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return f"{self.parent.name} › {self.name}" if self.parent_id else self.name

    def get_absolute_url(self) -> str:
        return reverse("sections:detail", kwargs={"slug": self.slug})

    def clean(self):
        ancestor = self.parent
        while ancestor is not None:
            if ancestor.pk == self.pk:
                raise ValidationError({"parent": _("A section cannot be inside itself.")})
            ancestor = ancestor.parent
        # A top-level page at /<slug>/ would be shadowed by the section's stories' URLs.
        problem = addresses.clash(self.slug, section_pk=self.pk) if self.slug else None
        if problem:
            raise ValidationError({"slug": problem})

    def cache_keys(self) -> set[str]:
        return {SITE}


class Series(models.Model):
    """A recurring column such as “Diplomacy Watch”; its installments are its stories."""

    # Saving one changes how pages look, takes nothing away (caching.invalidation).
    reader_change_on_save = "soft"
    cache_key_prefix = "series"

    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(_("slug"), unique=True)
    description = models.TextField(
        _("description"),
        blank=True,
        help_text=_("Shown on the series page and in the series box on each installment."),
    )
    image = models.ForeignKey(
        "media.Image",
        verbose_name=_("image"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    cadence = models.CharField(
        _("cadence"),
        max_length=50,
        blank=True,
        help_text=_("How often it appears, as readers see it, e.g. “Every Friday”."),
    )
    is_active = models.BooleanField(
        _("active"), default=True, help_text=_("Inactive series stay online but are not promoted.")
    )

    class Meta:
        verbose_name = _("series")
        verbose_name_plural = _("series")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("series:detail", kwargs={"slug": self.slug})
