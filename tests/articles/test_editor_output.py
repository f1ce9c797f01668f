"""The formatting our CKEditor 5 toolbar produces survives the sanitiser unchanged and shows on
the story page. EDITOR_OUTPUT is the editor's own output, byte for byte: the browser test
tests/browser/test_editor_round_trip.py loads each piece into the real editor and checks that
getData() gives it back unchanged."""

import re

import pytest

from articles.models import Status
from newsroom.richtext import KEEP_READING_BREAK, embeds_as_links, sanitize
from tests.factories import make_article

IDS = iter(f"e{n:032x}" for n in range(1, 100))  # list item ids, as the editor writes them


def _li(text: str) -> str:
    return f'<li data-list-item-id="{next(IDS)}">{text}'


EDITOR_OUTPUT = {
    "headings, emphasis, links": (
        "<h2>Heading</h2><h3>Subheading with <i>style</i></h3>"
        "<p>Some <strong>bold</strong> and <i>italic</i> text with "
        '<a href="https://example.org/x?a=1&amp;b=2">a link</a>, '
        '<a href="https://example.org/"><strong>a bold link</strong></a> and '
        '<a href="mailto:desk@example.org">an address</a>.</p>'
    ),
    "typography and breaks": (
        "<p>Tom &amp; Jerry &lt;tag&gt; “quotes” — dash, ‘single’…</p>"
        "<p>line<br>break</p><p>&nbsp;</p>"
    ),
    "block quote": "<blockquote><p>A quote.</p><p>Its second paragraph.</p></blockquote>",
    "nested lists": (
        f"<ul>{_li('one')}<ul>{_li('nested')}<ol>{_li('deeper')}</li></ol></li></ul></li>"
        f"{_li('two')}</li></ul><ol>{_li('first')}</li>{_li('second')}</li></ol>"
    ),
    "figure with caption": (
        '<figure class="image"><img src="/media/images/ab/pic.jpg" alt="A picture">'
        '<figcaption>Caption with <i>style</i> and <a href="https://example.org/">a link'
        "</a></figcaption></figure>"
    ),
    "uploaded figure with its size": (
        '<figure class="image"><img style="aspect-ratio:640/480;" src="/media/images/ab/up.jpg"'
        ' alt="Uploaded" width="640" height="480"><figcaption>Caption</figcaption></figure>'
    ),
    "media embed": (
        '<figure class="media"><oembed url="https://www.youtube.com/watch?v=abc"></oembed></figure>'
    ),
    "table with header row and caption": (
        '<figure class="table"><table><thead><tr><th>Party</th><th>Seats</th></tr></thead>'
        "<tbody><tr><td>Greens</td><td>12</td></tr><tr><td>Liberals</td><td>9</td></tr>"
        "</tbody></table><figcaption>Seats after the vote</figcaption></figure>"
    ),
    "table with merged cells": (
        '<figure class="table"><table><tbody><tr><td colspan="2">Both</td></tr>'
        '<tr><td rowspan="2">Tall</td><td>a</td></tr><tr><td>b</td></tr></tbody></table>'
        "</figure>"
    ),
    "keep reading break": f"<p>Before.</p>{KEEP_READING_BREAK}<p>After.</p>",
}


def as_stored(html: str) -> str:
    """The one change the sanitiser makes on purpose: links get rel="noopener noreferrer"."""
    return re.sub(r'(<a href="[^"]*")', r'\1 rel="noopener noreferrer"', html)


@pytest.mark.parametrize("name", EDITOR_OUTPUT)
def test_the_sanitiser_keeps_what_the_editor_produces(name):
    html = EDITOR_OUTPUT[name]
    assert sanitize(html) == as_stored(html)
    assert sanitize(as_stored(html)) == as_stored(html)  # and a second save changes nothing


@pytest.mark.django_db
def test_the_editor_output_shows_on_the_story_page(client):
    story = make_article(status=Status.PUBLISHED, body="".join(EDITOR_OUTPUT.values()))
    page = client.get(story.get_absolute_url()).content.decode()
    for name, html in EDITOR_OUTPUT.items():
        # The break is an editing marker only; an embed is shown as a link to it.
        shown = embeds_as_links(as_stored(html).replace(KEEP_READING_BREAK, ""))
        assert shown in page, name


@pytest.mark.django_db
def test_a_library_pictures_caption_shows_as_typed(client):
    """A body picture from the library is drawn with its credit; its caption keeps the
    characters the editor typed (escaped once, not twice)."""
    from tests.images import make_image

    image = make_image()
    body = (
        f'<figure class="image"><img src="{image.file.url}" alt="A senator">'
        "<figcaption>Smith &amp; Jones &lt;AP&gt; “quoted”</figcaption></figure>"
    )
    story = make_article(status=Status.PUBLISHED, body=body)
    page = client.get(story.get_absolute_url()).content.decode()
    assert '<figcaption>Smith &amp; Jones &lt;AP&gt; “quoted” <span class="credit">' in page


@pytest.mark.django_db
def test_a_media_embed_is_shown_as_a_link_without_a_player(client):
    body = (
        '<figure class="media"><oembed url="https://www.youtube.com/watch?v=abc"></oembed></figure>'
    )
    story = make_article(status=Status.PUBLISHED, body=body)
    page = client.get(story.get_absolute_url()).content.decode()
    assert (
        '<figure class="media"><a href="https://www.youtube.com/watch?v=abc" '
        'rel="noopener noreferrer">https://www.youtube.com/watch?v=abc</a></figure>'
    ) in page
    assert "<oembed" not in page and "<iframe" not in page
