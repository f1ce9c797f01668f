"""Sign-ups made from a story: the story's form names the story (the same for every reader),
and a sign-up through it buffers one SIGNUP a newsletter chosen; a sign-up from elsewhere, or
naming anything but a live story, buffers none, and the sign-up itself always goes ahead."""

import re

import pytest

from articles.models import Status
from audience import buffer
from audience.events import SIGNUP
from newsletters.models import Subscription
from tests.factories import make_article
from tests.newsletters.issue_factories import make_newsletter

from .buffered import _buffered  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def story():
    return make_article(status=Status.PUBLISHED, headline="Talks resume")


@pytest.fixture
def letters(story):
    """Two newsletters, the story's section's offered on its page."""
    return [
        make_newsletter(name="The Week", source="section", section=story.section),
        make_newsletter(name="Mornings"),
    ]


def sign_up(client, django_capture_on_commit_callbacks, letters, *, story=None, n=1):
    data = {"email": f"reader{n}@example.org", "newsletter": [x.slug for x in letters],
            "source": "/somewhere/"}  # fmt: skip
    if story is not None:
        data["story"] = story
    with django_capture_on_commit_callbacks(execute=False):
        response = client.post("/newsletters/subscribe/", data, REMOTE_ADDR=f"198.51.100.{n}")
    assert response.status_code == 200, "the sign-up goes ahead, whatever the story field says"
    return response


def test_the_story_page_s_form_names_the_story(client, story, letters):
    html = client.get(story.get_absolute_url()).content.decode()
    form = re.search(r'<form class="newsletter-signup".*?</form>', html, re.S).group(0)
    assert f'<input type="hidden" name="story" value="{story.pk}">' in form


def test_a_sign_up_from_a_story_buffers_one_signup_a_newsletter(
    client, django_capture_on_commit_callbacks, story, letters, buffered
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    sign_up(client, django_capture_on_commit_callbacks, letters, n=9)
    with CaptureQueriesContext(connection) as plain:
        sign_up(client, django_capture_on_commit_callbacks, letters, n=8)
    assert buffered() == []
    with CaptureQueriesContext(connection) as counted:
        sign_up(client, django_capture_on_commit_callbacks, letters, story=str(story.pk))
    in_table = isinstance(buffer.buffer(), buffer.DatabaseBuffer)
    # One query more: is the story live? (and, without Redis, the table buffer's inserts)
    assert len(counted) == len(plain) + 1 + (2 if in_table else 0)
    assert Subscription.objects.count() == 6
    events = buffered()
    assert {(e.kind, e.target, e.target_id, e.newsletter_id) for e in events} == {
        (SIGNUP, "story", story.pk, letter.pk) for letter in letters
    }
    assert len(events) == 2
    assert all(not e.visitor and not e.path for e in events), "nothing about the reader"


def test_a_sign_up_not_from_a_story_buffers_none(
    client, django_capture_on_commit_callbacks, letters, buffered
):
    sign_up(client, django_capture_on_commit_callbacks, letters)
    assert Subscription.objects.count() == 2
    assert buffered() == []


def test_a_hostile_story_id_is_ignored_and_the_sign_up_goes_ahead(
    client, django_capture_on_commit_callbacks, story, letters, buffered
):
    draft = make_article(headline="Not out yet")  # not live: its id is not counted
    hostile = ["abc", "-1", "0", "1e3", "\u0663", "9" * 40, str(draft.pk),
               str(story.pk + 10_000), f"{story.pk} OR 1=1", "<script>", "[1]"]  # fmt: skip
    for n, value in enumerate(hostile, start=1):
        sign_up(client, django_capture_on_commit_callbacks, letters, story=value, n=n)
    assert Subscription.objects.count() == 2 * len(hostile)
    assert buffered() == []


def test_a_filled_trap_field_counts_nothing(
    client, django_capture_on_commit_callbacks, story, letters, buffered
):
    data = {"email": "bot@example.org", "newsletter": [letters[0].slug],
            "story": str(story.pk), "website": "http://spam.example"}  # fmt: skip
    with django_capture_on_commit_callbacks(execute=False):
        assert client.post("/newsletters/subscribe/", data).status_code == 200
    assert buffered() == []


def test_a_buffer_that_is_down_does_not_fail_the_sign_up(
    client, django_capture_on_commit_callbacks, story, letters, settings
):
    from tests.caching_kit import redis_cache

    # A port nothing listens on: the buffer cannot take the event.
    settings.CACHES = redis_cache("redis://127.0.0.1:1/0", SOCKET_CONNECT_TIMEOUT=0.2)
    sign_up(client, django_capture_on_commit_callbacks, letters, story=str(story.pk))
    assert Subscription.objects.count() == 2
