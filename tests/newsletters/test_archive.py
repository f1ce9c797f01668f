"""The public archive: a newsletter's sent issues and their web versions, nothing else."""

import pytest
from django.utils import timezone

from articles.models import Status
from newsletters.issues import create_issue
from newsletters.models import Issue
from tests.factories import make_article

from .issue_factories import make_newsletter, make_series

pytestmark = pytest.mark.django_db


@pytest.fixture
def letter():
    series = make_series()
    letter = make_newsletter(series=series, name="Diplomacy Watch", description="Weekly talks.")
    for n in range(3):
        story = make_article(status=Status.PUBLISHED, series=series, headline=f"Installment {n}")
        issue = create_issue(letter, [story], subject=f"Installment {n}")
        if n < 2:
            Issue.objects.filter(pk=issue.pk).update(state=Issue.State.SENT, sent_at=timezone.now())
    return letter


def test_the_archive_lists_the_sent_issues_only(letter, client, django_assert_max_num_queries):
    # 9 with nothing remembered (as in the tests): the menus are two of them (menus, links).
    with django_assert_max_num_queries(9):
        page = client.get(f"/newsletters/{letter.slug}/")
    html = page.content.decode()
    assert page.status_code == 200 and "Weekly talks." in html
    assert f'name="newsletter" value="{letter.slug}"' in html, "its sign-up form"
    assert "Installment 0" in html and "Installment 1" in html
    assert "Installment 2" not in html, "a draft issue is not in the archive"
    assert client.get(f"/newsletters/{letter.slug}/?page=2").status_code == 404
    assert client.get("/newsletters/no-such-letter/").status_code == 404


def test_an_issue_web_version_shows_its_live_stories(letter, client, django_assert_max_num_queries):
    issue = letter.issues.get(number=1)
    with django_assert_max_num_queries(10):
        page = client.get(issue.get_absolute_url())
    html = page.content.decode()
    assert page.status_code == 200
    story = issue.stories.get()
    assert story.get_absolute_url() in html and story.headline in html
    type(story).objects.filter(pk=story.pk).update(status=Status.UNPUBLISHED)
    html = client.get(issue.get_absolute_url()).content.decode()
    assert story.get_absolute_url() not in html, "a story taken down leaves the archive too"
    assert "no longer on the site" in html


def test_a_draft_issue_and_a_missing_number_are_404(letter, client):
    assert client.get(f"/newsletters/{letter.slug}/3/").status_code == 404
    assert client.get(f"/newsletters/{letter.slug}/99/").status_code == 404
    assert client.get(f"/newsletters/{letter.slug}/x/").status_code == 404


def test_an_absurd_issue_number_is_a_404_not_an_error(letter, client):
    for number in ("99999999999999999999999", "2147483648", "0"):
        assert client.get(f"/newsletters/{letter.slug}/{number}/").status_code == 404


def test_an_issue_is_public_from_the_moment_it_starts_going_out(letter, client):
    """Its emails link to the web version: the first readers click before the last of a large
    list are mailed."""
    issue = letter.issues.get(number=3)
    assert client.get(issue.get_absolute_url()).status_code == 404, "a draft"
    Issue.objects.filter(pk=issue.pk).update(state=Issue.State.SENDING)
    assert client.get(issue.get_absolute_url()).status_code == 200
    assert "Installment 2" in client.get(f"/newsletters/{letter.slug}/").content.decode()
