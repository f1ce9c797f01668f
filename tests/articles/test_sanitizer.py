"""Rich text keeps what the editor's toolbar makes and nothing that could run."""

import pytest

from articles import services
from articles.models import Article
from newsroom.richtext import KEEP_READING_BREAK, sanitize

TOOLBAR_OUTPUT = (
    "<h2>Heading</h2><h3>Subheading</h3>"
    '<p>Some <strong>bold</strong> and <em>italic</em> and <a href="https://example.org/x">'
    "a link</a>.</p>"
    "<blockquote><p>A quote.</p></blockquote>"
    "<ul><li>one</li><li>two</li></ul><ol><li>first</li></ol>"
    '<figure class="image"><img src="/media/images/ab/pic.jpg" alt="A picture">'
    "<figcaption>Caption</figcaption></figure>"
    '<figure class="media"><oembed url="https://www.youtube.com/watch?v=abc"></oembed></figure>'
    + KEEP_READING_BREAK
    + "<p>After the break.</p>"
)


def test_everything_the_toolbar_produces_survives_unchanged():
    expected = TOOLBAR_OUTPUT.replace(
        'href="https://example.org/x"', 'href="https://example.org/x" rel="noopener noreferrer"'
    )
    assert sanitize(TOOLBAR_OUTPUT) == expected


@pytest.mark.parametrize(
    "hostile",
    [
        "<script>alert(1)</script>",
        '<img src="x" onerror="alert(1)">',
        '<a href="javascript:alert(1)">x</a>',
        '<a href="JaVaScRiPt:alert(1)">x</a>',
        '<a href="&#106;avascript:alert(1)">x</a>',
        '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
        '<p onmouseover="alert(1)">x</p>',
        '<svg onload="alert(1)"></svg>',
        '<iframe src="https://evil.example"></iframe>',
        '<div style="background:url(javascript:alert(1))">x</div>',
        '<oembed url="javascript:alert(1)"></oembed>',
        "<style>body{}</style>",
        '<form action="https://evil.example"><input></form>',
    ],
)
def test_scripts_event_handlers_and_javascript_urls_are_stripped(hostile):
    clean = sanitize(hostile).lower()
    for marker in ("<script", "onerror", "onload", "onmouseover", "javascript:", "data:",
                   "<iframe", "<svg", "<style", "<form", "background"):  # fmt: skip
        assert marker not in clean


@pytest.mark.django_db
def test_body_and_teaser_are_sanitised_on_save(contributor, section):
    story = services.save_article(
        article=Article(
            headline="Hostile copy",
            section=section,
            body='<p onclick="x()">Body<script>alert(1)</script></p>',
            teaser='<a href="javascript:alert(1)">Teaser</a>',
        ),
        user=contributor,
    )
    story.refresh_from_db()
    assert story.body == "<p>Body</p>"
    assert "javascript" not in story.teaser


def test_preview_is_the_body_up_to_the_keep_reading_break():
    story = Article(body=f"<p>One.</p><p>Two.</p>{KEEP_READING_BREAK}<p>Three.</p>")
    assert story.preview_html == "<p>One.</p><p>Two.</p>"
    assert "page-break" not in story.body_html and "Three." in story.body_html


def test_preview_without_a_break_is_the_first_paragraphs_and_a_teaser_wins():
    story = Article(body="<p>One.</p><h2>H</h2><p>Two.</p><p>Three.</p>")
    # A heading inside a preview becomes a bold paragraph: the teaser's headline is the heading.
    assert story.preview_html == "<p>One.</p><p><strong>H</strong></p><p>Two.</p>"
    story.teaser = "<p>Editor's teaser.</p>"
    assert story.preview_html == "<p>Editor's teaser.</p>"


@pytest.mark.django_db
def test_no_write_path_can_store_unsanitised_html(section):
    """Even a save that bypasses the services (an import, the shell) is sanitised."""
    story = Article.objects.create(
        headline="Direct", slug="direct", section=section, body="<p>ok</p><script>x</script>"
    )
    assert Article.objects.get(pk=story.pk).body == "<p>ok</p>"
