"""Body images are library images: draw them with their renditions and credit, and find them
for the publishing checks."""

import html as html_lib
import re

from django.conf import settings
from django.template.loader import render_to_string
from django.utils.html import strip_tags

from .models import Image
from .templatetags.pictures import picture_context

_FIGURE = re.compile(r'<figure class="image[^"]*">(.*?)</figure>', re.DOTALL)
_IMG_SRC = re.compile(r'<img[^>]*\ssrc="([^"]+)"')
_CAPTION = re.compile(r"<figcaption>(.*?)</figcaption>", re.DOTALL)
_IMG_TAG = re.compile(r"<img[^>]*>")
_ALT = re.compile(r'\salt="([^"]*)"')


def _file_name(src: str) -> str | None:
    media_url = settings.MEDIA_URL
    path = re.sub(r"^https?://[^/]+", "", src) if not media_url.startswith("http") else src
    return path[len(media_url) :] if path.startswith(media_url) else None


def library_images_in(html: str, *, with_renditions: bool = True) -> dict[str, Image]:
    """The library images a body shows, by their src, in one query (two with renditions)."""
    names = {src: _file_name(src) for src in _IMG_SRC.findall(html or "")}
    wanted = {name for name in names.values() if name}
    if not wanted:
        return {}
    images = Image.objects.filter(file__in=wanted)
    if with_renditions:
        images = images.prefetch_related("renditions")
    found = {image.file.name: image for image in images}
    return {src: found[name] for src, name in names.items() if name in found}


def with_library_pictures(html: str, images: dict | None = None) -> str:
    """The body with each library image drawn as a <picture> with its caption and credit
    (and a placeholder once its rights have expired). `images`: already fetched, by src."""
    images = library_images_in(html) if images is None else images
    if not images:
        return html

    def replace(match):
        inner = match.group(1)
        src = _IMG_SRC.search(inner)
        image = images.get(src.group(1)) if src else None
        if image is None:
            return match.group(0)
        caption = _CAPTION.search(inner)
        # The caption as text (the template escapes it): tags dropped, entities decoded, so
        # "Smith &amp; Jones" is not escaped twice.
        text = html_lib.unescape(strip_tags(caption.group(1))).strip() if caption else ""
        # The editor's caption ends with the credit so it shows while writing (editor
        # pictures); the template adds the credit itself, once.
        if image.credit and text.endswith(image.credit):
            text = text[: -len(image.credit)].rstrip()
        # The alt text the writer gave this placement (editable in the editor), else the
        # library's.
        alt = _ALT.search(_IMG_TAG.search(inner).group(0))
        alt_text = html_lib.unescape(alt.group(1)).strip() if alt else ""
        return render_to_string(
            "includes/picture.html", picture_context(image, caption=text, alt=alt_text)
        )

    return _FIGURE.sub(replace, html)


def adopt_alt_text(html: str) -> int:
    """Alt text typed in the story editor for a library image that has none becomes the
    image's own, so the next story that uses it has it too. Returns how many were set."""
    images = library_images_in(html)
    adopted = 0
    for tag in _IMG_TAG.findall(html or ""):
        src, alt = _IMG_SRC.search(tag), _ALT.search(tag)
        image = images.get(src.group(1)) if src else None
        if image and alt and alt.group(1).strip() and not image.alt_text.strip():
            image.alt_text = html_lib.unescape(alt.group(1).strip())[:400]
            image.save(update_fields=["alt_text"])
            adopted += 1
    return adopted
