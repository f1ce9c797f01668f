"""An issue as an email, received by a real SMTP server and read back with the email package:
the headers mail clients and providers rely on, both parts, counted links to the stories,
pictures from their existing renditions with their credits, and nothing unescaped."""

import re
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.test import override_settings

from articles.models import Status
from audience.redirects import click_url
from media.models import Rendition
from media.renditions import build_renditions
from newsletters import links
from newsletters.issue_email import issue_message
from newsletters.issues import create_issue
from tests.factories import make_article
from tests.images import jpeg_bytes, make_image
from tests.xss_vectors import URL_ATTRIBUTES, nastiest, vectors

from .issue_factories import _issue_inbox, confirmed_subscriber, make_newsletter, make_series  # noqa: F401

pytestmark = pytest.mark.django_db


SITE = "https://news.example.org"


@pytest.fixture
def issue():
    series = make_series(name="Diplomacy Watch")
    letter = make_newsletter(series=series, name="Diplomacy Watch", sender_name="Mara at TFD")
    picture = make_image(jpeg_bytes((1300, 800)), caption="Ships wait on the Bosphorus.",
                         credit="Alex Edelman/Pool via REUTERS")  # fmt: skip
    build_renditions(picture)
    first = make_article(status=Status.PUBLISHED, series=series, lead_image=picture,
                         headline="Talks resume", dek="Quietly, in Istanbul.")  # fmt: skip
    second = make_article(status=Status.PUBLISHED, series=series, headline="A summit")
    issue = create_issue(letter, [first, second], subject="Talks resume")
    issue.intro = "Two stories this week.\n\nRead on."
    issue.save()
    return issue


def received(inbox, message):
    with mail.get_connection() as connection:
        assert connection.send_messages([message]) == 1
    [got] = inbox.messages
    return got


