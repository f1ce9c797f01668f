"""Search: any input gives a page, only live stories are found, headline beats dek beats body."""

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from articles import search
from articles.models import Status
from sections.models import Series
from tests.factories import make_article, make_author, make_section

pytestmark = pytest.mark.django_db

HOSTILE_INPUTS = [
    "",
    " ",
    '"unbalanced quote',
    "peace & | ! ( ) : * <-> talks",
    "-",
    "OR AND NOT",
    "x" * 5000,
    "peace\x00talks",
    "\x01\x02\x1f\x7f",
    "мирные переговоры",
    "محادثات السلام",
    "和平谈判",
    "🕊️ peace",
    "'; DROP TABLE articles_article; --",
    "<script>alert(1)</script>",
    "%",
    "_",
    "\\",
]


@pytest.mark.parametrize("text", HOSTILE_INPUTS)
def test_any_input_returns_a_page(client, text):
    make_article(status=Status.PUBLISHED, headline="Peace talks resume")
    response = client.get("/search/", {"q": text})
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in response.content.decode()


def test_only_live_stories_are_found():
    make_article(status=Status.PUBLISHED, headline="Peace talks resume")
    make_article(status=Status.DRAFT, headline="Peace talks secret draft")
    make_article(
        status=Status.PUBLISHED,
        headline="Peace talks scheduled",
        publish_at=timezone.now() + timedelta(days=1),
    )
    assert [s.headline for s in search.search("peace talks")] == ["Peace talks resume"]


def test_headline_beats_dek_beats_body():
    if connection.vendor != "postgresql":
        pytest.skip("Weighted ranking is PostgreSQL full-text search.")
    body = make_article(status=Status.PUBLISHED, headline="One", body="<p>Ceasefire here.</p>")
    dek = make_article(status=Status.PUBLISHED, headline="Two", dek="Ceasefire in the dek.")
    headline = make_article(status=Status.PUBLISHED, headline="Ceasefire agreed")
    assert list(search.search("ceasefire")) == [headline, dek, body]


def test_stemming_and_highlighted_snippets(client):
    if connection.vendor != "postgresql":
        pytest.skip("Stemming is PostgreSQL full-text search.")
    make_article(
        status=Status.PUBLISHED,
        headline="Diplomats meet",
        body="<p>The negotiators were negotiating a prisoner exchange in Istanbul.</p>",
    )
    html = client.get("/search/", {"q": "negotiate"}).content.decode()
    assert "Diplomats meet" in html and "<mark>" in html


def test_sqlite_still_finds_words_in_any_order(client):
    make_article(status=Status.PUBLISHED, headline="Senate vote on Syria troops")
    results = [s.headline for s in search.search("troops senate")]
    assert results == ["Senate vote on Syria troops"]


def test_filters_by_section_series_author_and_dates(client):
    europe = make_section(slug="europe")
    series = Series.objects.create(name="Watch", slug="watch")
    author = make_author(slug="mara")
    now = timezone.now()
    match = make_article(
        status=Status.PUBLISHED, headline="Talks in Europe", section=europe, series=series,
        author=author, publish_at=now - timedelta(days=3),
    )  # fmt: skip
    make_article(status=Status.PUBLISHED, headline="Talks elsewhere")
    params = {"q": "talks", "section": "europe", "series": "watch", "author": "mara",
              "from": f"{now - timedelta(days=5):%Y-%m-%d}", "to": f"{now:%Y-%m-%d}"}  # fmt: skip
    response = client.get("/search/", params)
    assert [a.pk for a in response.context["articles"]] == [match.pk]
    params["from"] = f"{now - timedelta(days=1):%Y-%m-%d}"
    assert list(client.get("/search/", params).context["articles"]) == []
    params["from"] = "2026-02-30"  # impossible date: ignored, not a 500
    assert client.get("/search/", params).status_code == 200


def test_a_result_without_a_highlighted_excerpt_shows_its_dek_as_text():
    """The dek is plain text: in a result it is escaped, never markup (SQLite search, which
    has no excerpts, always shows it)."""
    story = make_article(status=Status.PUBLISHED, dek='<img src=x onerror="alert(1)"> & co')
    assert search.snippet_html(story) == "&lt;img src=x onerror=&quot;alert(1)&quot;&gt; &amp; co"
    story.snippet = "a <mark>hit</mark><script>alert(1)</script>"
    assert search.snippet_html(story) == "a <mark>hit</mark>"


def test_pages_of_results_keep_the_ranking_and_never_show_a_story_taken_down_since(client):
    """The matches are ranked once; each page then reads its own stories, through live()."""
    section = make_section()
    now = timezone.now()
    stories = [
        make_article(
            status=Status.PUBLISHED,
            section=section,
            headline=f"Ceasefire {n}",
            publish_at=now - timedelta(hours=n),
        )  # fmt: skip
        for n in range(25)
    ]
    results = search.search("ceasefire")
    assert results.count() == 25
    assert [s.pk for s in results[20:40]] == [s.pk for s in stories[20:]]  # newest first
    stories[21].status = Status.UNPUBLISHED
    stories[21].save(update_fields=["status"])
    assert stories[21].pk not in [s.pk for s in results[20:40]]
    page_two = client.get("/search/", {"q": "ceasefire", "page": 2}).content.decode()
    assert "Ceasefire 20" in page_two and "Ceasefire 21" not in page_two
    assert "Ceasefire 19" not in page_two
