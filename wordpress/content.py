"""WordPress post content to the body our editor writes.

WordPress stores classic posts as text with blank lines for paragraphs, shortcodes such as
`[caption]` and `[gallery]`, and Gutenberg posts as HTML between `<!-- wp:... -->` comments.
`convert()` turns either into the markup of our CKEditor toolbar: paragraphs, headings,
figures (a library image with its caption and credit), links for embeds, and the "keep
reading" break where the post had `<!--more-->`; then the same allow-list sanitiser as the
editor has the last word. What cannot be carried over is kept as text and reported.
"""

import html as html_lib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from newsroom import richtext

from .credits import split_credit

_MORE = "\x00MORE\x00"
_MORE_RE = re.compile(r"<!--more(?:\s.*?)?-->", re.DOTALL)
_NEXTPAGE_RE = re.compile(r"<!--nextpage-->")
_BLOCK_COMMENT_RE = re.compile(r"<!--\s*/?wp:.*?-->", re.DOTALL)

# WordPress's shortcode attribute syntax: name="value", name='value', name=value, or value.
_ATTR_RE = re.compile(r'([\w-]+)\s*=\s*"([^"]*)"|([\w-]+)\s*=\s*\'([^\']*)\'|([\w-]+)\s*=\s*(\S+)')
_ESCAPED_SHORTCODE_RE = re.compile(r"\[(\[[^\[\]]+\])\]")
_CAPTION_RE = re.compile(r"\[(caption|wp_caption)\b([^\]]*)\](.*?)\[/\1\]", re.DOTALL)
_EMBED_RE = re.compile(r"\[embed\b[^\]]*\](.*?)\[/embed\]", re.DOTALL)
_GALLERY_RE = re.compile(r"\[gallery\b([^\]]*)\]")
_MEDIA_RE = re.compile(r"\[(audio|video)\b([^\]]*)\](?:(.*?)\[/\1\])?", re.DOTALL)
_ANY_SHORTCODE_RE = re.compile(r"\[(/?)([a-zA-Z][\w-]*)((?:\s[^\]]*)?)\]")
_BARE_URL_LINE_RE = re.compile(r"^[ \t]*(https?://[^\s<>\"]+)[ \t]*$", re.MULTILINE)
_BLOCK_EMBED_RE = re.compile(
    r'<figure class="wp-block-embed[^"]*"[^>]*>\s*<div class="wp-block-embed__wrapper">\s*'
    r"(https?://[^\s<]+)\s*</div>(.*?)</figure>",
    re.DOTALL,
)
_WP_FIGURE_RE = re.compile(r'<figure class="wp-block-image[^"]*"')
_WP_IMAGE_CLASS_RE = re.compile(r"\bwp-image-(\d+)\b")
_IMG_WITH_CAPTION_RE = re.compile(
    r"(<img\b[^>]*>)(?:\s*</a>)?\s*(?:<figcaption[^>]*>(.*?)</figcaption>)?", re.DOTALL
)
_MEDIA_SRC_RE = re.compile(r'<(?:audio|video|source)\b[^>]*\ssrc="([^"]+)"', re.IGNORECASE)
_FIGCAPTION_RE = re.compile(r"<figcaption[^>]*>(.*?)</figcaption>", re.DOTALL)
_HREF_RE = re.compile(r'<a\b[^>]*\shref="([^"]+)"[^>]*>(.*?)</a>', re.DOTALL)
_COVER_BACKGROUND_RE = re.compile(
    r"<img\b[^>]*wp-block-cover__image-background[^>]*>|<span\b[^>]*wp-block-cover__[^>]*>"
    r"</span>|<video\b[^>]*wp-block-cover__video-background.*?</video>",
    re.DOTALL,
)
_CITE_RE = re.compile(r"<(/?)cite\b[^>]*>", re.IGNORECASE)


def _block(name: str) -> re.Pattern:
    """A Gutenberg block, from its opening comment to its closing one."""
    return re.compile(rf"<!-- wp:{name}\b.*?-->(.*?)<!-- /wp:{name} -->", re.DOTALL)


_GALLERY_BLOCK_RE = _block("gallery")
_MEDIA_BLOCK_RE = re.compile(r"<!-- wp:(audio|video)\b.*?-->(.*?)<!-- /wp:\1 -->", re.DOTALL)
_FILE_BLOCK_RE = _block("file")
_COVER_BLOCK_RE = _block("cover")
_IMAGE_BLOCK_RE = _block("image")
_ANY_FIGURE_OPEN_RE = re.compile(r"<figure\b[^>]*>")
# Layout wrappers (columns, groups, buttons): their content stays, the boxes go.
_DIV_RE = re.compile(r"</?div\b[^>]*>", re.IGNORECASE)

