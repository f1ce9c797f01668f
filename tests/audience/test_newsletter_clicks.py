"""Newsletter clicks through signed, first-party redirects: the sent email links every story
through /n/<token>/, a click is counted once and lands on the story tagged as from a newsletter,
a forged link is a 404 (never an open redirect), and a story taken down names nothing."""

import re
from urllib.parse import urlsplit

import pytest
from django.core import mail, signing
from django.test import override_settings

from articles.models import Status
from audience import buffer
from audience.events import CLICK
from audience.redirects import SALT, click_token, read_click_token
from newsletters.issue_email import issue_message
from newsletters.issues import create_issue
from tests.factories import make_article
from tests.newsletters.issue_factories import confirmed_subscriber, make_newsletter

from .buffered import _buffered  # noqa: F401

pytestmark = pytest.mark.django_db
SITE = "https://news.example.org"


@pytest.fixture
def issue():
    letter = make_newsletter(name="The Week Abroad")
    first = make_article(status=Status.PUBLISHED, headline="Talks resume in Istanbul")
    second = make_article(status=Status.PUBLISHED, headline="A summit nobody wanted")
    return create_issue(letter, [first, second], subject="This week")


def click_links(text: str) -> list[str]:
    return re.findall(re.escape(SITE) + r"/n/[^/\s\"]+/", text)


@override_settings(SITE_URL=SITE)
def test_a_sent_issue_links_every_story_through_a_signed_redirect(issue):
    reader = confirmed_subscriber(issue.newsletter, "reader@example.org")
    with mail.get_connection() as connection:
        connection.send_messages([issue_message(issue, reader)])
    [sent] = mail.outbox
    text, html = sent.body, sent.alternatives[0][0]
    stories = list(issue.stories.all())
    for story in stories:
        assert SITE + story.get_absolute_url() not in text + html, "no direct story link"
    targets = set()
    for link in click_links(text) + click_links(html):
        token = urlsplit(link).path.split("/")[2]
        issue_id, story_id = read_click_token(token)
        assert issue_id == issue.pk
        targets.add(story_id)
    assert targets == {story.pk for story in stories}
    assert len(click_links(text)) == 2, "one link a story in the plain text"


@override_settings(SITE_URL=SITE)
def test_a_test_copy_links_the_stories_themselves(issue):
    message = issue_message(issue, None, test=True, to="editor@example.org")
    assert not click_links(message.body)
    story = issue.stories.first()
    assert SITE + story.get_absolute_url() in message.body


def test_a_click_is_counted_once_and_lands_on_the_story_from_the_newsletter(
    client, issue, buffered, django_assert_num_queries
):
    story = issue.stories.first()
    # The story (live, with its section for its address); the table buffer's own insert.
    in_table = isinstance(buffer.buffer(), buffer.DatabaseBuffer)
    with django_assert_num_queries(2 if in_table else 1):
        response = client.get(f"/n/{click_token(issue_id=issue.pk, story_id=story.pk)}/")
    assert response.status_code == 302
    assert response["Location"] == story.get_absolute_url() + "?utm_source=newsletter"
    assert not response.cookies, "no cookie"
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    [event] = buffered()
    assert (event.kind, event.target, event.target_id, event.issue_id) == (
        CLICK, "story", story.pk, issue.pk
    )  # fmt: skip
    assert not event.visitor and not event.path, "nothing about the reader"


def test_a_link_scanner_s_head_request_is_not_a_click(client, issue, buffered):
    story = issue.stories.first()
    response = client.head(f"/n/{click_token(issue_id=issue.pk, story_id=story.pk)}/")
    assert response.status_code == 302
    assert buffered() == []


# Named ids: an unsubscribe token holds the second it was made, and every parallel test
# process (pytest-xdist) must collect the same test names.
@pytest.mark.parametrize(
    "token",
    [
        pytest.param("nonsense", id="nonsense"),
        pytest.param(
            signing.dumps([1, 1], salt="newsletters.links.unsubscribe"), id="another-kind"
        ),
        pytest.param(
            signing.Signer(salt=SALT).sign_object(["1", "https://evil.example"]),
            id="signed-not-two-ids",
        ),
        pytest.param(
            signing.Signer(salt=SALT).sign_object({"next": "https://evil.example"}),
            id="signed-a-next-address",
        ),
    ],
)
def test_a_forged_or_foreign_token_is_a_404_and_counts_nothing(client, issue, buffered, token):
    response = client.get(f"/n/{token}/")
    assert response.status_code == 404
    assert "evil.example" not in response.content.decode()
    assert buffered() == []


def test_a_tampered_token_is_a_404(client, issue, buffered):
    story = issue.stories.first()
    token = click_token(issue_id=issue.pk, story_id=story.pk)
    other = click_token(issue_id=issue.pk, story_id=story.pk + 1)
    tampered = other.split(":")[0] + ":" + token.split(":")[1]  # a story id under another's MAC
    assert client.get(f"/n/{tampered}/").status_code == 404
    assert buffered() == []


def test_a_story_taken_down_since_the_issue_names_nothing(client, issue, buffered):
    story = issue.stories.get(headline="A summit nobody wanted")
    type(story).objects.filter(pk=story.pk).update(status=Status.UNPUBLISHED)
    response = client.get(f"/n/{click_token(issue_id=issue.pk, story_id=story.pk)}/")
    assert response.status_code == 302 and response["Location"] == "/"
    assert story.slug not in response["Location"]
    assert b"A summit" not in response.content
    assert buffered() == []
    draft = make_article(headline="Never published")
    response = client.get(f"/n/{click_token(issue_id=issue.pk, story_id=draft.pk)}/")
    assert response["Location"] == "/" and b"Never published" not in response.content


def test_the_prefix_is_the_site_s_own(issue):
    from sections.addresses import used_by_site

    assert used_by_site("n")
