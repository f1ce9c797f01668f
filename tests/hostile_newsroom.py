"""A newsroom whose every reader-facing field holds XSS vectors, entered through the admin.

Each field is saved by the least-privileged role that may edit it, with real POSTs to the
admin's add and change views: a Contributor writes the stories (body, teaser, headline, kicker,
dek, search and social texts, lead-image caption, byline roles, tags) and uploads the pictures
(caption, credit, alt text, source, copyright); an Editor adds authors, a series and the
corrections; a Publisher names the section and the site. Publishing itself goes through the
workflow services.
"""

import io
import struct
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.test import Client
from django.urls import reverse
from PIL import Image as PILImage

from articles import services
from articles.models import Article, Author
from articles.roles import CONTRIBUTOR, EDITOR, PUBLISHER
from media.models import Image
from sections.models import Section, Series
from tests import images
from tests.admin_forms import change_form_data
from tests.factories import make_user
from tests.xss_vectors import Vector, nastiest, packed, vectors

STORIES = 6
SEARCH_WORD = "Corpus"  # in every headline, so one search lists every story
# A valid web address (URL fields refuse javascript: and data:) that tries to close its href.
BREAKOUT_URL = 'https://example.org/"><img/src=x/onerror=alert(9999)>'


@dataclass
class HostileNewsroom:
    corpus: list[Vector]
    stories: list[Article] = field(default_factory=list)
    authors: list[Author] = field(default_factory=list)
    images: list[Image] = field(default_factory=list)
    tags: list = field(default_factory=list)
    section: Section | None = None
    series: Series | None = None
    editor: object = None
    wire: Image | None = None

    def reader_paths(self) -> list[str]:
        """Every public page that shows one of the hostile fields."""
        return [
            "/",
            self.section.get_absolute_url(),
            self.series.get_absolute_url(),
            *(author.get_absolute_url() for author in self.authors),
            *(reverse("tags:detail", args=[tag.slug]) for tag in self.tags),
            f"{reverse('search:results')}?q={SEARCH_WORD}",
            # What a reader types is echoed back on the page too.
            f"{reverse('search:results')}?{urlencode({'q': nastiest()[1].html})}",
            reverse("corrections:list"),
            *(story.get_absolute_url() for story in self.stories),
        ]

    def preview_paths(self) -> list[str]:
        return [reverse("admin:articles_article_preview", args=[s.pk]) for s in self.stories]

    def feed_paths(self) -> list[str]:
        bases = ["/feeds/", f"/feeds/sections/{self.section.slug}/",
                 f"/feeds/series/{self.series.slug}/",
                 *(f"/feeds/authors/{a.slug}/" for a in self.authors),
                 *(f"/feeds/tags/{t.slug}/" for t in self.tags)]  # fmt: skip
        paths = [f"{base}{kind}/{full}" for base in bases for kind in ("rss", "atom")
                 for full in ("", "?full=1")]  # fmt: skip
        return [*paths, reverse("corrections:feed")]


def _share(corpus: list[Vector], part: int, parts: int, *, wrap: bool = False) -> str:
    """One part of the corpus, every `parts`-th vector; with `wrap`, every other one inside a
    paragraph, so the preview and "keep reading" extracts meet them too."""
    chosen = corpus[part::parts]
    if not wrap:
        return " ".join(v.html for v in chosen)
    return "".join(f"<p>{v.html}</p>" if i % 2 else v.html for i, v in enumerate(chosen))


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _post_ok(client: Client, url: str, data: dict, **extra):
    response = client.post(url, data, **extra)
    errors = getattr(response, "context", None) and response.context.get("errors")
    assert response.status_code == 302, (url, errors)
    return response


def _picture(n: int) -> bytes:
    buffer = io.BytesIO()
    PILImage.new("RGB", (64, 48), (n * 37 % 256, n * 91 % 256, 120)).save(buffer, "PNG")
    return buffer.getvalue()


