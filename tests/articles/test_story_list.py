"""The desk's story list: its columns, order, filters, search, bulk actions and its cost."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Status
from tests.factories import make_article, make_author

pytestmark = pytest.mark.django_db

LIST = reverse("admin:articles_article_changelist")


def listed(response) -> list[Article]:
    return list(response.context["cl"].result_list)


def bulk(client, action: str, stories, **data):
    return client.post(
        LIST, {"action": action, "_selected_action": [s.pk for s in stories], **data}
    )


def test_the_list_shows_what_the_desk_needs(client, editor):
    author = make_author(name="Lyse Doucet")
    make_article(headline="A long headline that must be read whole on the desk", author=author)
    client.force_login(editor)
    page = client.get(LIST)
    assert page.status_code == 200
    html = page.content.decode()
    for column in ["headline", "status_label", "section", "byline", "last_saved", "publish_time"]:
        assert f'column-{column}"' in html or f"column-{column} " in html, column
    assert "A long headline that must be read whole on the desk" in html
    assert "Lyse Doucet" in html
    assert "desk/story_list.css" in html


def test_newest_change_comes_first_even_without_a_publish_time(client, editor):
    """A returned story has no publish time; edited last, it is first, not last."""
    make_article(status=Status.PUBLISHED, headline="Old live story")
    returned = make_article(status=Status.RETURNED, headline="Back to the writer")
    Article.objects.filter(pk=returned.pk).update(modified_at=timezone.now() + timedelta(minutes=1))
    client.force_login(editor)
    assert listed(client.get(LIST))[0] == returned


def test_mine_shows_stories_i_started_or_am_bylined_on(client, contributor, editor):
    me = make_author(name="Me Myself", user=editor)
    started = make_article(created_by=editor, headline="I started this")
    bylined = make_article(created_by=contributor, author=me, headline="I wrote this")
    make_article(created_by=contributor, headline="Not mine")
    client.force_login(editor)
    assert set(listed(client.get(LIST + "?mine=yes"))) == {started, bylined}


def test_filters_by_author(client, editor):
    author = make_author(name="Jeremy Bowen")
    story = make_article(author=author)
    make_article()
    client.force_login(editor)
    assert listed(client.get(LIST + f"?author={author.pk}")) == [story]


def test_search_finds_a_phrase_in_the_body_and_an_authors_name(client, editor):
    summit = make_article(
        headline="Summit talks", body="<p>Officials said Turkey would host the next round.</p>"
    )
    profile = make_article(headline="Dispatch", author=make_author(name="Orla Guerin"))
    make_article(headline="Unrelated")
    client.force_login(editor)
    assert listed(client.get(LIST, {"q": "Turkey would host"})) == [summit]
    assert listed(client.get(LIST, {"q": "Orla Guerin"})) == [profile]


def test_bulk_archive_asks_for_a_reason_first(client, editor):
    story = make_article(status=Status.APPROVED)
    client.force_login(editor)
    page = bulk(client, "step_archive", [story])
    assert page.status_code == 200 and b"Reason" in page.content
    story.refresh_from_db()
    assert story.status == Status.APPROVED


def test_bulk_archive_by_an_editor_archives_what_an_editor_may(client, editor):
    """An editor archives an approved story; a live one is a publisher's call: refused, said."""
    approved = make_article(status=Status.APPROVED, headline="Shelved piece")
    live = make_article(status=Status.PUBLISHED, headline="On the site")
    client.force_login(editor)
    page = bulk(client, "step_archive", [approved, live], reason="Duplicate", _confirm="1")
    assert page.status_code == 302
    approved.refresh_from_db(), live.refresh_from_db()
    assert approved.status == Status.ARCHIVED and live.status == Status.PUBLISHED
    assert approved.transitions.get().comment == "Duplicate"
    said = [str(m) for m in client.get(LIST).context["messages"]]
    assert any("Archive" in m and "Shelved piece" in m for m in said)
    assert any("Not done" in m and "On the site" in m for m in said)


def test_bulk_archive_by_a_publisher_archives_both(client, publisher):
    stories = [make_article(status=Status.APPROVED), make_article(status=Status.PUBLISHED)]
    client.force_login(publisher)
    bulk(client, "step_archive", stories, reason="Old news", _confirm="1")
    assert {s.status for s in Article.objects.filter(pk__in=[s.pk for s in stories])} == {
        Status.ARCHIVED
    }


def test_a_contributor_is_offered_no_archive_or_publish(client, contributor):
    make_article(created_by=contributor)
    client.force_login(contributor)
    choices = dict(client.get(LIST).context["action_form"].fields["action"].choices)
    assert "step_submit" in choices
    assert not {"step_archive", "step_publish", "step_unpublish"} & set(choices)


def test_bulk_add_a_tag(client, editor):
    stories = [make_article(), make_article()]
    client.force_login(editor)
    bulk(client, "add_tag", stories, tag="Elections 2026", _confirm="1")
    for story in stories:
        assert list(story.tags.names()) == ["Elections 2026"]


def test_the_list_costs_the_same_queries_for_5_or_30_stories(client, editor):
    def count_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(LIST).status_code == 200
        return len(queries)

    client.force_login(editor)
    for _ in range(5):
        make_article(status=Status.PUBLISHED)
    client.get(LIST)  # sessions, content types: once per process
    five = count_queries()
    for _ in range(25):
        make_article(status=Status.RETURNED, author=make_author())
    assert count_queries() == five


def test_the_list_stops_counting_at_its_cap_and_says_so(client, editor, monkeypatch):
    """Counting every match of a common word at 100,000 stories cost most of a second."""
    from desk.story_list import DeskPaginator

    monkeypatch.setattr(DeskPaginator, "COUNT_CAP", 3)
    for _ in range(5):
        make_article()
    client.force_login(editor)
    page = client.get(reverse("admin:articles_article_changelist")).content.decode()
    assert "3+ stories" in page
