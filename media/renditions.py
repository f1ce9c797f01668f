"""Renditions: fixed-ratio crops that keep the focal point, in several widths and formats.

Built once, when an image is uploaded or its focal point changes, or by
`manage.py build_renditions`; stored; and only ever read by page requests.
"""

import hashlib
import io
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.db import transaction
from PIL import Image as PILImage

from .models import Image, Rendition


@dataclass(frozen=True)
class Spec:
    """One use of a picture on the site: its shape, the widths made, and the formats."""

    ratio: float | None  # width / height; None keeps the picture's own shape
    widths: tuple[int, ...]
    formats: tuple[str, ...] = ("avif", "webp", "jpeg")
    exact_height: int | None = None


SPECS = {
    "lead": Spec(ratio=16 / 9, widths=(480, 960, 1600)),  # story lead and teaser images
    "social": Spec(ratio=1200 / 630, widths=(1200,), formats=("jpeg",), exact_height=630),
    "thumb": Spec(ratio=1.0, widths=(160, 320)),  # square thumbnails
    "portrait": Spec(ratio=4 / 5, widths=(240, 480)),  # author photos
    "free": Spec(ratio=None, widths=(480, 960, 1600)),  # body images, series images
}
QUALITY = {"avif": 55, "webp": 78, "jpeg": 82}
PIL_FORMAT = {"avif": "AVIF", "webp": "WEBP", "jpeg": "JPEG"}
EXTENSION = {"avif": "avif", "webp": "webp", "jpeg": "jpg"}


def focal_crop(size: tuple[int, int], ratio: float | None, focal: tuple[float, float]):
    """The largest box of `ratio` inside `size`, centred on the focal point as far as the
    edges allow: (left, top, right, bottom)."""
    width, height = size
    if ratio is None:
        return 0, 0, width, height
    if width / height > ratio:  # too wide: crop the sides
        crop_w, crop_h = round(height * ratio), height
    else:  # too tall: crop top and bottom
        crop_w, crop_h = width, round(width / ratio)
    left = min(max(round(focal[0] * width - crop_w / 2), 0), width - crop_w)
    top = min(max(round(focal[1] * height - crop_h / 2), 0), height - crop_h)
    return left, top, left + crop_w, top + crop_h


def _widths(spec: Spec, crop_width: int) -> list[int]:
    """The spec's widths that need no upscaling; the crop's own width if all would."""
    fitting = [w for w in spec.widths if w <= crop_width]
    return fitting or [crop_width]


def _version(image: Image) -> str:
    # Part of every file name, so a CDN never serves a crop made for an older focal point.
    key = f"{image.content_hash}:{image.focal_x:.3f}:{image.focal_y:.3f}"
    return hashlib.sha256(key.encode()).hexdigest()[:10]


def build_renditions(image: Image, *, force: bool = False, kinds=None) -> int:
    """Make the missing renditions of `image` (all of them with force). Returns how many."""
    if not image.file:
        return 0
    kinds = kinds or list(SPECS)
    if force:
        delete_renditions(image, kinds=kinds)
    existing = {(r.kind, r.format, r.width) for r in image.renditions.all()}
    image.file.open("rb")
    try:
        with PILImage.open(image.file) as source:
            source.seek(0)
            picture = source.convert("RGBA" if _alpha(source) else "RGB")
    finally:
        image.file.close()
    made, version = 0, _version(image)
    for kind in kinds:
        spec = SPECS[kind]
        box = focal_crop(picture.size, spec.ratio, (image.focal_x, image.focal_y))
        cropped = picture.crop(box)
        for width in _widths(spec, cropped.width):
            height = spec.exact_height or max(1, round(width * cropped.height / cropped.width))
            resized = cropped.resize((width, height), PILImage.Resampling.LANCZOS)
            for fmt in spec.formats:
                if (kind, fmt, width) in existing:
                    continue
                data = encode(resized, fmt)
                rendition = Rendition(image=image, kind=kind, format=fmt, width=width,
                                      height=height, file_size=len(data))  # fmt: skip
                name = f"{image.pk}/{kind}-{width}x{height}-{version}.{EXTENSION[fmt]}"
                rendition.file.save(name, ContentFile(data), save=False)
                with transaction.atomic():
                    rendition.save()
                made += 1
    return made


def encode(picture, fmt: str) -> bytes:
    buffer = io.BytesIO()
    if fmt == "jpeg" and picture.mode == "RGBA":
        background = PILImage.new("RGB", picture.size, (255, 255, 255))
        background.paste(picture, mask=picture.getchannel("A"))
        picture = background
    options = {"quality": QUALITY[fmt]}
    if fmt == "jpeg":
        options |= {"optimize": True, "progressive": True}
    if fmt == "avif":
        options |= {"speed": 8}
    picture.save(buffer, PIL_FORMAT[fmt], **options)
    return buffer.getvalue()


def delete_renditions(image: Image, *, kinds=None) -> None:
    renditions = image.renditions.all()
    if kinds:
        renditions = renditions.filter(kind__in=kinds)
    for rendition in renditions:
        rendition.file.delete(save=False)
    renditions.delete()


def _alpha(picture) -> bool:
    return picture.mode in ("RGBA", "LA", "PA") or "transparency" in picture.info