def _wire_photo(short: list[Vector]) -> bytes:
    """A JPEG whose IPTC block (as agencies send it) carries vectors in its caption, byline,
    credit and copyright, which the library copies into the empty fields on upload."""

    def dataset(number: int, text: str) -> bytes:
        value = text.encode()
        return b"\x1c\x02" + bytes([number]) + struct.pack(">H", len(value)) + value

    fields = (120, 80, 110, 116)  # caption, byline, credit, copyright
    iptc = b"".join(dataset(number, packed(short, 200, start=i)) for i, number in enumerate(fields))
    resource = b"8BIM" + struct.pack(">H", 0x0404) + b"\x00\x00" + struct.pack(">I", len(iptc))
    resource += iptc + (b"\x00" if len(iptc) % 2 else b"")
    payload = b"Photoshop 3.0\x00" + resource
    segment = b"\xff\xed" + struct.pack(">H", len(payload) + 2) + payload
    plain = images.jpeg_bytes((50, 40), colour=(1, 2, 3))
    return plain[:2] + segment + plain[2:]


def _upload_image(client, n: int, short: list[Vector], corpus: list[Vector]) -> Image:
    data = {
        "upload": images.upload(f"x{n}.png", _picture(n), "image/png"),
        "title": packed(short, 255, start=n),
        "alt_text": packed(short, 400, start=n + 1),
        "caption": _share(corpus, n % STORIES, STORIES),
        "credit": packed(short, 255, start=n + 2),
        "copyright_notice": packed(short, 255, start=n + 3),
        "source": packed(short, 255, start=n + 4),
        "licence": packed(short, 255, start=n + 5),
        "usable_until": "",
        "focal_x": "0.5",
        "focal_y": "0.5",
    }
    _post_ok(client, reverse("admin:media_image_add"), data)
    return Image.objects.latest("pk")


def _add_via_admin(client, model_url: str, data: dict):
    _post_ok(client, reverse(model_url), data)


def _change_via_admin(client, url: str, **changes):
    data = change_form_data(client.get(url))
    data.update(changes)
    _post_ok(client, url, data)


def build() -> HostileNewsroom:
    """Make the hostile newsroom; returns what the tests need to visit it."""
    contributor, editor, publisher = (make_user(r) for r in (CONTRIBUTOR, EDITOR, PUBLISHER))
    as_contributor, as_editor, as_publisher = map(_client, (contributor, editor, publisher))
    short = nastiest() + [v for v in vectors() if len(v.html) <= 60]

    # Pictures first: body vectors point at a library image to reach its rewriting.
    pictures = [_upload_image(as_contributor, n, short, vectors()) for n in range(STORIES)]
    # And a wire photo: its caption, credit and copyright come from the file itself.
    _post_ok(as_contributor, reverse("admin:media_image_add"), {
        "upload": images.upload("wire.jpg", _wire_photo(short)), "title": "",
        "alt_text": packed(short, 400, start=7), "caption": "", "credit": "",
        "copyright_notice": "", "source": "", "licence": "", "usable_until": "",
        "focal_x": "0.5", "focal_y": "0.5",
    })  # fmt: skip
    wire_photo = Image.objects.latest("pk")
    corpus = vectors(library_src=pictures[0].file.url)
    newsroom = HostileNewsroom(corpus=corpus, images=pictures, editor=editor, wire=wire_photo)

    # The publisher names the site and the section.
    _change_via_admin(
        as_publisher, reverse("admin:newsroom_sitesettings_change"),
        site_name=packed(short, 100, start=1), tagline=packed(short, 200, start=2),
        x_url=BREAKOUT_URL,
    )  # fmt: skip
    _add_via_admin(as_publisher, "admin:sections_section_add", {
        "name": packed(short, 100, start=3), "slug": "hostile", "parent": "", "order": "0",
        "show_in_navigation": "on", "description": _share(corpus, 0, 2),
    })  # fmt: skip
    newsroom.section = Section.objects.get(slug="hostile")

    # The editor adds the people and the series.
    for n in range(2):
        _add_via_admin(as_editor, "admin:articles_author_add", {
            "name": packed(short, 150, start=4 + n), "slug": f"hostile-{n}",
            "job_title": packed(short, 150, start=6 + n), "bio": _share(corpus, n, 2),
            "photo": (pictures[0], wire_photo)[n].pk, "x_url": "", "bluesky_url": "",
            "linkedin_url": "", "email": "", "website": BREAKOUT_URL, "user": "",
        })  # fmt: skip
    newsroom.authors = list(Author.objects.filter(slug__startswith="hostile-").order_by("slug"))
    _add_via_admin(as_editor, "admin:sections_series_add", {
        "name": packed(short, 100, start=8), "slug": "hostile-series",
        "description": _share(corpus, 1, 2), "image": pictures[1].pk,
        "cadence": packed(short, 50, start=9), "is_active": "on",
    })  # fmt: skip
    newsroom.series = Series.objects.get(slug="hostile-series")

    # The contributor makes tags and writes the stories.
    from taggit.models import Tag

    for n in range(2):
        name = packed(short, 100, start=10 + n)
        _add_via_admin(
            as_contributor, "admin:taggit_tag_add", {"name": name, "slug": f"hostile-tag-{n}"}
        )
    newsroom.tags = list(Tag.objects.filter(slug__startswith="hostile-tag-").order_by("slug"))
    for k in range(STORIES):
        _add_story(as_contributor, newsroom, k, short)
    newsroom.stories = list(Article.objects.filter(section=newsroom.section).order_by("pk"))

    # The editor adds a correction to each; then the story goes through the workflow.
    for k, story in enumerate(newsroom.stories):
        _add_correction(as_editor, story, corpus, k)
        story.refresh_from_db()
        services.submit(article=story, user=contributor)
        services.approve(article=story, user=editor)
        services.publish(article=story, user=publisher)
    newsroom.stories = list(Article.objects.filter(section=newsroom.section).order_by("pk"))
    return newsroom


