"""Rich text: the one allow-list sanitiser and the "keep reading" break.

Everything an editor types into a rich-text field passes through `sanitize()` on save. The
allow-list is exactly what the CKEditor 5 toolbar (settings.CKEDITOR_5_CONFIGS) produces:
headings, paragraphs, bold/italic, links, block quotes, lists (nested), tables with a caption,
images with captions, media embeds (`<oembed url>`), and the page break that we use as the
"keep reading" break. tests/articles/test_editor_output.py holds that output, checked against
the real editor in a browser; tests/xss_vectors.py holds what must never get through.
"""

import html as html_lib
import re

import nh3

# The CKEditor 5 PageBreak plugin's markup. Editors place it to say where a story's preview
# ends ("keep reading"); readers never see it.
KEEP_READING_BREAK = (
    '<div class="page-break" style="page-break-after:always;">'
    '<span style="display:none;">&nbsp;</span></div>'
)
_BREAK_RE = re.compile(r'<div class="page-break"[^>]*>.*?</div>', re.DOTALL)

ALLOWED_TAGS = {
    "p", "br", "h2", "h3", "h4", "strong", "b", "em", "i", "a", "blockquote",
    "ul", "ol", "li", "figure", "figcaption", "img", "oembed", "div", "span",
    "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    # The editor writes the picture's size, and its aspect ratio as a style, on every image.
    "img": {"src", "alt", "width", "height", "style"},
    "oembed": {"url"},
    "div": {"style"},
    "span": {"style"},
    # The editor's own bookkeeping for list items: an opaque id, kept so a round trip is exact.
    "li": {"data-list-item-id"},
    "th": {"colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
}
ALLOWED_CLASSES = {
    "figure": {"image", "media", "table", "image-style-side", "image-style-block-align-left"},
    "div": {"page-break"},
}
URL_SCHEMES = {"http", "https", "mailto"}

# The only inline styles allowed are the two the page break needs to survive a round trip
# through the editor, and an image's aspect ratio (the editor writes it with the size).
_ALLOWED_STYLES = {
    ("div", "page-break-after:always;"),
    ("span", "display:none;"),
}


_ASPECT_RATIO = re.compile(r"aspect-ratio:[0-9]{1,5}/[0-9]{1,5};")
_LIST_ITEM_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")
_NUMBER = re.compile(r"[1-9][0-9]{0,2}")


def allowed_style(tag: str, style: str) -> bool:
    """Whether an inline style is one the allow-list keeps (exactly, after normalising)."""
    if tag == "img":
        return bool(_ASPECT_RATIO.fullmatch(style))
    return (tag, style) in _ALLOWED_STYLES


def _filter_attribute(tag: str, attribute: str, value: str) -> str | None:
    if attribute == "style":
        normalised = value.replace(" ", "").lower()
        if not normalised.endswith(";"):
            normalised += ";"
        return normalised if allowed_style(tag, normalised) else None
    if attribute == "url" and not value.lower().startswith(("https://", "http://")):
        return None
    if attribute == "data-list-item-id":
        return value if _LIST_ITEM_ID.fullmatch(value) else None
    if attribute in ("colspan", "rowspan"):
        return value if _NUMBER.fullmatch(value) else None
    return value


def sanitize(html: str) -> str:
    """Return `html` with everything outside the allow-list removed."""
    if not html:
        return ""
    cleaned = _clean(html)
    # A few malformed inputs (a picture straight inside a <table>) come out in a form that
    # parses differently the next time (the browser moves the picture out of the table).
    # Clean until the output is stable, so what we store is what a browser will build.
    for _ in range(3):
        again = _clean(cleaned)
        if again == cleaned:
            break
        cleaned = again
    return cleaned


def _clean(html: str) -> str:
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        allowed_classes=ALLOWED_CLASSES,
        url_schemes=URL_SCHEMES,
        attribute_filter=_filter_attribute,
        link_rel="noopener noreferrer",
        strip_comments=True,
    ).strip()


_EMBED_RE = re.compile(r'<oembed url="([^"]+)"></oembed>')


def embeds_as_links(html: str) -> str:
    """Media embeds as readers get them: a link to the video or post, with no third-party
    player or script (the URL is the editor's, already checked to be http(s))."""
    return _EMBED_RE.sub(r'<a href="\1" rel="noopener noreferrer">\1</a>', html or "")


def has_break(html: str) -> bool:
    """Whether an editor placed a "keep reading" break in `html`."""
    return bool(_BREAK_RE.search(html or ""))


def split_at_break(html: str) -> tuple[str, str]:
    """Split `html` at the first "keep reading" break: (before, after). No break: (html, "")."""
    match = _BREAK_RE.search(html or "")
    if not match:
        return html or "", ""
    return html[: match.start()].strip(), html[match.end() :].strip()


def remove_breaks(html: str) -> str:
    """The body as readers see it: the breaks are an editing marker, not content."""
    return _BREAK_RE.sub("", html or "")


_BLOCK_RE = re.compile(r"<(p|h2|h3|h4|blockquote|ul|ol|figure)\b.*?</\1>", re.DOTALL)


def first_paragraphs(html: str, count: int = 2, *, skip: int = 0) -> str:
    """`count` paragraphs of `html` after the first `skip` (figures are left out; headings,
    quotes and lists travel with the paragraphs around them)."""
    taken, paragraphs = [], 0
    for match in _BLOCK_RE.finditer(html or ""):
        if match.group(1) == "figure":
            continue
        if paragraphs >= skip:
            taken.append(match.group(0))
        if match.group(1) == "p":
            paragraphs += 1
        if paragraphs >= skip + count:
            break
    return "".join(taken)


_HEADING_RE = re.compile(r"<h[2-4]>(.*?)</h[2-4]>", re.DOTALL)


def demote_headings(html: str) -> str:
    """Headings inside a preview become bold paragraphs: in a list, the teaser's headline is
    the heading, and the outline must stay in order."""
    return _HEADING_RE.sub(r"<p><strong>\1</strong></p>", html or "")


# Characters XML 1.0 cannot carry. One control character pasted into a headline or caption
# would otherwise break every feed and sitemap that lists the story.
_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_safe(text: str) -> str:
    """`text` without the characters XML 1.0 cannot carry, for feeds and sitemaps."""
    return _NOT_XML.sub("", text)


def plain_text(html: str) -> str:
    """Text with all markup removed, for meta descriptions and search snippets."""
    text = html_lib.unescape(nh3.clean(html or "", tags=set(), attributes={}))
    return re.sub(r"\s+", " ", text).strip()
