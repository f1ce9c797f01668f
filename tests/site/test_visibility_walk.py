"""Walk every public URL of the demo site: no unpublished story shows up anywhere.

Hidden stories of every kind (draft, submitted, returned, approved, scheduled, expired,
unpublished, archived) are linked from live ones as related teasers, share series, sections,
authors and tags with them, and carry corrections — every way they could leak.
"""

from collections import deque
from datetime import timedelta
from urllib.parse import urljoin, urlsplit

import pytest
from django.core.management import call_command
from django.utils import timezone
from lxml import etree
from lxml import html as lxml_html

from articles.models import Article, Correction, RelatedArticle
from sections.models import Series
from tests.factories import HIDDEN_STATES

pytestmark = pytest.mark.django_db


@pytest.fixture
def site_with_secrets(tmp_path):
    call_command("load_demo", logins_file=str(tmp_path / "l.json"), verbosity=0)
    live = Article.objects.live().order_by("pk")
    template = live.filter(series__isnull=False).first()
    series = Series.objects.get()
    now = timezone.now()
    secrets = []
    for n, (state, fields) in enumerate(HIDDEN_STATES.items()):
        publish_at = now - timedelta(days=1)
        if "publish_at" in fields:
            publish_at = now + fields["publish_at"]
        story = Article.objects.create(
            headline=f"Secretheadline{state}",
            slug=f"secret-slug-{state}",
            dek=f"Secretdek{state}",
            body=f"<p>Secretbody{state} peace talks Ukraine</p>",
            section=template.section,
            series=series,
            status=fields["status"],
            publish_at=publish_at,
            first_published_at=publish_at,
            unpublish_at=now + fields["unpublish_at"] if "unpublish_at" in fields else None,
        )
        story.bylines.create(author=template.bylines.first().author)
        story.tags.set(["Ukraine", "Diplomacy"])
        Correction.objects.create(article=story, text=f"Secretcorrection{state}")
        for host in live:
            RelatedArticle.objects.create(article=host, related=story, order=n)
        secrets.append(story)
    return secrets


def internal_links(base: str, content: bytes, content_type: str) -> set[str]:
    if "xml" in content_type or "rss" in content_type or "atom" in content_type:
        root = etree.fromstring(content)
        texts = root.xpath("//*[local-name()='loc']/text() | //*[local-name()='link']/text()")
        hrefs = root.xpath("//*[local-name()='link']/@href")
        found = [*texts, *hrefs]
    elif "html" in content_type:
        found = lxml_html.fromstring(content).xpath("//a/@href | //link/@href")
    else:
        return set()
    urls = set()
    for href in found:
        parts = urlsplit(urljoin(base, href.strip()))
        staff_or_files = parts.path.startswith(("/admin", "/static", "/media"))
        if parts.scheme not in ("http", "https"):  # mailto: (an author's public address)
            continue
        if parts.netloc in ("", "testserver") and not staff_or_files:
            urls.add(parts.path + (f"?{parts.query}" if parts.query else ""))
    return urls


def test_no_public_url_reveals_an_unpublished_story(client, site_with_secrets):
    start = ["/", "/sitemap.xml", "/news-sitemap.xml", "/robots.txt", "/feeds/rss/",
             "/feeds/atom/", "/corrections/", "/corrections/feed/"]  # fmt: skip
    # Lower case: the page echoes the query, but a hit would show the capitalised marker.
    start += [
        f"/search/?q={q}"
        for q in ("secretheadlinedraft", "peace talks", "secretbodyscheduled", "ukraine")
    ]
    queue, seen = deque(start), set(start)
    markers = [s.headline for s in site_with_secrets] + [s.slug for s in site_with_secrets]
    markers += ["Secretcorrection", "Secretdek", "Secretbody"]
    while queue:
        url = queue.popleft()
        response = client.get(url)
        assert response.status_code in (200, 301, 302), url
        if response.status_code != 200:
            target = response["Location"]
            if target not in seen:
                seen.add(target)
                queue.append(target)
            continue
        body = response.content.decode()
        for marker in markers:
            assert marker not in body, (url, marker)
        for link in internal_links(f"http://testserver{url}", response.content,
                                   response["Content-Type"]):  # fmt: skip
            if link not in seen and len(seen) < 600:
                seen.add(link)
                queue.append(link)
    assert len(seen) > 40  # the walk really went through the site
    for story in site_with_secrets:
        assert client.get(story.get_absolute_url()).status_code == 404