def _add_story(client, newsroom: HostileNewsroom, k: int, short: list[Vector]) -> None:
    corpus = newsroom.corpus
    body = f"<p>Story {k} starts plainly.</p>" + _share(corpus, k, STORIES, wrap=True)
    if k == STORIES - 2:  # a "keep reading" break, to reach the preview split
        from newsroom.richtext import KEEP_READING_BREAK

        body = f"<p>Before the break.</p>{KEEP_READING_BREAK}{body}"
    inlines = {"bylines": 2, "tagged_items": 2, "related_links": 0, "corrections": 0,
               "sources": 0}  # fmt: skip
    data = {
        "headline": packed(short, 255, start=k, prefix=f"{SEARCH_WORD} {k}"),
        "kicker": packed(short, 80, start=k + 1),
        "dek": _share(corpus, (k + 1) % STORIES, STORIES),
        "article_type": "analysis",
        "section": newsroom.section.pk,
        "series": newsroom.series.pk if k < 3 else "",
        "body": body,
        # Two stories keep no teaser, so their preview comes from the body.
        "teaser": _share(corpus, k, STORIES - 2) if k < STORIES - 2 else "",
        "lead_image": newsroom.images[k].pk,
        "lead_image_caption": _share(corpus, (k + 2) % STORIES, STORIES) if k % 2 else "",
        "social_image": (newsroom.wire if k == 0 else newsroom.images[k - 1]).pk,
        "slug": "",
        "seo_title": packed(short, 120, start=k + 2),
        "seo_description": packed(short, 300, start=k + 3),
        **{f"{p}-TOTAL_FORMS": str(n) for p, n in inlines.items()},
        **{f"{p}-INITIAL_FORMS": "0" for p in inlines},
    }
    for n, author in enumerate(newsroom.authors):
        data |= {f"bylines-{n}-author": author.pk, f"bylines-{n}-order": str(n),
                 f"bylines-{n}-role": packed(short, 60, start=k + n)}  # fmt: skip
    for n, tag in enumerate(newsroom.tags):
        data[f"tagged_items-{n}-tag"] = tag.pk
    _post_ok(client, reverse("admin:articles_article_add"), data)


def _add_correction(client, story: Article, corpus: list[Vector], k: int) -> None:
    url = reverse("admin:articles_article_change", args=[story.pk])
    data = change_form_data(client.get(url))
    text = " ".join(v.html for v in nastiest()) + " " + _share(corpus, (k + 3) % STORIES, STORIES)
    data |= {
        "corrections-TOTAL_FORMS": "1",
        "corrections-0-kind": "correction",
        "corrections-0-published_at_0": "2026-01-02",
        "corrections-0-published_at_1": "10:00:00",
        "corrections-0-text": text,
    }
    _post_ok(client, url, data)
