"""Reading a WordPress eXtended RSS (WXR) export as a stream.

An export can be gigabytes; it is never held in memory. Each top-level element of the
`<channel>` (author, category, tag, item) is turned into a small record, handed over, and
dropped from the parse tree. `check()` makes a first pass over the whole file so a truncated
or malformed export is refused, naming its line, before anything is imported.

The parser is defusedxml's: an export with a DTD or entity declarations (the XML bomb and
external-entity tricks) is refused rather than expanded.
"""

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse

# WXR 1.0 to 1.2 differ in their namespace URIs only (and http/https); local names are stable.
_NAMESPACES = (
    ("wordpress.org/export/", "excerpt/", "excerpt"),
    ("wordpress.org/export/", "", "wp"),
    ("purl.org/rss/1.0/modules/content/", "", "content"),
    ("purl.org/dc/elements/1.1/", "", "dc"),
)


class WXRError(Exception):
    """The file is not a WordPress export we can read; the message says where and why."""


def _short(tag: str) -> str:
    """`{https://wordpress.org/export/1.2/}post_id` -> `wp:post_id`."""
    if not tag.startswith("{"):
        return tag
    uri, local = tag[1:].split("}", 1)
    for marker, suffix, prefix in _NAMESPACES:
        if marker in uri and uri.endswith(suffix):
            return f"{prefix}:{local}"
    return local


def _text(element: Element, name: str) -> str:
    for child in element:
        if _short(child.tag) == name:
            return (child.text or "").strip() if name not in _RAW else child.text or ""
    return ""


# Fields whose whitespace matters (HTML bodies): kept as they are.
_RAW = {"content:encoded", "excerpt:encoded", "wp:comment_content"}


@dataclass
class Author:
    login: str
    email: str
    display_name: str
    first_name: str
    last_name: str


@dataclass
class Term:
    """A category, a tag, or another taxonomy's term (`wp:term`, e.g. Co-Authors Plus)."""

    taxonomy: str  # "category", "post_tag", "author", ...
    slug: str
    name: str
    parent: str = ""
    description: str = ""
    term_id: str = ""


@dataclass
class Item:
    """A post, page, attachment, menu item or any other WordPress post type."""

    post_id: str
    post_type: str
    status: str
    title: str
    link: str
    guid: str
    slug: str
    content: str
    excerpt: str
    creator: str
    date: str
    date_gmt: str
    modified: str
    modified_gmt: str
    parent_id: str
    is_sticky: bool
    password: str
    attachment_url: str
    terms: list[tuple[str, str, str]] = field(default_factory=list)  # (taxonomy, slug, name)
    meta: dict[str, list[str]] = field(default_factory=dict)
    comments: int = 0

    def meta_value(self, key: str) -> str:
        values = self.meta.get(key)
        return values[0] if values else ""

    def terms_of(self, taxonomy: str) -> list[tuple[str, str]]:
        return [(slug, name) for kind, slug, name in self.terms if kind == taxonomy]


@dataclass
class Summary:
    """What the first pass found: the site's address and how many of each post type."""

    base_site_url: str = ""
    base_blog_url: str = ""
    wxr_version: str = ""
    authors: int = 0
    terms: int = 0
    items: Counter = field(default_factory=Counter)


def _author(element: Element) -> Author:
    return Author(
        login=_text(element, "wp:author_login"),
        email=_text(element, "wp:author_email"),
        display_name=_text(element, "wp:author_display_name"),
        first_name=_text(element, "wp:author_first_name"),
        last_name=_text(element, "wp:author_last_name"),
    )


def _term(element: Element) -> Term:
    kind = _short(element.tag)
    if kind == "wp:category":
        return Term(
            taxonomy="category",
            slug=_text(element, "wp:category_nicename"),
            name=_text(element, "wp:cat_name"),
            parent=_text(element, "wp:category_parent"),
            description=_text(element, "wp:category_description"),
            term_id=_text(element, "wp:term_id"),
        )
    if kind == "wp:tag":
        return Term(
            taxonomy="post_tag",
            slug=_text(element, "wp:tag_slug"),
            name=_text(element, "wp:tag_name"),
            description=_text(element, "wp:tag_description"),
            term_id=_text(element, "wp:term_id"),
        )
    return Term(
        taxonomy=_text(element, "wp:term_taxonomy"),
        slug=_text(element, "wp:term_slug"),
        name=_text(element, "wp:term_name"),
        parent=_text(element, "wp:term_parent"),
        description=_text(element, "wp:term_description"),
        term_id=_text(element, "wp:term_id"),
    )


