"""Each role's desk home shows its queues, links each story, and costs a fixed number of
queries however many stories there are."""

import re
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles import services
from articles.models import Article, Status
from desk import queues
from media.models import Image
from tests.factories import make_article, make_page

pytestmark = pytest.mark.django_db


def home(client, user) -> str:
    client.force_login(user)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 200
    return response.content.decode()


def change_url(story) -> str:
    return reverse("admin:articles_article_change", args=[story.pk])


def test_a_contributor_sees_drafts_returns_with_the_full_comment_and_waiting_stories(
    client, contributor, editor
):
    draft = make_article(created_by=contributor, headline="My draft")
    returned = make_article(created_by=contributor, headline="Came back")
    services.submit(article=returned, user=contributor)
    comment = "Three things:\n1. the quote in paragraph two needs a source; 2. shorter."
    services.return_to_writer(article=returned, user=editor, comment=comment)
    waiting = make_article(created_by=contributor, headline="Waiting one")
    services.submit(article=waiting, user=contributor)
    live = make_article(created_by=contributor, status=Status.PUBLISHED, headline="Went live")
    make_article(headline="Another writer")
    html = home(client, contributor)
    for story in (draft, returned, waiting, live):
        assert f'href="{change_url(story)}"' in html
    assert comment in html
    assert "Another writer" not in html
    assert "Returned to me (1)" in html and "Notifications (<span" in html


def test_an_editor_sees_the_oldest_submission_first_with_how_long_it_waited(client, editor):
    newer = make_article(status=Status.SUBMITTED, headline="Newer")
    older = make_article(status=Status.SUBMITTED, headline="Older")
    old = timezone.now() - timedelta(hours=3, minutes=5)
    Article.objects.filter(pk=older.pk).update(modified_at=old)
    approved = make_article(status=Status.APPROVED, headline="Signed off")
    returned = make_article(status=Status.SUBMITTED, headline="Sent back")
    services.return_to_writer(article=returned, user=editor, comment="Needs a second source")
    html = home(client, editor)
    assert html.index(newer.headline) > html.index("Older")
    assert "waiting 3 h" in html
    assert f'href="{change_url(approved)}"' in html
    assert "Needs a second source" in html
    assert "Awaiting review (2)" in html


def test_a_publisher_sees_ready_stories_the_timeline_today_and_expiring_pictures(client, publisher):
    now = timezone.now()
    ready = make_article(status=Status.APPROVED, headline="Ready to go")
    soon = make_article(
        status=Status.PUBLISHED, publish_at=now + timedelta(hours=5), headline="Goes up soon"
    )
    ending = make_article(
        status=Status.PUBLISHED, unpublish_at=now + timedelta(hours=30), headline="Comes down"
    )
    make_article(status=Status.PUBLISHED, publish_at=now + timedelta(days=4), headline="Far off")
    picture = Image.objects.create(
        file="pictures/ferry.jpg", alt_text="A ferry", usable_until=date.today() + timedelta(5)
    )
    using = make_article(status=Status.PUBLISHED, lead_image=picture, headline="Ferry story")
    html = home(client, publisher)
    for story in (ready, soon, ending, using):
        assert f'href="{change_url(story)}"' in html
    assert "goes live" in html and "comes down" in html
    assert "Far off" not in html
    rights = html.split('id="queue-rights"')[1].split("</section>")[0]
    assert "Ferry story" in rights


def test_the_app_list_stays_on_the_home_page(client, editor):
    assert reverse("admin:articles_article_changelist") in home(client, editor)


@pytest.mark.parametrize("role", ["contributor", "editor", "publisher"])
def test_each_home_makes_the_same_number_of_queries_for_many_stories(client, request, role):
    user = request.getfixturevalue(role)
    home(client, user)  # the first request creates the site-settings row
    picture_day = date.today() + timedelta(days=3)

    def add_stories(n):
        for i in range(n):
            for status in (Status.DRAFT, Status.SUBMITTED, Status.APPROVED, Status.RETURNED):
                make_article(status=status, created_by=user, last_edited_by=user)
                make_page(status=status, created_by=user)
            picture = Image.objects.create(file=f"p/{i}-{n}.jpg", usable_until=picture_day)
            make_article(status=Status.PUBLISHED, created_by=user, lead_image=picture)
            make_article(
                status=Status.PUBLISHED,
                created_by=user,
                publish_at=timezone.now() + timedelta(hours=i + 1),
            )

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            home(client, user)
        return len(captured)

    add_stories(1)
    few = count()
    add_stories(6)
    assert count() == few


def test_waiting_reads_as_people_say_it():
    now = timezone.now()
    assert queues.waited(now - timedelta(minutes=12), now) == "waiting 12 min"
    assert queues.waited(now - timedelta(hours=3, minutes=40), now) == "waiting 3 h"
    assert queues.waited(now - timedelta(days=3), now) == "waiting 3 days"


def test_editors_and_publishers_see_newsletter_issues_waiting_and_contributors_do_not(
    client, contributor, editor, publisher
):
    from newsletters.issues import create_issue
    from tests.newsletters.issue_factories import make_newsletter, make_series

    series = make_series()
    letter = make_newsletter(series=series, name="Diplomacy Watch")
    story = make_article(status=Status.PUBLISHED, series=series, headline="Talks resume")
    issue = create_issue(letter, [story], subject="Talks resume")
    link = reverse("admin:newsletters_issue_change", args=[issue.pk])
    for person in (editor, publisher):
        html = home(client, person)
        assert 'id="queue-newsletters"' in html and link in html, person
    assert 'id="queue-newsletters"' not in home(client, contributor)


@pytest.mark.parametrize("role", ["contributor", "editor", "publisher"])
def test_every_home_has_a_story_search_box_that_lists_matching_stories(client, request, role):
    user = request.getfixturevalue(role)
    wanted = make_article(created_by=user, headline="Harbour strike ends after talks")
    make_article(created_by=user, headline="Council budget passes")
    html = home(client, user)
    form = re.search(r'<form class="desk-home-search"[^>]*>(.*?)</form>', html, re.S)
    assert form, "the desk home has no search box"
    action = reverse("admin:articles_article_changelist")
    assert f'action="{action}"' in form.group(0) and 'method="get"' in form.group(0)
    assert '<label for="desk-home-q">Find a story</label>' in form.group(1)
    assert 'id="desk-home-q" name="q"' in form.group(1)
    assert 'type="submit" value="Search"' in form.group(1)
    assert "<script" not in form.group(1) and "style=" not in form.group(0)

    listed = client.get(action, {"q": "harbour strike"})
    assert listed.status_code == 200
    page = listed.content.decode()
    assert f'href="{change_url(wanted)}' in page
    assert "Council budget passes" not in page
