"""Editing stories in the admin: who may edit what, and which fields, enforced on the server."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Status
from tests.admin_forms import add_story, change_form_data
from tests.factories import make_article

pytestmark = pytest.mark.django_db


def change_url(story):
    return reverse("admin:articles_article_change", args=[story.pk])


def edit(client, story, **changes):
    """GET the change form as the logged-in user, change some fields, POST it back."""
    page = client.get(change_url(story))
    data = change_form_data(page)
    data.update(changes)
    return client.post(change_url(story), data)


def test_a_new_story_records_its_creator_and_a_generated_slug(client, contributor, section, author):
    client.force_login(contributor)
    add_story(client, section, author)
    story = Article.objects.get(headline="A new story")
    assert (story.created_by, story.last_edited_by, story.slug) == (
        contributor,
        contributor,
        "a-new-story",
    )
    assert story.status == Status.DRAFT and story.bylines.get().author == author


def test_a_contributor_cannot_publish_by_posting_status_or_times(
    client, contributor, section, author
):
    client.force_login(contributor)
    add_story(
        client, section, author,
        status="published", publish_at_0="2020-01-01", publish_at_1="00:00:00",
    )  # fmt: skip
    story = Article.objects.get(headline="A new story")
    assert story.status == Status.DRAFT and story.publish_at is None
    assert story not in Article.objects.live()


@pytest.mark.parametrize(
    "role, status, owner, allowed",
    [
        ("contributor", Status.DRAFT, True, True),
        ("contributor", Status.RETURNED, True, True),
        ("contributor", Status.DRAFT, False, False),
        ("contributor", Status.SUBMITTED, True, False),
        ("contributor", Status.PUBLISHED, True, False),
        ("editor", Status.DRAFT, False, True),
        ("editor", Status.SUBMITTED, False, True),
        ("editor", Status.PUBLISHED, False, True),
        ("publisher", Status.PUBLISHED, False, True),
    ],
)
def test_who_may_edit_which_story(client, request, contributor, role, status, owner, allowed):
    user = request.getfixturevalue(role)
    story = make_article(status=status, created_by=contributor if owner else None)
    client.force_login(user)
    page = client.get(change_url(story))
    if not owner and role == "contributor" and not story.is_live():
        # Someone else's unpublished story does not exist as far as a contributor can tell.
        assert page.status_code == 302
        client.post(change_url(story), {"headline": "Hijacked"})
        story.refresh_from_db()
        assert story.headline != "Hijacked"
        return
    assert page.status_code == 200
    if not allowed:
        # A read-only view, and a crafted POST changes nothing.
        assert page.context["has_change_permission"] is False
        response = client.post(change_url(story), {"headline": "Hijacked"})
        assert response.status_code == 403
        story.refresh_from_db()
        assert story.headline != "Hijacked"
        return
    response = edit(client, story, headline="Edited headline")
    assert response.status_code == 302, response.context and response.context["errors"]
    story.refresh_from_db()
    assert story.headline == "Edited headline" and story.last_edited_by == user


def test_show_as_updated_sets_the_public_updated_time_and_minor_edits_do_not(client, editor):
    story = make_article(status=Status.PUBLISHED)
    client.force_login(editor)
    edit(client, story, headline="Minor fix")
    story.refresh_from_db()
    assert story.updated_at is None
    edit(client, story, body="<p>New facts.</p>", mark_updated="on")
    story.refresh_from_db()
    assert story.updated_at is not None
    assert timezone.now() - story.updated_at < timedelta(minutes=1)


def test_list_shows_scheduled_apart_from_live(client, publisher):
    make_article(status=Status.PUBLISHED, headline="Already live")
    make_article(
        status=Status.PUBLISHED,
        headline="Coming soon",
        publish_at=timezone.now() + timedelta(days=1),
    )
    client.force_login(publisher)
    page = client.get(reverse("admin:articles_article_changelist") + "?state=scheduled")
    html = page.content.decode()
    assert "Coming soon" in html and "Already live" not in html
    assert "Scheduled" in html