@override_settings(SITE_URL=SITE)
def test_an_issue_arrives_with_list_headers_both_parts_and_canonical_links(issue, issue_inbox):
    reader = confirmed_subscriber(issue.newsletter, "reader@example.org")
    got = received(issue_inbox, issue_message(issue, reader))
    assert got["From"] == "Mara at TFD <letters@example.org>"
    assert got["Reply-To"] == "editors@example.org"
    assert got["To"] == "reader@example.org"
    assert got["Subject"] == "Talks resume"
    assert re.fullmatch(r"<[^@\s]+@example\.org>", got["Message-ID"])
    # A long address is folded onto its own line: the header's value is the same.
    [unsubscribe] = re.fullmatch(r"<(https://[^>]+)>", got["List-Unsubscribe"].strip()).groups()
    assert got["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    data = links.read_token("unsubscribe", urlsplit(unsubscribe).path.split("/")[-2])
    assert data.subscriber == reader and data.issue_id == issue.pk
    text = got.get_body(("plain",)).get_content()
    html = got.get_body(("html",)).get_content()
    for story in issue.stories.all():
        # Each story through its signed, counted redirect (audience/redirects.py).
        counted = click_url(issue_id=issue.pk, story_id=story.pk)
        assert counted.startswith(SITE + "/n/")
        assert counted in text and f'href="{counted}"' in html
    assert "Two stories this week." in text and "Two stories this week." in html
    assert unsubscribe in text and f'href="{unsubscribe}"' in html
    [token] = re.findall(SITE + r"/newsletters/preferences/([^/\s]+)/", text)
    assert links.read_token("preferences", token).subscriber == reader
    web = SITE + issue.get_absolute_url()
    assert web in text and f'href="{web}"' in html


@override_settings(SITE_URL=SITE)
def test_the_html_has_its_css_inlined_and_pictures_from_renditions_with_credits(issue, issue_inbox):
    reader = confirmed_subscriber(issue.newsletter, "reader@example.org")
    html = received(issue_inbox, issue_message(issue, reader)).get_body(("html",)).get_content()
    assert "<style" not in html and 'style="' in html
    [src] = re.findall(r'<img[^>]+src="([^"]+)"', html)
    assert src.startswith(SITE + "/")
    stored = {SITE + r.url for r in Rendition.objects.filter(format="jpeg", kind="lead")}
    assert src in stored, "an existing JPEG rendition, never a crop made for the email"
    assert "Alex Edelman/Pool via REUTERS" in html


def test_the_plain_text_names_each_picture_with_its_credit(issue):
    reader = confirmed_subscriber(issue.newsletter, "reader@example.org")
    text = issue_message(issue, reader).body
    assert "Picture: Ships wait on the Bosphorus. (Alex Edelman/Pool via REUTERS)" in text


def test_a_story_taken_off_the_site_leaves_the_issue(issue):
    gone = issue.stories.get(headline="A summit")
    type(gone).objects.filter(pk=gone.pk).update(status=Status.UNPUBLISHED)
    reader = confirmed_subscriber(issue.newsletter, "reader@example.org")
    message = issue_message(issue, reader)
    assert "A summit" not in message.body
    assert "A summit" not in message.alternatives[0][0]


@override_settings(SITE_URL=SITE)
def test_a_test_copy_is_marked_and_signs_no_subscriber_link(issue, issue_inbox):
    got = received(issue_inbox, issue_message(issue, None, test=True, to="editor@example.org"))
    assert got["To"] == "editor@example.org"
    assert got["Subject"] == "[Test] Talks resume"
    assert got["List-Unsubscribe"] == f"<{SITE}/newsletters/>"
    assert "Test copy" in got.get_body(("html",)).get_content()


def dangers(html: str) -> list[str]:
    """What in an email's HTML could run: script-like elements, handlers, script URLs."""
    import lxml.html

    found = []
    for element in lxml.html.document_fromstring(html).iter():
        tag = element.tag if isinstance(element.tag, str) else "comment"
        if tag in {"script", "iframe", "object", "embed", "svg", "math", "form", "base"}:
            found.append(f"<{tag}>")
        for name, value in element.attrib.items():
            if name.lower().startswith("on"):
                found.append(f"{tag}[{name}]")
            if name.lower() in URL_ATTRIBUTES and re.match(
                r"(javascript|vbscript|data|livescript):", re.sub(r"[\x00-\x20]", "", value).lower()
            ):
                found.append(f"{tag}[{name}={value[:40]}]")
    return found


def test_hostile_input_in_every_field_never_reaches_the_email_unescaped():
    """The plain-text vectors in the newsletter's, issue's and story's fields, the rich-text
    corpus in the story's body: the email's HTML has nothing that could run."""
    plain = [v.html for v in nastiest()]
    rich = [v.html for v in vectors()]
    series = make_series()
    for n, vector in enumerate(plain):
        letter = make_newsletter(series=series, name=vector[:100], sender_name=vector[:100])
        story = make_article(status=Status.PUBLISHED, series=series, headline=vector[:255],
                             dek=vector, body=rich[n % len(rich)])  # fmt: skip
        issue = create_issue(letter, [story], subject=vector)
        issue.intro = vector
        issue.save()
        message = issue_message(issue, confirmed_subscriber(letter, f"r{n}@example.org"))
        assert dangers(message.alternatives[0][0]) == [], vector
        message.message()  # the headers are well formed (no injected header lines)


def test_an_issue_is_rendered_once_for_all_its_readers(issue, django_assert_num_queries):
    """The worker's send of a large list renders and inlines the issue once: each further
    copy only fills in its reader's own links, without a query."""
    first = confirmed_subscriber(issue.newsletter, "first@example.org")
    second = confirmed_subscriber(issue.newsletter, "second@example.org")
    issue_message(issue, first)
    with django_assert_num_queries(0):
        copy = issue_message(issue, second)
    [token] = re.findall(r"/newsletters/unsubscribe/([^/\s]+)/", copy.body)
    assert links.read_token("unsubscribe", token).subscriber == second
    assert "first@example.org" not in copy.alternatives[0][0]
