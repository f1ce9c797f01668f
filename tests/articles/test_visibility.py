"""The one visibility rule, at its boundary times, and on the public pages that use it."""

from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import Article, Status
from tests.factories import make_article

pytestmark = pytest.mark.django_db


def test_published_story_is_live_exactly_from_its_publish_time():
    now = timezone.now()
    story = make_article(status=Status.PUBLISHED, publish_at=now)
    assert story in Article.objects.live(now=now)
    assert story not in Article.objects.live(now=now - timedelta(microseconds=1))
    assert story.is_live(now) and not story.is_live(now - timedelta(microseconds=1))


def test_story_disappears_exactly_at_its_unpublish_time():
    now = timezone.now()
    story = make_article(
        status=Status.PUBLISHED, publish_at=now - timedelta(days=1), unpublish_at=now
    )
    assert story in Article.objects.live(now=now - timedelta(microseconds=1))
    assert story not in Article.objects.live(now=now)
    assert not story.is_live(now)


@pytest.mark.parametrize(
    "status",
    [Status.DRAFT, Status.SUBMITTED, Status.RETURNED, Status.APPROVED, Status.UNPUBLISHED,
     Status.ARCHIVED],
)  # fmt: skip
def test_only_published_stories_are_live_whatever_their_publish_time(status):
    story = make_article(status=status, publish_at=timezone.now() - timedelta(days=1))
    assert story not in Article.objects.live()


def test_published_story_without_publish_time_is_not_live():
    story = make_article(status=Status.PUBLISHED, publish_at=None)
    Article.objects.filter(pk=story.pk).update(publish_at=None)
    assert not Article.objects.live().filter(pk=story.pk).exists()


def test_scheduled_story_goes_live_by_itself_when_its_time_comes(client):
    """No cron job: the page answers 404 before the publish time and 200 after it."""
    at = timezone.now() + timedelta(seconds=2)
    story = make_article(status=Status.PUBLISHED, publish_at=at)
    assert story.display_status == "Scheduled"
    assert client.get(story.get_absolute_url()).status_code == 404
    Article.objects.filter(pk=story.pk).update(publish_at=timezone.now())
    assert client.get(story.get_absolute_url()).status_code == 200


@pytest.mark.parametrize("status", [Status.DRAFT, Status.APPROVED, Status.UNPUBLISHED])
def test_hidden_stories_are_not_on_any_public_page(client, status):
    hidden = make_article(status=status, headline="Embargoed headline")
    live = make_article(status=Status.PUBLISHED, section=hidden.section, headline="Live one")
    hidden.bylines.update(author=live.bylines.get().author)
    pages = [
        "/",
        hidden.section.get_absolute_url(),
        live.bylines.get().author.get_absolute_url(),
        live.get_absolute_url(),
    ]
    live.related_links.create(related=hidden)
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert "Embargoed headline" not in response.content.decode(), url
    assert client.get(hidden.get_absolute_url()).status_code == 404
