"""Rich text: the one allow-list sanitiser and the "keep reading" break.

Everything an editor types into a rich-text field passes through `sanitize()` on save. The
allow-list is exactly what the CKEditor 5 toolbar (settings.CKEDITOR_5_CONFIGS) produces:
headings, paragraphs, bold/italic, links, block quotes, lists, images with captions, media
embeds (`<oembed url>`), and the page break that we use as the "keep reading" break.
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
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "width", "height"},
    "oembed": {"url"},
    "div": {"style"},
    "span": {"style"},
}
ALLOWED_CLASSES = {
    "figure": {"image", "media", "image-style-side", "image-style-block-align-left"},
    "div": {"page-break"},
}
URL_SCHEMES = {"http", "https", "mailto"}

# The only inline styles allowed are the two the page break needs to survive a round trip
# through the editor.
_ALLOWED_STYLES = {
    ("div", "page-break-after:always;"),
    ("span", "display:none;"),
}


def _filter_attribute(tag: str, attribute: str, value: str) -> str | None:
    if attribute == "style":
        normalised = value.replace(" ", "").lower()
        if not normalised.endswith(";"):
            normalised += ";"
        return normalised if (tag, normalised) in _ALLOWED_STYLES else None
    if attribute == "url" and not value.lower().startswith(("https://", "http://")):
        return None
    return value


def sanitize(html: str) -> str:
    """Return `html` with everything outside the allow-list removed."""
    if not html:
        return ""
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


def plain_text(html: str) -> str:
    """Text with all markup removed, for meta descriptions and search snippets."""
    text = html_lib.unescape(nh3.clean(html or "", tags=set(), attributes={}))
    return re.sub(r"\s+", " ", text).strip()
