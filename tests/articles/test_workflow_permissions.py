"""The workflow's rules beyond who may take a step (that is the permission matrix, in
tests/articles/test_permission_matrix.py): state, comments, times and messages."""

import pytest
from django.urls import reverse

from articles.models import Status
from tests.admin_forms import post_step
from tests.factories import make_article

pytestmark = pytest.mark.django_db


def test_a_story_is_not_published_without_a_byline(client, publisher):
    story = make_article(status=Status.APPROVED)
    story.bylines.all().delete()
    client.force_login(publisher)
    response = post_step(client, story, "publish")
    story.refresh_from_db()
    assert story.status == Status.APPROVED
    messages = [str(m) for m in response.wsgi_request._messages]
    assert any("at least one author" in m for m in messages)


def test_returning_a_story_requires_a_comment(client, editor):
    story = make_article(status=Status.SUBMITTED)
    client.force_login(editor)
    post_step(client, story, "return", comment="")
    story.refresh_from_db()
    assert story.status == Status.SUBMITTED


def test_a_step_that_does_not_fit_the_state_is_refused(client, publisher):
    """Publishing a draft skips the edit: refused even for a publisher."""
    story = make_article(status=Status.DRAFT)
    client.force_login(publisher)
    assert post_step(client, story, "publish").status_code == 403
    story.refresh_from_db()
    assert story.status == Status.DRAFT


def test_workflow_steps_refuse_get_and_anonymous_users(client, publisher):
    story = make_article(status=Status.APPROVED)
    url = reverse("admin:articles_article_workflow", args=[story.pk, "publish"])
    assert client.post(url).status_code == 302  # to the login page
    story.refresh_from_db()
    assert story.status == Status.APPROVED
    client.force_login(publisher)
    assert client.get(url).status_code == 405


def test_transitions_are_listed_on_the_story_in_the_admin(client, editor):
    story = make_article(status=Status.SUBMITTED)
    client.force_login(editor)
    post_step(client, story, "return", comment="Check the numbers in paragraph two.")
    page = client.get(reverse("admin:articles_article_change", args=[story.pk]))
    assert "Check the numbers in paragraph two." in page.content.decode()


def test_scheduling_in_the_past_is_refused_and_does_not_backdate(client, publisher):
    story = make_article(status=Status.APPROVED)
    client.force_login(publisher)
    url = reverse("admin:articles_article_workflow", args=[story.pk, "schedule"])
    response = client.post(url, {"publish_at": "2020-01-01T10:00"}, follow=True)
    story.refresh_from_db()
    assert story.status == Status.APPROVED and story.first_published_at is None
    assert any("time in the future" in str(m) for m in response.context["messages"])


@pytest.mark.parametrize("value", ["2026-02-30T10:00", "9999-99-99T99:99", "", "tomorrow"])
def test_an_impossible_schedule_time_is_a_message_not_a_500(client, publisher, value):
    story = make_article(status=Status.APPROVED)
    client.force_login(publisher)
    url = reverse("admin:articles_article_workflow", args=[story.pk, "schedule"])
    assert client.post(url, {"publish_at": value}).status_code == 302
    story.refresh_from_db()
    assert story.status == Status.APPROVED


def test_a_stale_button_explains_why_the_step_was_refused(client, contributor, editor):
    """Submitted in another tab already: the second click gets a page that says so."""
    story = make_article(status=Status.DRAFT, created_by=contributor)
    client.force_login(contributor)
    post_step(client, story, "submit")
    response = post_step(client, story, "submit")
    assert response.status_code == 403
    html = response.content.decode()
    assert "Submitted for edit" in html and "Back to the story" in html
