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


def sanitize(html: str, *, also_allow: frozenset | set = frozenset()) -> str:
    """Return `html` with everything outside the allow-list removed. `also_allow`: tags
    kept beside it, without attributes (history marks changes with <ins> and <del>)."""
    if not html:
        return ""
    cleaned = _clean(html, also_allow)
    # A few malformed inputs (a picture straight inside a <table>) come out in a form that
    # parses differently the next time (the browser moves the picture out of the table).
    # Clean until the output is stable, so what we store is what a browser will build.
    for _ in range(3):
        again = _clean(cleaned, also_allow)
        if again == cleaned:
            break
        cleaned = again
    return cleaned


def _clean(html: str, also_allow=frozenset()) -> str:
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS | set(also_allow),
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


def readable_blocks(html: str) -> str:
    """The paragraphs, headings, quotes and lists of `html` that have text (no figures, no
    empty paragraphs): what a preview may show."""
    blocks = (m.group(0) for m in _BLOCK_RE.finditer(html or "") if m.group(1) != "figure")
    return "".join(block for block in blocks if plain_text(block))


# A tag (attribute values may hold ">": nh3 quotes them, it does not escape them), or text.
_TOKEN_RE = re.compile(r"""<(?:[^>"']|"[^"]*"|'[^']*')*>|[^<]+|<""")
_TAG_NAME_RE = re.compile(r"</?([a-zA-Z][a-zA-Z0-9]*)")
_SENTENCE_END_RE = re.compile(r"""[.!?…][)"'”’]*(?=\s)""")
_VOID_TAGS = {"br", "img", "hr", "wbr"}


def cut(html: str, *, chars: int, paragraphs: int | None = None) -> tuple[str, str]:
    """Split `html` (blocks, as from `readable_blocks`) into a head of at most `chars`
    characters of text and `paragraphs` paragraphs, and the rest: (head, rest).

    The head ends after the last paragraph, quote or list that fits (never after a heading);
    when not even the first fits, after its last sentence that fits; when not even a sentence
    fits, at a word, with "…". Never inside a tag: elements open at a cut are closed in the
    head and opened again in the rest, so the rest reads on from the head. Both still go
    through `sanitize()` before they reach a page."""
    if chars <= 0:
        return "", html or ""
    tokens = _TOKEN_RE.findall(html or "")
    stack: list[tuple[str, str]] = []  # the open elements: (name, start tag as written)
    # The last places within the budget to cut: (token index, offset in it, open elements).
    block_end = sentence_end = None
    length = count = 0
    has_text = False  # a cut needs text before it
    for index, token in enumerate(tokens):
        if token.startswith("<") and len(token) > 1:
            name_match = _TAG_NAME_RE.match(token)
            name = name_match.group(1).lower() if name_match else ""
            if token.startswith("</"):
                while stack and stack.pop()[0] != name:
                    pass
                if not stack and has_text and name not in ("h2", "h3", "h4"):
                    block_end = (index + 1, 0, ())
                    count += name == "p"
                    if paragraphs is not None and count >= paragraphs:
                        break
            elif name and name not in _VOID_TAGS and not token.endswith("/>"):
                stack.append((name, token))
            continue
        room, text = chars - length, html_lib.unescape(token)
        has_text = has_text or not text.isspace()
        for end in _SENTENCE_END_RE.finditer(token):
            if len(text) > room and len(html_lib.unescape(token[: end.end()])) > room:
                break
            sentence_end = (index, end.end(), tuple(stack))
        if len(text) <= room:
            length += len(text)
            continue
        if block_end is None and sentence_end is None:  # one sentence over the whole budget
            whole_words = re.match(r"(.*\S)\s", text[: room + 1], re.DOTALL)
            words = whole_words.group(1) if whole_words else text[:room]
            tokens[index : index + 1] = [
                html_lib.escape(words, quote=False) + "…",
                html_lib.escape(text[len(words) :].lstrip(), quote=False),
            ]
            block_end = (index + 1, 0, tuple(stack))
        break
    else:
        return html or "", ""
    index, offset, open_elements = block_end or sentence_end
    head = "".join(tokens[:index]) + (tokens[index][:offset] if offset else "")
    head += "".join(f"</{name}>" for name, _ in reversed(open_elements))
    if offset:
        tokens[index] = tokens[index][offset:].lstrip()
    rest = "".join(tag for _, tag in open_elements) + "".join(tokens[index:])
    return head.strip(), rest if plain_text(rest) else ""


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
