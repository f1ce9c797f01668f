"""Saving a story is a straight line: the form, one service, one lock on the story's row."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles import services
from articles.models import Article, Status
from tests.admin_forms import add_story, change_form_data
from tests.factories import make_article, make_author, make_section

pytestmark = pytest.mark.django_db


def locks_of(queries, story) -> list[str]:
    """The SELECT … FOR UPDATE statements on the story table among `queries`."""
    table = Article._meta.db_table
    return [q["sql"] for q in queries if "FOR UPDATE" in q["sql"] and f'FROM "{table}"' in q["sql"]]


def save_with(client, story, **extra):
    url = reverse("admin:articles_article_change", args=[story.pk])
    data = change_form_data(client.get(url))
    data.update(extra)
    with CaptureQueriesContext(connection) as queries:
        response = client.post(url, data)
    return response, queries.captured_queries


@pytest.fixture
def postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has no row locks: SELECT … FOR UPDATE is PostgreSQL's")


@pytest.mark.parametrize(
    ("who", "status", "extra", "after"),
    [
        ("editor", Status.SUBMITTED, {"headline": "Saved"}, Status.SUBMITTED),
        ("editor", Status.SUBMITTED, {"_step": "approve"}, Status.APPROVED),
        ("publisher", Status.APPROVED, {"_step": "publish"}, Status.PUBLISHED),
    ],
    ids=["save", "save and approve", "save and publish"],
)
def test_a_save_locks_the_story_row_once(postgresql, request, who, status, extra, after):
    story = make_article(status=status, headline="Before")
    client = Client()
    client.force_login(request.getfixturevalue(who))
    response, queries = save_with(client, story, **extra)
    assert response.status_code == 302, response.content.decode()[:2000]
    story.refresh_from_db()
    assert story.status == after
    assert len(locks_of(queries, story)) == 1, locks_of(queries, story)


def test_publishing_pending_changes_locks_each_story_once(postgresql, publisher, contributor):
    live = make_article(status=Status.PUBLISHED, created_by=contributor)
    changes = services.propose_changes(article=live, user=contributor)
    client = Client()
    client.force_login(publisher)
    response, queries = save_with(client, changes, headline="Changed", _step="publish")
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:articles_article_change", args=[live.pk])
    live.refresh_from_db()
    assert live.headline == "Changed"
    locks = locks_of(queries, live)
    assert len(locks) == 2, locks  # the pending changes' row, then the live story's


def test_a_refused_step_saves_nothing_and_keeps_the_text(editor):
    """Approving a draft is refused: the form comes back as typed, with the reason."""
    story = make_article(status=Status.DRAFT, headline="Before")
    client = Client()
    client.force_login(editor)
    response, _ = save_with(client, story, headline="Typed by the editor", _step="publish")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Nothing was saved" in page and "Typed by the editor" in page
    story.refresh_from_db()
    assert story.headline == "Before" and story.status == Status.DRAFT


def test_a_new_story_can_be_saved_and_submitted_at_once(contributor):

    client = Client()
    client.force_login(contributor)
    response = add_story(client, make_section(), make_author(), _step="submit")
    assert response.status_code == 302
    story = Article.objects.get(headline="A new story")
    assert story.status == Status.SUBMITTED
    assert response["Location"] == reverse("admin:articles_article_change", args=[story.pk])
