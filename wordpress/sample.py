"""Writing WXR files: small hand-made exports for tests, and large generated ones for the
memory benchmark (`manage.py bench_wordpress_import`). Written as a stream, like WordPress."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from xml.sax.saxutils import escape, quoteattr

_HEAD = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"
 xmlns:content="http://purl.org/rss/1.0/modules/content/"
 xmlns:wfw="http://wellformedweb.org/CommentAPI/" xmlns:dc="http://purl.org/dc/elements/1.1/"
 xmlns:wp="http://wordpress.org/export/1.2/">
<channel>
<title>Sample newsroom</title>
<link>{site}</link>
<wp:wxr_version>1.2</wp:wxr_version>
<wp:base_site_url>{site}</wp:base_site_url>
<wp:base_blog_url>{site}</wp:base_blog_url>
"""
_TAIL = "</channel>\n</rss>\n"


def _cdata(text: str) -> str:
    return "<![CDATA[" + (text or "").replace("]]>", "]]]]><![CDATA[>") + "]]>"


@dataclass
class Post:
    post_id: int | None  # None: an item without <wp:post_id>, as some hand-made exports have
    title: str
    slug: str
    content: str = ""
    excerpt: str = ""
    post_type: str = "post"
    status: str = "publish"
    date: str = "2022-06-24 09:30:00"
    date_gmt: str = "2022-06-24 07:30:00"
    creator: str = "editor"
    categories: list[tuple[str, str]] = field(default_factory=list)  # (slug, name)
    tags: list[tuple[str, str]] = field(default_factory=list)
    coauthors: list[tuple[str, str]] = field(default_factory=list)  # (cap-login, name)
    meta: dict[str, str] = field(default_factory=dict)
    parent_id: int = 0
    sticky: bool = False
    password: str = ""
    attachment_url: str = ""
    link: str = ""
    guid: str = ""

    def xml(self, site: str) -> str:
        day = self.date[:10].replace("-", "/")
        link = self.link or (
            f"{site}/{day}/{self.slug}/"
            if self.post_type == "post"
            else f"{site}/?p={self.post_id}"
        )
        terms = "".join(
            f"<category domain={quoteattr(domain)} nicename={quoteattr(slug)}>{_cdata(name)}"
            "</category>"
            for domain, pairs in (
                ("category", self.categories),
                ("post_tag", self.tags),
                ("author", self.coauthors),
            )
            for slug, name in pairs
        )
        meta = "".join(
            f"<wp:postmeta><wp:meta_key>{escape(key)}</wp:meta_key>"
            f"<wp:meta_value>{_cdata(value)}</wp:meta_value></wp:postmeta>"
            for key, value in self.meta.items()
        )
        guid = self.guid or (f"{site}/?p={self.post_id}" if self.post_id is not None else "")
        post_id = f"<wp:post_id>{self.post_id}</wp:post_id>" if self.post_id is not None else ""
        attachment = (
            f"<wp:attachment_url>{escape(self.attachment_url)}</wp:attachment_url>"
            if self.attachment_url
            else ""
        )
        return (
            f"<item><title>{escape(self.title)}</title><link>{escape(link)}</link>"
            f'<guid isPermaLink="false">{escape(guid)}</guid>'
            f"<dc:creator>{_cdata(self.creator)}</dc:creator>"
            f"<content:encoded>{_cdata(self.content)}</content:encoded>"
            f"<excerpt:encoded>{_cdata(self.excerpt)}</excerpt:encoded>"
            f"{post_id}"
            f"<wp:post_date>{self.date}</wp:post_date>"
            f"<wp:post_date_gmt>{self.date_gmt}</wp:post_date_gmt>"
            f"<wp:post_modified>{self.date}</wp:post_modified>"
            f"<wp:post_modified_gmt>{self.date_gmt}</wp:post_modified_gmt>"
            f"<wp:post_name>{_cdata(self.slug)}</wp:post_name>"
            f"<wp:status>{self.status}</wp:status><wp:post_parent>{self.parent_id}</wp:post_parent>"
            f"<wp:post_type>{self.post_type}</wp:post_type>"
            f"<wp:post_password>{escape(self.password)}</wp:post_password>"
            f"<wp:is_sticky>{int(self.sticky)}</wp:is_sticky>"
            f"{attachment}{terms}{meta}</item>\n"
        )


def write_wxr(
    stream,
    *,
    authors: Iterable[tuple[str, str, str]] = (("editor", "Ed Itor", "ed@example.org"),),
    categories: Iterable[tuple[str, str, str]] = (),  # (slug, name, parent slug)
    tags: Iterable[tuple[str, str]] = (),
    items: Iterable[Post] = (),
    site: str = "https://old.example.org",
) -> None:
    stream.write(_HEAD.format(site=site))
    for login, name, email in authors:
        stream.write(
            f"<wp:author><wp:author_login>{_cdata(login)}</wp:author_login>"
            f"<wp:author_email>{_cdata(email)}</wp:author_email>"
            f"<wp:author_display_name>{_cdata(name)}</wp:author_display_name></wp:author>\n"
        )
    for slug, name, parent in categories:
        stream.write(
            f"<wp:category><wp:category_nicename>{_cdata(slug)}</wp:category_nicename>"
            f"<wp:category_parent>{_cdata(parent)}</wp:category_parent>"
            f"<wp:cat_name>{_cdata(name)}</wp:cat_name></wp:category>\n"
        )
    for slug, name in tags:
        stream.write(
            f"<wp:tag><wp:tag_slug>{_cdata(slug)}</wp:tag_slug>"
            f"<wp:tag_name>{_cdata(name)}</wp:tag_name></wp:tag>\n"
        )
    for item in items:
        stream.write(item.xml(site))
    stream.write(_TAIL)
