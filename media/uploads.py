"""The one way an image enters the library: checked by its content, then made safe to serve.

Both the image library form and the story editor's upload call `inspect_upload()` and then
`services.store_upload()`. Nothing is saved (no file, no row) unless the inspection passes.
"""

import hashlib
import io
import warnings
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from PIL import Image as PILImage
from PIL import ImageOps, ImageSequence, IptcImagePlugin, UnidentifiedImageError

ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP", "GIF", "AVIF"}
ACCEPTED_LABEL = "JPEG, PNG, WebP, GIF or AVIF"
MAX_FRAMES = 300  # an animated GIF with more is refused (each frame is decoded)


@dataclass
class Inspected:
    """What we learned from an upload that passed: safe to store."""

    data: bytes
    format: str
    width: int
    height: int
    sha256: str
    animated: bool = False
    metadata: dict = field(default_factory=dict)


def _megabytes(n: int) -> str:
    return f"{n / 1_000_000:.1f} MB"


def inspect_upload(upload) -> Inspected:
    """Check an uploaded file and return what it holds, or raise a ValidationError that says
    exactly what is wrong. The file's name and declared type are ignored; only its content
    counts. The pixel limit is checked from the header, before anything is decoded."""
    size = getattr(upload, "size", None)
    if not size:
        raise ValidationError("The file is empty.", code="empty")
    if size > settings.IMAGE_MAX_UPLOAD_BYTES:
        raise ValidationError(
            f"The file is {_megabytes(size)}; the limit is "
            f"{_megabytes(settings.IMAGE_MAX_UPLOAD_BYTES)}.",
            code="too_big",
        )
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    with warnings.catch_warnings():
        warnings.simplefilter("error", PILImage.DecompressionBombWarning)
        try:
            with PILImage.open(io.BytesIO(data)) as image:  # reads the header only
                fmt = image.format
                if fmt not in ACCEPTED_FORMATS:
                    raise ValidationError(
                        f"This is a {fmt} image; we accept {ACCEPTED_LABEL}.", code="format"
                    )
                width, height = image.size
                _check_pixels(width, height)
                frames = getattr(image, "n_frames", 1)
                if frames > MAX_FRAMES:
                    raise ValidationError(
                        f"The animation has {frames} frames; the limit is {MAX_FRAMES}.",
                        code="frames",
                    )
                for index in range(frames):  # decoding finds truncated and corrupt files
                    image.seek(index)
                    image.load()
                metadata = read_metadata(image)
        except ValidationError:
            raise
        except (PILImage.DecompressionBombError, PILImage.DecompressionBombWarning) as error:
            raise ValidationError(
                f"The image has too many pixels; the limit is "
                f"{settings.IMAGE_MAX_PIXELS // 1_000_000} megapixels.",
                code="pixels",
            ) from error
        except UnidentifiedImageError as error:
            raise ValidationError(
                f"This file is not an image we accept ({ACCEPTED_LABEL}).", code="not_image"
            ) from error
        except (OSError, SyntaxError, ValueError, EOFError, IndexError) as error:
            raise ValidationError(
                "The image is damaged or incomplete (it could not be decoded). "
                "Export it again and upload the new file.",
                code="corrupt",
            ) from error
    return Inspected(
        data=data,
        format=fmt,
        width=width,
        height=height,
        sha256=hashlib.sha256(data).hexdigest(),
        animated=frames > 1,
        metadata=metadata,
    )


def _check_pixels(width: int, height: int) -> None:
    if width * height > settings.IMAGE_MAX_PIXELS:
        raise ValidationError(
            f"The image is {width:,}×{height:,} pixels ({width * height / 1e6:.0f} megapixels); "
            f"the limit is {settings.IMAGE_MAX_PIXELS // 1_000_000} megapixels.",
            code="pixels",
        )


def dimensions(data: bytes) -> tuple[int, int]:
    """Width and height from an image's header."""
    with PILImage.open(io.BytesIO(data)) as image:
        return image.size


def served_master(inspected: Inspected) -> tuple[bytes, str]:
    """The file readers get: upright, re-encoded from pixels, with no metadata at all.

    Re-encoding drops EXIF (GPS, camera serials), IPTC, XMP, comments and anything appended
    to the file (polyglots). Returns (bytes, extension)."""
    with PILImage.open(io.BytesIO(inspected.data)) as image:
        output = io.BytesIO()
        if inspected.animated and inspected.format == "GIF":
            frames = [frame.copy() for frame in ImageSequence.Iterator(image)]
            frames[0].save(output, "GIF", save_all=True, append_images=frames[1:], loop=0,
                           duration=image.info.get("duration", 100))  # fmt: skip
            return output.getvalue(), "gif"
        upright = ImageOps.exif_transpose(image)
        if _has_alpha(upright):
            upright.convert("RGBA").save(output, "PNG", optimize=True)
            return output.getvalue(), "png"
        upright.convert("RGB").save(output, "JPEG", quality=88, optimize=True, progressive=True)
        return output.getvalue(), "jpg"


def _has_alpha(image) -> bool:
    return image.mode in ("RGBA", "LA", "PA") or (
        image.mode == "P" and "transparency" in image.info
    )


# --- Agency metadata: caption, byline, credit, copyright ------------------------------------

_IPTC = {
    "caption": (2, 120),
    "byline": (2, 80),
    "credit": (2, 110),
    "source": (2, 115),
    "copyright": (2, 116),
}


def _text(value) -> str:
    if isinstance(value, list):
        value = value[0] if value else b""
    if isinstance(value, bytes):
        value = value.decode("utf-8", errors="replace")
    return " ".join(str(value or "").split())


def _xmp_text(value) -> str:
    """Text from XMP's nested Alt/Seq/Bag/li structures, as Pillow's getxmp() returns them."""
    while isinstance(value, dict):
        for key in ("Alt", "Seq", "Bag", "li", "text"):
            if key in value:
                value = value[key]
                break
        else:
            return ""
    if isinstance(value, list):
        return _xmp_text(value[0]) if value else ""
    return " ".join(str(value or "").split())


def _xmp_fields(image) -> dict:
    try:
        xmp = image.getxmp()
    except Exception:  # noqa: BLE001 - malformed XMP must not stop an upload
        return {}
    description = xmp.get("xmpmeta", {}).get("RDF", {}).get("Description", {})
    if isinstance(description, list):
        merged = {}
        for part in description:
            merged.update(part)
        description = merged
    return {
        "caption": _xmp_text(description.get("description")),
        "byline": _xmp_text(description.get("creator")),
        "credit": _xmp_text(description.get("Credit")),
        "source": _xmp_text(description.get("Source")),
        "copyright": _xmp_text(description.get("rights")),
    }


def read_metadata(image) -> dict:
    """Caption, byline, credit, source and copyright from IPTC (preferred) or XMP."""
    try:
        iptc = IptcImagePlugin.getiptcinfo(image) or {}
    except Exception:  # noqa: BLE001 - malformed IPTC must not stop an upload
        iptc = {}
    found = {name: _text(iptc.get(key)) for name, key in _IPTC.items()}
    for name, value in _xmp_fields(image).items():
        found[name] = found[name] or value
    return {name: value[:1000] for name, value in found.items() if value}


def credit_line(metadata: dict) -> str:
    """The credit as agencies print it: “Alex Edelman/Pool via REUTERS”."""
    byline, credit = metadata.get("byline", ""), metadata.get("credit", "")
    if byline and credit and byline not in credit:
        return f"{byline}/{credit}"
    return credit or byline