# Tags that start a block: autop does not wrap them in <p>.
_BLOCKS = (
    "address|article|aside|blockquote|details|div|dl|dd|dt|fieldset|figcaption|figure|footer|"
    "form|h[1-6]|header|hr|li|main|nav|ol|p|pre|section|table|tbody|td|tfoot|th|thead|tr|ul|"
    "math|svg|style|summary|caption|iframe"
)
_BLOCK_OPEN_RE = re.compile(rf"(<(?:{_BLOCKS})[\s/>])", re.IGNORECASE)
_BLOCK_CLOSE_RE = re.compile(rf"(</(?:{_BLOCKS})>)", re.IGNORECASE)
_BLOCK_TAG_ONLY_RE = re.compile(rf"<p>\s*(</?(?:{_BLOCKS})[^>]*>)\s*</p>", re.IGNORECASE)
_P_BEFORE_BLOCK_RE = re.compile(rf"<p>\s*(<(?:{_BLOCKS})[\s/>][^>]*>)", re.IGNORECASE)
_P_AFTER_BLOCK_RE = re.compile(rf"(</(?:{_BLOCKS})>)\s*</p>", re.IGNORECASE)

_IMG_RE = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
_SRC_RE = re.compile(r'\ssrc\s*=\s*"([^"]*)"|\ssrc\s*=\s*\'([^\']*)\'', re.IGNORECASE)
_ALT_RE = re.compile(r'\salt\s*=\s*"([^"]*)"', re.IGNORECASE)
_FIGURE_SPAN_RE = re.compile(r"<figure\b.*?</figure>", re.DOTALL)
_LINKED_IMG_RE = re.compile(r'(?:<a [^>]*>\s*)?(<img [^>]*src="([^"]+)"[^>]*>)(?:\s*</a>)?')
_EMPTY_P_RE = re.compile(r"<p>(?:\s|<br>)*</p>")
_HEADING_MAP = (
    (re.compile(r"<(/?)h1\b", re.I), r"<\1h2"),
    (re.compile(r"<(/?)h[56]\b", re.I), r"<\1h4"),
)


@dataclass
class LibraryImage:
    """What the body needs of a library image: where it is served, and its alt text."""

    url: str
    alt: str = ""
    credit: str = ""


@dataclass
class Converted:
    html: str
    problems: list[str] = field(default_factory=list)


# Finds the library image for an old upload: by its URL, or by its WordPress attachment id.
ImageLookup = Callable[[str | None, str | None], LibraryImage | None]


def shortcode_attributes(text: str) -> dict[str, str]:
    attributes = {}
    for match in _ATTR_RE.finditer(text or ""):
        if match.group(1):
            attributes[match.group(1).lower()] = match.group(2)
        elif match.group(3):
            attributes[match.group(3).lower()] = match.group(4)
        else:
            attributes[match.group(5).lower()] = match.group(6)
    return attributes