def _item(element: Element) -> Item:
    meta: dict[str, list[str]] = {}
    terms, comments = [], 0
    for child in element:
        name = _short(child.tag)
        if name == "category" and child.get("domain"):
            terms.append(
                (child.get("domain"), child.get("nicename", ""), (child.text or "").strip())
            )
        elif name == "wp:postmeta":
            meta.setdefault(_text(child, "wp:meta_key"), []).append(_text(child, "wp:meta_value"))
        elif name == "wp:comment":
            comments += 1
    return Item(
        post_id=_text(element, "wp:post_id"),
        post_type=_text(element, "wp:post_type") or "post",
        status=_text(element, "wp:status"),
        title=_text(element, "title"),
        link=_text(element, "link"),
        guid=_text(element, "guid"),
        slug=_text(element, "wp:post_name"),
        content=_text(element, "content:encoded"),
        excerpt=_text(element, "excerpt:encoded"),
        creator=_text(element, "dc:creator"),
        date=_text(element, "wp:post_date"),
        date_gmt=_text(element, "wp:post_date_gmt"),
        modified=_text(element, "wp:post_modified"),
        modified_gmt=_text(element, "wp:post_modified_gmt"),
        parent_id=_text(element, "wp:post_parent"),
        is_sticky=_text(element, "wp:is_sticky") == "1",
        password=_text(element, "wp:post_password"),
        attachment_url=_text(element, "wp:attachment_url"),
        terms=terms,
        meta=meta,
        comments=comments,
    )


_RECORDS = {
    "wp:author": _author,
    "wp:category": _term,
    "wp:tag": _term,
    "wp:term": _term,
    "item": _item,
}


def _elements(path) -> Iterator[tuple[str, Element | None, Element | None]]:
    """(short tag, element, channel) for each finished element directly under <channel>;
    the parse tree is emptied behind it so memory stays flat whatever the file's size."""
    channel = None
    depth = 0
    try:
        for event, element in iterparse(path, events=("start", "end"), forbid_dtd=True):
            if event == "start":
                depth += 1
                if depth == 2 and _short(element.tag) == "channel":
                    channel = element
                continue
            depth -= 1
            if depth == 0 and _short(element.tag) != "rss":
                raise WXRError("This is not a WordPress export: the root element is not <rss>.")
            if channel is not None and depth == 2:
                yield _short(element.tag), element, channel
                channel.remove(element)
    except ParseError as error:
        line, column = error.position
        reason = re.sub(r": line \d+, column \d+$", "", str(error))
        hint = ""
        if reason.startswith(("no element found", "unclosed token")):
            hint = " The file may be cut short: export it again, or check the download."
        raise WXRError(
            f"The export is not well-formed XML at line {line}, column {column + 1}: "
            f"{reason}.{hint} Nothing was imported."
        ) from None
    except DefusedXmlException:
        raise WXRError(
            "The export declares a DTD or entities, which WordPress exports never do and which "
            "can be used to read files or exhaust memory: refused. Nothing was imported."
        ) from None
    if channel is None:
        raise WXRError("This is not a WordPress export: it has no <rss><channel>.")


def check(path) -> Summary:
    """Read the whole file once without keeping it: refuse a malformed export (naming the
    line) before anything is imported, and count what it holds for the progress bar."""
    summary = Summary()
    for tag, element, _channel in _elements(path):
        if tag == "item":
            summary.items[_text(element, "wp:post_type") or "post"] += 1
        elif tag == "wp:author":
            summary.authors += 1
        elif tag in ("wp:category", "wp:tag", "wp:term"):
            summary.terms += 1
        elif tag == "wp:base_site_url":
            summary.base_site_url = (element.text or "").strip()
        elif tag == "wp:base_blog_url":
            summary.base_blog_url = (element.text or "").strip()
        elif tag == "wp:wxr_version":
            summary.wxr_version = (element.text or "").strip()
    if not summary.wxr_version:
        raise WXRError("This is not a WordPress export: it has no <wp:wxr_version>.")
    return summary


def records(path) -> Iterator[Author | Term | Item]:
    """The export's authors, terms and items, one at a time, in file order."""
    for tag, element, _channel in _elements(path):
        reader = _RECORDS.get(tag)
        if reader:
            yield reader(element)
