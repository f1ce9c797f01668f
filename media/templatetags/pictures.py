"""`{% picture %}`: an image as <picture> with AVIF/WebP/JPEG srcsets, its caption and its
credit. Reads stored renditions only; never makes one."""

from django import template
from django.utils.html import format_html

register = template.Library()

# How wide each use of a picture is drawn, for the browser to pick a file (`sizes`).
SIZES = {
    "lead": "(min-width: 46rem) 42rem, 100vw",
    "teaser": "(min-width: 60rem) 34rem, (min-width: 46rem) 42rem, 100vw",
    "portrait": "10rem",
    "thumb": "10rem",
    "free": "(min-width: 46rem) 42rem, 100vw",
}


def renditions_of(image, kind: str) -> dict[str, list]:
    """The stored renditions of one kind, by format, narrowest first (uses any prefetch)."""
    found: dict[str, list] = {}
    for rendition in image.renditions.all():
        if rendition.kind == kind:
            found.setdefault(rendition.format, []).append(rendition)
    for group in found.values():
        group.sort(key=lambda r: r.width)
    return found


def picture_context(
    image, kind="free", *, caption="", alt="", eager=False, sizes=None, credit=True
):
    """Everything includes/picture.html needs to draw `image` as `kind`; `caption` and `alt`
    are a story's own words for this use of the picture, else the library's."""
    if image is None or not image.file:
        return {"image": None}
    context = {
        "image": image,
        "caption": caption or image.caption,
        "alt": alt or image.alt_text,
        "eager": eager,
        "show_credit": credit,
        "usable": image.is_usable(),
    }
    if not context["usable"]:
        return context
    by_format = renditions_of(image, "lead" if kind == "teaser" else kind)
    sizes = sizes or SIZES.get(kind, "100vw")
    jpeg = by_format.get("jpeg") or []
    if not jpeg:  # not built yet: the clean master, never a crop made on the fly
        context |= {"src": image.file.url, "width": image.width, "height": image.height}
        return context
    default = next((r for r in jpeg if r.width >= 960), jpeg[-1])
    context |= {
        "src": default.url,
        "width": default.width,
        "height": default.height,
        "srcset": srcset(jpeg),
        "sizes": sizes,
        "sources": [
            (f"image/{fmt}", srcset(by_format[fmt])) for fmt in ("avif", "webp") if fmt in by_format
        ],
    }
    return context


def srcset(renditions) -> str:
    return ", ".join(f"{r.url} {r.width}w" for r in renditions)


@register.inclusion_tag("includes/picture.html")
def picture(image, kind="free", caption="", eager=False, sizes=None):
    return picture_context(image, kind, caption=caption, eager=eager, sizes=sizes)


@register.simple_tag
def preload_picture(image, kind="lead", sizes=None):
    """<link rel=preload> for the lead image, so the browser fetches it before the CSS."""
    context = picture_context(image, kind, sizes=sizes)
    sources = dict(context.get("sources", []))
    if "image/avif" not in sources:
        return ""
    return format_html(
        '<link rel="preload" as="image" type="image/avif" imagesrcset="{}" imagesizes="{}">',
        sources["image/avif"],
        context["sizes"],
    )


def social_card(image) -> tuple[str, int | None, int | None]:
    """(url, width, height) of the 1200×630 card for Open Graph and Twitter; the master
    file until the card is built."""
    cards = renditions_of(image, "social").get("jpeg")
    if cards:
        return cards[0].url, cards[0].width, cards[0].height
    return image.file.url, image.width, image.height