def autop(text: str) -> str:
    """WordPress's wpautop, in brief: blank lines make paragraphs, single newlines make line
    breaks, and block-level tags are left unwrapped."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _BLOCK_OPEN_RE.sub(r"\n\n\1", text)
    text = _BLOCK_CLOSE_RE.sub(r"\1\n\n", text)
    chunks = [chunk.strip() for chunk in re.split(r"\n\s*\n", text)]
    html = "".join(f"<p>{chunk}</p>\n" for chunk in chunks if chunk)
    html = _BLOCK_TAG_ONLY_RE.sub(r"\1", html)
    html = _P_BEFORE_BLOCK_RE.sub(r"\1", html)
    html = _P_AFTER_BLOCK_RE.sub(r"\1", html)
    html = html.replace(f"<p>{_MORE}</p>", _MORE)
    # A newline inside a paragraph is a line break, except next to a tag.
    return re.sub(r"(?<![>\n])\n(?![<\n])", "<br>\n", html)


def _figure(image_html: str, caption: str) -> str:
    caption_html = f"<figcaption>{caption.strip()}</figcaption>" if caption.strip() else ""
    return f'<figure class="image">{image_html}{caption_html}</figure>'


def _link(url: str, text: str | None = None) -> str:
    url = html_lib.escape(html_lib.unescape(url.strip()), quote=True)
    return f'<p><a href="{url}">{html_lib.escape(text) if text else url}</a></p>'


class _Converter:
    def __init__(self, find_image: ImageLookup, gallery_ids: Callable[[], list[str]]):
        self.find_image = find_image
        self.gallery_ids = gallery_ids
        self.problems: list[str] = []
        self.protected: list[str] = []
        self.library_urls: set[str] = set()  # the library pictures this body now shows

    def protect(self, html: str) -> str:
        """Set finished markup aside so later steps (autop, shortcodes) leave it alone."""
        self.protected.append(html)
        return f"\x00{len(self.protected) - 1}\x00"

    def restore(self, text: str) -> str:
        while "\x00" in text and re.search(r"\x00\d+\x00", text):
            text = re.sub(r"\x00(\d+)\x00", lambda m: self.protected[int(m.group(1))], text)
        return text

    def caption(self, match: re.Match) -> str:
        attributes = shortcode_attributes(match.group(2))
        inner = match.group(3)
        image = _IMG_RE.search(inner)
        caption = attributes.get("caption") or (_IMG_RE.sub("", inner) if image else inner)
        caption = re.sub(r"</?a\b[^>]*>", "", caption).strip()
        if not image:
            return f"<p>{caption}</p>" if caption else ""
        attachment_id = attributes.get("id", "").removeprefix("attachment_")
        library_image = self.find_image(self._src(image.group(0)), attachment_id)
        without_credit, _credit = split_credit(caption)
        if library_image and library_image.credit:
            # The picture is drawn with the library's credit: do not print it twice.
            caption = without_credit
        return self.protect(_figure(self.image_tag(image.group(0), attachment_id), caption))

    def gallery(self, match: re.Match) -> str:
        attributes = shortcode_attributes(match.group(1))
        ids = [i.strip() for i in attributes.get("ids", "").split(",") if i.strip()]
        ids = ids or self.gallery_ids()
        figures, missing = [], []
        for attachment_id in ids:
            image = self.find_image(None, attachment_id)
            if image:
                tag = f'<img src="{image.url}" alt="{html_lib.escape(image.alt)}">'
                figures.append(_figure(tag, ""))
            else:
                missing.append(attachment_id)
        if missing:
            self.problems.append(
                f"[gallery]: {len(missing)} of {len(ids)} pictures are not in the library "
                f"(attachments {', '.join(missing)}) and were left out"
            )
        return self.protect("".join(figures))

    def media(self, match: re.Match) -> str:
        kind, attributes = match.group(1), shortcode_attributes(match.group(2))
        positional = re.search(r"https?://\S+", match.group(2) or "")
        url = attributes.get("src") or next(
            (v for k, v in attributes.items() if k in ("mp3", "m4a", "ogg", "wav", "mp4", "webm")),
            positional.group(0) if positional else (match.group(3) or "").strip(),
        )
        if not url.startswith(("http://", "https://")):
            self.problems.append(f"[{kind}] without a usable address was left out")
            return ""
        return self.protect(_link(url, f"{kind.capitalize()}: {url.rsplit('/', 1)[-1]}"))

    def unknown(self, match: re.Match) -> str:
        if not match.group(1):
            self.problems.append(f"unknown shortcode [{match.group(2)}] kept as text")
        return match.group(0)

    # --- Gutenberg blocks whose markup means more than its tags ---------------------------

    def gallery_block(self, match: re.Match) -> str:
        figures = [
            _figure(self.image_tag(img), caption or "")
            for img, caption in _IMG_WITH_CAPTION_RE.findall(match.group(1))
        ]
        return self.protect("".join(figures))

    def media_block(self, match: re.Match) -> str:
        kind, inner = match.group(1), match.group(2)
        source = _MEDIA_SRC_RE.search(inner)
        caption = _FIGCAPTION_RE.search(inner)
        if not source:
            self.problems.append(f"a {kind} block without a file was left out")
            return ""
        url = html_lib.unescape(source.group(1))
        link = _link(url, f"{kind.capitalize()}: {url.rsplit('/', 1)[-1]}")
        return self.protect(link) + (f"\n\n<p>{caption.group(1)}</p>\n\n" if caption else "")

    def file_block(self, match: re.Match) -> str:
        link = _HREF_RE.search(match.group(1))
        return self.protect(f'<p><a href="{link.group(1)}">{link.group(2)}</a></p>') if link else ""

    def cover_block(self, match: re.Match) -> str:
        inner = match.group(1)
        if _COVER_BACKGROUND_RE.search(inner) or "background-image" in inner:
            self.problems.append("a cover block's background picture was left out")
        return _COVER_BACKGROUND_RE.sub("", inner)

    def image_block(self, match: re.Match) -> str:
        """Older image blocks wrap a classless <figure> in a div: it is a library figure."""
        return _ANY_FIGURE_OPEN_RE.sub('<figure class="image">', match.group(1))

    def _src(self, img: str) -> str | None:
        match = _SRC_RE.search(img)
        return html_lib.unescape(match.group(1) or match.group(2)) if match else None

    def image_tag(self, img: str, attachment_id: str | None = None) -> str:
        """An <img> pointing at an old upload becomes one of the library image."""
        src = self._src(img)
        if attachment_id is None:
            found = _WP_IMAGE_CLASS_RE.search(img)
            attachment_id = found.group(1) if found else None
        image = self.find_image(src, attachment_id) if src else None
        if image is None:
            return img
        self.library_urls.add(image.url)
        alt = _ALT_RE.search(img)
        alt_text = html_lib.unescape(alt.group(1)) if alt and alt.group(1).strip() else image.alt
        return f'<img src="{image.url}" alt="{html_lib.escape(alt_text)}">'

    def convert(self, content: str) -> str:
        text = content.replace("\r\n", "\n")
        text = _MORE_RE.sub(f"\n\n{_MORE}\n\n", text, count=1)
        text = _MORE_RE.sub("", text)
        text = _NEXTPAGE_RE.sub("", text)
        blocks = "<!-- wp:" in text
        text = _GALLERY_BLOCK_RE.sub(self.gallery_block, text)
        text = _MEDIA_BLOCK_RE.sub(self.media_block, text)
        text = _FILE_BLOCK_RE.sub(self.file_block, text)
        text = _COVER_BLOCK_RE.sub(self.cover_block, text)
        text = _IMAGE_BLOCK_RE.sub(self.image_block, text)
        text = _BLOCK_COMMENT_RE.sub("", text)
        text = _CITE_RE.sub(r"<\1em>", text)
        text = _ESCAPED_SHORTCODE_RE.sub(lambda m: self.protect(html_lib.escape(m.group(1))), text)
        text = _BLOCK_EMBED_RE.sub(lambda m: self.protect(_link(m.group(1))), text)
        text = _CAPTION_RE.sub(self.caption, text)
        text = _EMBED_RE.sub(lambda m: self.protect(_link(m.group(1))), text)
        text = _GALLERY_RE.sub(self.gallery, text)
        text = _MEDIA_RE.sub(self.media, text)
        text = _ANY_SHORTCODE_RE.sub(self.unknown, text)
        # A URL alone on its line is an oEmbed in WordPress: here, a link.
        text = _BARE_URL_LINE_RE.sub(lambda m: self.protect(_link(m.group(1))), text)
        text = _WP_FIGURE_RE.sub('<figure class="image"', text)
        text = _IMG_RE.sub(lambda m: self.image_tag(m.group(0)), text)
        text = _DIV_RE.sub("\n", text)
        if not blocks:
            text = autop(text)
        text = self.restore(text)
        for pattern, replacement in _HEADING_MAP:
            text = pattern.sub(replacement, text)
        before, _, after = text.partition(_MORE)
        html = _clean(before)
        if _MORE in text:
            html += richtext.KEEP_READING_BREAK + _clean(after)
        return _figures_for_library_images(html, self.library_urls)


def _clean(html: str) -> str:
    """Sanitise, then drop the empty paragraphs that unwrapping blocks leaves behind."""
    return _EMPTY_P_RE.sub("", richtext.sanitize(html))


def _figures_for_library_images(html: str, library_urls: set[str]) -> str:
    """A library image sitting in a paragraph becomes a figure of its own, so it is drawn
    with its renditions and its credit like every other picture on the site."""
    figures = [(m.start(), m.end()) for m in _FIGURE_SPAN_RE.finditer(html)]

    def lift(match: re.Match) -> str:
        if any(start <= match.start() < end for start, end in figures):
            return match.group(0)
        if html_lib.unescape(match.group(2)) not in library_urls:
            return match.group(0)
        return f"</p>{_figure(match.group(1), '')}<p>"

    lifted = _LINKED_IMG_RE.sub(lift, html)
    return html if lifted == html else _clean(lifted)


def convert(
    content: str,
    *,
    find_image: ImageLookup = lambda src, attachment_id: None,
    gallery_ids: Callable[[], list[str]] = list,
) -> Converted:
    """The body for a WordPress post's content, and what could not be carried over."""
    converter = _Converter(find_image, gallery_ids)
    html = converter.convert(content or "")
    return Converted(html=html, problems=converter.problems)


def excerpt_html(excerpt: str) -> str:
    """A hand-written excerpt becomes the teaser (plain text in WordPress: paragraphs here)."""
    if not excerpt.strip():
        return ""
    return richtext.sanitize(autop(excerpt))


def old_site_images(html: str) -> list[str]:
    """The old paths of the pictures a converted body still loads from the old site (not
    from the library): they break when that site goes away."""
    paths = []
    for tag in _IMG_RE.findall(html or ""):
        src = _SRC_RE.search(tag)
        url = html_lib.unescape(src.group(1) or src.group(2)) if src else ""
        path = urlsplit(url).path
        if ("/wp-content/uploads/" in path or "files.wordpress.com" in url) and path not in paths:
            paths.append(path)
    return paths
