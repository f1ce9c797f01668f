"""Searches on the desk ignore accents: "Tomas" finds "Tomás" and "Tomás" finds "Tomas", in
the story list (headline, a phrase of the text, an author's name), the authors, the image
library and the other lists. Runs on SQLite and, with DATABASE_URL, on PostgreSQL."""

import pytest
from django.urls import reverse

from media.models import Image
from tests.factories import make_article, make_author

pytestmark = pytest.mark.django_db

STORIES = reverse("admin:articles_article_changelist")


def found(client, url: str, term: str) -> list[str]:
    """What a list shows for a search, as the strings of its rows."""
    response = client.get(url, {"q": term})
    assert response.status_code == 200
    return sorted(str(row) for row in response.context["cl"].result_list)


@pytest.mark.parametrize("term", ["Tomas", "tomás", "TOMÁS"])
def test_the_story_list_finds_an_accented_headline_without_the_accent(client, editor, term):
    make_article(headline="Tomás Herrera on the test ban")
    make_article(headline="Unrelated")
    client.force_login(editor)
    assert found(client, STORIES, term) == ["Tomás Herrera on the test ban"]


def test_the_story_list_finds_an_unaccented_headline_with_the_accent(client, editor):
    make_article(headline="Tomas Herrera on the test ban")
    make_article(headline="Unrelated")
    client.force_login(editor)
    assert found(client, STORIES, "Tomás") == ["Tomas Herrera on the test ban"]


def test_the_story_list_finds_a_phrase_of_the_text_whatever_its_accents(client, editor):
    make_article(headline="Talks", body="<p>The café in Asunción stayed open all night.</p>")
    make_article(headline="Unrelated")
    client.force_login(editor)
    assert found(client, STORIES, "cafe in Asuncion") == ["Talks"]
    assert found(client, STORIES, "stayed open all níght") == ["Talks"]


def test_the_story_list_finds_an_authors_stories_by_name_without_accents(client, editor):
    make_article(headline="Dispatch", author=make_author(name="Tomás Herrera"))
    make_article(headline="Unrelated")
    client.force_login(editor)
    assert found(client, STORIES, "Tomas Herrera") == ["Dispatch"]


def test_authors_are_found_without_their_accents_and_with_them(client, editor):
    make_author(name="Tomás Herrera")
    make_author(name="Zoe Quinn")
    make_author(name="Someone Else")
    client.force_login(editor)
    authors = reverse("admin:articles_author_changelist")
    assert found(client, authors, "tomas") == ["Tomás Herrera"]
    assert found(client, authors, "Zoë") == ["Zoe Quinn"]


def test_the_byline_picker_finds_an_author_without_the_accent(client, editor):
    make_author(name="Tomás Herrera")
    client.force_login(editor)
    response = client.get(
        reverse("admin:autocomplete"),
        {"term": "Tomas", "app_label": "articles", "model_name": "byline", "field_name": "author"},
    )
    assert [r["text"] for r in response.json()["results"]] == ["Tomás Herrera"]


def test_the_image_library_finds_a_credit_without_the_accent(client, editor):
    Image.objects.create(title="Border crossing", credit="Tomás Herrera", file="x.jpg")
    Image.objects.create(title="Harbour", credit="Someone Else", file="y.jpg")
    client.force_login(editor)
    assert found(client, reverse("admin:media_image_changelist"), "Tomas") == ["Border crossing"]
