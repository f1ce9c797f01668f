"""The audience pages cost a fixed number of statements however many stories were read: the
figures are summed in the database and named with one in_bulk. The story editor's "Readers"
group adds one query (two for a contributor, who is checked)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.models import Author, Status
from tests.audience import rollup_factories as rollups
from tests.factories import make_article, make_author

pytestmark = pytest.mark.django_db

# Totals, chart, live, and one statement a table: stories, sections, series, authors, sources,
# referring sites, search terms, devices; a second for a table of stories, sections, series
# or authors that has rows (their figures, once ranked), and one in_bulk naming them.
AUDIENCE_EDITOR = 3 + 8 + 2  # stories and sections have rows here
AUDIENCE_CONTRIBUTOR = 3 + 4 + 1  # stories (and their figures), sources, sites, devices


def read_stories(n: int, user=None):
    author = None
    if user is not None:
        author = Author.objects.filter(user=user).first() or make_author(user=user)
    for _ in range(n):
        story = make_article(status=Status.PUBLISHED, author=author, created_by=user)
        rollups.story_read(story, views=3)
        rollups.reading_now(story)


def counted(client, path, **params) -> tuple[int, list[str]]:
    """All statements of a request, and those that read the rollups."""
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path, params).status_code == 200
    sql = [q["sql"] for q in queries.captured_queries]
    return len(sql), [q for q in sql if '"audience_' in q]


@pytest.mark.parametrize("period", ["today", "7d", "30d"])
def test_the_overview_costs_the_same_for_few_or_many_stories(
    client, editor, django_assert_num_queries, period, section
):
    client.force_login(editor)
    read_stories(2)
    rollups.read("section", section.pk, views=4)
    client.get("/admin/audience/")  # the first request of a site creates its settings row
    total, audience = counted(client, "/admin/audience/", period=period)
    assert len(audience) == AUDIENCE_EDITOR
    read_stories(12)
    with django_assert_num_queries(total):
        assert client.get("/admin/audience/", {"period": period}).status_code == 200


def test_a_contributors_overview_costs_a_fixed_number(
    client, contributor, django_assert_num_queries
):
    client.force_login(contributor)
    read_stories(2, contributor)
    client.get("/admin/audience/")
    total, audience = counted(client, "/admin/audience/")
    assert len(audience) == AUDIENCE_CONTRIBUTOR
    read_stories(8, contributor)
    with django_assert_num_queries(total):
        assert client.get("/admin/audience/").status_code == 200


def test_the_live_panel_costs_six_queries(client, editor, django_assert_num_queries):
    client.force_login(editor)
    read_stories(5)
    # Session, user, the person's permissions (2), readers by page, their headlines.
    with django_assert_num_queries(6):
        live = client.get("/admin/audience/live/").json()
    assert live["readers"] == 5


def test_a_storys_page_costs_a_fixed_number(client, editor, django_assert_num_queries):
    client.force_login(editor)
    story = make_article(status=Status.PUBLISHED)
    rollups.story_read(story, views=3)
    client.get(f"/admin/audience/story/{story.pk}/")
    total, audience = counted(client, f"/admin/audience/story/{story.pk}/")
    # Totals, chart, breakdowns, sign-ups, clicks (the issues are read from newsletters).
    assert len(audience) == 5
    for source in ["search", "social", "newsletter", "site"]:
        rollups.came_from("story", story.pk, "referrer", source, 2)
    with django_assert_num_queries(total):
        assert client.get(f"/admin/audience/story/{story.pk}/").status_code == 200


def audience_queries(client, story) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/admin/articles/article/{story.pk}/change/")
    assert response.status_code == 200
    return [q["sql"] for q in queries.captured_queries if "audience_" in q["sql"]]


def test_the_story_editor_shows_readers_for_one_query(client, editor):
    story = make_article(status=Status.PUBLISHED, headline="Read by many")
    rollups.story_read(story, views=1234, visitors=900, engaged_seconds=4000, engagements=40,
                       reads_to_end=617)  # fmt: skip
    client.force_login(editor)
    assert len(audience_queries(client, story)) == 1
    page = client.get(f"/admin/articles/article/{story.pk}/change/").content.decode()
    group = page[page.index('id="readers-group"') :]
    for shown in ["Readers", "1,234", "900", "1 min 40 s", "50%", "All its figures",
                  f'href="/admin/audience/story/{story.pk}/"', "<svg"]:  # fmt: skip
        assert shown in group, shown


def test_a_draft_has_no_readers_group(client, editor):
    story = make_article(status=Status.DRAFT)
    client.force_login(editor)
    assert audience_queries(client, story) == []
    page = client.get(f"/admin/articles/article/{story.pk}/change/").content.decode()
    assert 'id="readers-group"' not in page


def test_a_contributor_sees_readers_on_their_story_not_on_anothers(
    client, contributor, other_contributor
):
    mine = make_article(
        status=Status.PUBLISHED, author=make_author(user=contributor), created_by=contributor
    )
    theirs = make_article(status=Status.PUBLISHED, created_by=other_contributor)
    client.force_login(contributor)
    assert len(audience_queries(client, mine)) == 1  # + the check of the byline
    page = client.get(f"/admin/articles/article/{mine.pk}/change/").content.decode()
    assert "No readers counted yet" in page
    page = client.get(f"/admin/articles/article/{theirs.pk}/change/").content.decode()
    assert 'id="readers-group"' not in page
