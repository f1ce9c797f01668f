"""The sanitiser over the whole XSS corpus, and every fragment the templates mark safe.

The browser tests (tests/browser/test_hostile_rich_text.py) prove nothing runs on the pages;
these check the HTML itself, quickly, for every vector in every position."""

import pytest

from articles.models import Article
from newsroom.richtext import KEEP_READING_BREAK, sanitize
from tests.articles.test_editor_output import EDITOR_OUTPUT
from tests.xss_vectors import problems_in, vectors

CORPUS = {f"vector {v.number}": v.html for v in vectors()} | EDITOR_OUTPUT


def bodies(html: str) -> list[str]:
    """The piece alone, among paragraphs, after a "keep reading" break and before one."""
    return [
        html,
        f"<p>One.</p>{html}<p>Two.</p><p>Three.</p><p>Four.</p>",
        f"<p>Before.</p>{KEEP_READING_BREAK}{html}<p>After.</p>",
        f"{html}<p>Before.</p>{KEEP_READING_BREAK}<p>After.</p>",
    ]


@pytest.mark.parametrize("vector", vectors(), ids=lambda v: str(v.number))
def test_no_vector_survives_the_sanitiser_and_the_result_is_stable(vector):
    clean = sanitize(vector.html)
    assert problems_in(clean) == []
    # Stored HTML parses back to itself: what a browser builds is what was checked.
    assert sanitize(clean) == clean


@pytest.mark.parametrize("name", CORPUS)
def test_every_fragment_the_templates_mark_safe_is_clean_and_balanced(name):
    """Body, preview and "keep reading" extract are cut out of the stored HTML; none may leave
    an element open that would swallow or close the page's own markup."""
    for body in bodies(CORPUS[name]):
        story = Article(body=sanitize(body))
        for fragment in (story.body_html, story.preview_html, story.extended_preview_html):
            assert problems_in(fragment) == []
            assert sanitize(fragment) == fragment, fragment
