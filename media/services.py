"""Putting uploads into the library: one path for the library form and the story editor."""

from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils.html import format_html

from .models import Image
from .renditions import build_renditions
from .uploads import Inspected, credit_line, dimensions, served_master


class DuplicateImage(ValidationError):
    """The same file is already in the library; `existing` is the image to use instead."""

    def __init__(self, existing: Image):
        self.existing = existing
        super().__init__(
            format_html(
                'This picture is already in the library: <a href="{}">{}</a>. Use that one.',
                reverse("admin:media_image_change", args=[existing.pk]),
                existing,
            ),
            code="duplicate",
        )


def find_duplicate(inspected: Inspected, *, exclude_pk: int | None = None) -> Image | None:
    return Image.objects.filter(content_hash=inspected.sha256).exclude(pk=exclude_pk).first()


def attach_upload(image: Image, inspected: Inspected, *, filename: str) -> Image:
    """Give `image` a newly uploaded file: the untouched original kept privately, a clean
    upright copy to serve, size and hash, and any empty caption, credit, source or copyright
    filled from the photo's own IPTC/XMP metadata. Does not save the row."""
    master, extension = served_master(inspected)
    meta = inspected.metadata
    image.title = image.title or PurePath(filename).stem.replace("_", " ")[:255]
    image.caption = image.caption or meta.get("caption", "")
    image.credit = image.credit or credit_line(meta)[:255]
    image.source = image.source or meta.get("source", "")[:255]
    image.copyright_notice = image.copyright_notice or meta.get("copyright", "")[:255]
    image.content_hash = inspected.sha256
    image.file_size = len(master)
    image.width, image.height = dimensions(master)  # upright, as readers get it
    image.original.save("original", ContentFile(inspected.data), save=False)
    image.file.save(f"image.{extension}", ContentFile(master), save=False)
    return image


def create_from_upload(*, inspected: Inspected, filename: str, user, **fields) -> Image:
    """A new library image from an inspected upload; refuses a file already in the library."""
    existing = find_duplicate(inspected)
    if existing:
        raise DuplicateImage(existing)
    image = Image(uploaded_by=user, **fields)
    try:
        with transaction.atomic():
            attach_upload(image, inspected, filename=filename)
            image.save()
    except Exception:
        delete_files(image)  # no half-saved image: no row without files, no files without a row
        raise
    if settings.IMAGE_RENDITIONS_ON_UPLOAD:
        build_renditions(image)
    return image


def delete_files(image: Image) -> None:
    for field in (image.file, image.original):
        if field and field.name and field.storage.exists(field.name):
            field.storage.delete(field.name)


def image_for_upload(*, inspected: Inspected, filename: str, user, **fields) -> Image:
    """The library image for this file: a new one, or the one already holding it."""
    try:
        return create_from_upload(inspected=inspected, filename=filename, user=user, **fields)
    except DuplicateImage as duplicate:
        return duplicate.existing


def credited_image_for_upload(
    *,
    inspected: Inspected,
    filename: str,
    user,
    credit: str,
    caption: str = "",
    alt_text: str = "",
    title: str = "",
) -> tuple[Image, bool]:
    """The library image for a picture uploaded in the story editor, with its credit:
    (image, existing). A file already in the library is reused; what it lacks (credit, alt
    text, caption) is filled from what the writer typed, never overwritten."""
    if not credit.strip():
        raise ValidationError("Every picture needs its credit.", code="credit")
    fields = {"credit": credit.strip(), "caption": caption.strip(), "alt_text": alt_text.strip()}
    try:
        image = create_from_upload(
            inspected=inspected, filename=filename, user=user, title=title, **fields
        )
    except DuplicateImage as duplicate:
        image = duplicate.existing
        missing = [name for name, value in fields.items() if value and not getattr(image, name)]
        for name in missing:
            setattr(image, name, fields[name])
        if missing:
            image.save(update_fields=missing)
        return image, True
    return image, False
