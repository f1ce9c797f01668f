"""The image library: every picture on the site is an Image that carries its credit."""

import uuid

from django.apps import apps
from django.conf import settings
from django.core.files.storage import storages
from django.core.signals import setting_changed
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import LazyObject, empty
from django.utils.translation import gettext_lazy as _


def upload_to(instance: "Image", filename: str) -> str:
    # A random name: the uploader's file name can leak (and can be hostile).
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "jpg"
    return f"images/{uuid.uuid4().hex[:2]}/{uuid.uuid4().hex}.{extension}"


def original_upload_to(instance: "Image", filename: str) -> str:
    return f"originals/{uuid.uuid4().hex}"


class PrivateStorage(LazyObject):
    """settings.STORAGES["private"], looked up when first used (and again after tests change
    STORAGES), so originals follow the configuration like every other file."""

    def _setup(self):
        self._wrapped = storages["private"]


private = PrivateStorage()


@receiver(setting_changed)
def _reset_private_storage(*, setting, **kwargs):
    if setting == "STORAGES":
        private._wrapped = empty


def private_storage():
    return private


class Image(models.Model):
    """A photo or illustration in the library, with the credit its agency requires."""

    # Readers see it: a save or delete may take something away from them
    # (caching.invalidation); pages that draw one name it `image-<pk>` (caching.keys).
    reader_change_on_save = "hard"
    cache_key_prefix = "image"

    # The clean copy readers get (upright, no metadata); made by media.services from an upload.
    file = models.ImageField(_("file"), upload_to=upload_to)
    title = models.CharField(
        _("title"), max_length=255, blank=True, help_text=_("For finding it in the library.")
    )
    alt_text = models.CharField(
        _("alt text"),
        max_length=400,
        blank=True,
        help_text=_("Describes the picture for readers who cannot see it. Required to publish."),
    )
    caption = models.TextField(
        _("caption"),
        blank=True,
        help_text=_("Shown under the picture. A story can override it for its lead image."),
    )
    credit = models.CharField(
        _("credit"),
        max_length=255,
        blank=True,
        help_text=_(
            "Exactly as the agency requires, e.g. “Alex Edelman/Pool via REUTERS”. "
            "Shown next to the caption wherever the picture appears."
        ),
    )
    source = models.CharField(
        _("source"),
        max_length=255,
        blank=True,
        help_text=_("Where the picture came from (agency, photographer, handout)."),
    )
    licence = models.CharField(
        _("rights and licence"),
        max_length=255,
        blank=True,
        help_text=_("The terms we may use it under, e.g. “Reuters subscription”, “CC BY 4.0”."),
    )
    copyright_notice = models.CharField(
        _("copyright"),
        max_length=255,
        blank=True,
        help_text=_("The copyright line, e.g. “© Reuters 2026”. Prefilled from the photo."),
    )
    usable_until = models.DateField(
        _("usable until"),
        null=True,
        blank=True,
        help_text=_(
            "When our right to show it ends. After this date readers see a neutral "
            "placeholder instead, and the image is listed under “Rights expired”."
        ),
    )
    focal_x = models.FloatField(
        _("focal point, across"),
        default=0.5,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
        help_text=_("0 is the left edge, 1 the right. Click the preview to set it."),
    )
    focal_y = models.FloatField(
        _("focal point, down"),
        default=0.5,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
        help_text=_("0 is the top edge, 1 the bottom."),
    )
    original = models.FileField(
        _("original upload"),
        upload_to=original_upload_to,
        storage=private_storage,
        blank=True,
        editable=False,
        help_text=_("The file exactly as uploaded, with its metadata. Never served."),
    )
    width = models.PositiveIntegerField(_("width"), null=True, editable=False)
    height = models.PositiveIntegerField(_("height"), null=True, editable=False)
    file_size = models.PositiveBigIntegerField(_("file size"), null=True, editable=False)
    content_hash = models.CharField(
        _("content hash"), max_length=64, blank=True, editable=False, db_index=True
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("image")
        verbose_name_plural = _("images")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title or self.caption[:60] or self.file.name

    def get_absolute_url(self) -> str:
        return reverse("admin:media_image_change", args=[self.pk])

    def is_usable(self, today=None) -> bool:
        """Whether readers may still see it (rights not expired)."""
        return self.usable_until is None or self.usable_until >= (today or timezone.localdate())

    def problems_for_publishing(self) -> list[str]:
        """What this image lacks before it may appear in a story that is being published."""
        missing = [
            label for label, value in (("alt text", self.alt_text), ("a credit", self.credit))
            if not value.strip()
        ]  # fmt: skip
        return [f"needs {' and '.join(missing)}"] if missing else []

    def usages(self) -> list[str]:
        """Where this image is used: descriptions an editor can act on before deleting it."""
        # By name, not by import: the story models import this module (media is below them).
        article, author, series = (
            apps.get_model(label) for label in ("articles.Article", "articles.Author",
                                                "sections.Series")
        )  # fmt: skip
        uses = [f"lead image of “{a}”" for a in article.objects.filter(lead_image=self)]
        uses += [f"social image of “{a}”" for a in article.objects.filter(social_image=self)]
        if self.file:
            uses += [f"body of “{a}”" for a in article.objects.filter(body__contains=self.file.url)]
        uses += [f"photo of {a}" for a in author.objects.filter(photo=self)]
        uses += [f"image of the series {s}" for s in series.objects.filter(image=self)]
        if apps.get_model("newsroom.SiteSettings").objects.filter(logo=self).exists():
            uses.append("the newsroom's logo (site settings)")
        return uses


class Rendition(models.Model):
    """A stored crop of an image at one width and format. Made when the image is uploaded or
    its focal point changes (media.renditions), never while a reader waits."""

    # Saving one changes how pages look, takes nothing away (caching.invalidation).
    reader_change_on_save = "soft"

    image = models.ForeignKey(Image, on_delete=models.CASCADE, related_name="renditions")
    kind = models.CharField(max_length=20)
    format = models.CharField(max_length=10)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    file = models.ImageField(upload_to="renditions/", max_length=255)
    file_size = models.PositiveIntegerField()

    class Meta:
        ordering = ["kind", "format", "width"]
        constraints = [
            models.UniqueConstraint(
                fields=["image", "kind", "format", "width"], name="one_rendition_per_size"
            )
        ]

    def __str__(self) -> str:
        return f"{self.image_id} {self.kind} {self.width}w {self.format}"

    @property
    def url(self) -> str:
        return self.file.url

    def cache_keys(self) -> set[str]:
        return {f"image-{self.image_id}"}
