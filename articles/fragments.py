"""The story's fragments (caching.fragments): its teaser in each variant, its body with the
library pictures drawn, its byline. Each key is made of exactly what the fragment shows, so
renaming an author, changing a credit or a headline makes new keys; nothing is invalidated.
"""

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from django.template.loader import render_to_string

from caching import fragments
from media.body import with_library_pictures

TEASER_TEMPLATE = "includes/teaser_content.html"
PICTURE_TEMPLATE = "includes/picture.html"
BYLINE_TEMPLATE = "includes/byline.html"


@dataclass(frozen=True)
class Fragment:
    """A fragment to place on a page: its key, and how to draw it if it is not stored."""

    key: str
    render: Callable[[], str]


def image_parts(image, rendition_kind: str) -> tuple | None:
    """What a picture of `image` shows: the file, its words, whether its rights still run
    (today's date decides), and the stored renditions of the kind it is drawn from (file names
    carry the focal point, so a new crop is a new name)."""
    if image is None or not image.file:
        return None
    renditions = sorted(
        (r.kind, r.format, r.width, r.height, r.file.name)
        for r in image.renditions.all()
        if r.kind == rendition_kind
    )
    return (
        image.pk, image.file.name, image.width, image.height, image.alt_text, image.caption,
        image.credit, image.is_usable(), renditions,
    )  # fmt: skip


def teaser(article, *, compact=False, eager_image=False, show_date=False) -> Fragment:
    """A story's teaser (includes/teaser_content.html) in one variant."""
    section = article.section
    shown = [
        article.pk, article.headline, article.slug, article.article_type, article.sponsor_name,
        (section.pk, section.slug, section.name), bool(compact), bool(show_date),
        article.publish_at if show_date else None,
    ]  # fmt: skip
    if not compact:  # the preview, the longer preview and the picture
        shown += [article.teaser, article.body, bool(eager_image),
                  image_parts(article.lead_image, "lead")]  # fmt: skip
    version = fragments.templates_version(TEASER_TEMPLATE, PICTURE_TEMPLATE)
    context = {"article": article, "compact": compact, "eager_image": eager_image,
               "show_date": show_date}  # fmt: skip
    render = partial(render_to_string, TEASER_TEMPLATE, context)
    return Fragment(fragments.key("teaser", version, *shown), render)


def body(article, images: dict) -> Fragment:
    """The story's body as readers see it, each library picture drawn with its credit."""
    version = fragments.templates_version(PICTURE_TEMPLATE)
    pictures = sorted((src, image_parts(image, "free")) for src, image in images.items())
    return Fragment(
        fragments.key("body", version, article.body, pictures),
        lambda: with_library_pictures(article.body_html, images),
    )


def byline(groups: list[tuple[str, list]]) -> Fragment:
    """The byline block: “By A and B · With reporting by C”, each name linked."""
    shown = [(prefix, [(a.slug, a.name) for a in authors]) for prefix, authors in groups]
    version = fragments.templates_version(BYLINE_TEMPLATE)
    return Fragment(
        fragments.key("byline", version, shown),
        partial(render_to_string, BYLINE_TEMPLATE, {"byline_groups": groups}),
    )
