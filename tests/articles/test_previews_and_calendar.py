"""Previews of unpublished stories and reviewers' share links (the editorial calendar is the
desk's: tests/desk/test_calendar.py)."""

import pytest
from django.core import signing
from django.test import override_settings
from django.urls import reverse

from articles import services
from articles.models import Status
from tests.factories import make_article

pytestmark = pytest.mark.django_db


def test_staff_preview_shows_an_unpublished_story_marked_noindex(client, editor):
    story = make_article(status=Status.SUBMITTED, headline="Not out yet")
    client.force_login(editor)
    response = client.get(reverse("admin:articles_article_preview", args=[story.pk]))
    assert response.status_code == 200
    assert "Not out yet" in response.content.decode()
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert '<meta name="robots" content="noindex, nofollow">' in response.content.decode()


def test_preview_requires_a_staff_login(client):
    story = make_article(status=Status.DRAFT)
    response = client.get(reverse("admin:articles_article_preview", args=[story.pk]))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_share_link_lets_a_reviewer_without_an_account_read_the_draft(client, editor):
    story = make_article(status=Status.DRAFT, headline="For the lawyers")
    client.force_login(editor)
    response = client.post(
        reverse("admin:articles_article_share", args=[story.pk]), {"action": "create"}, follow=True
    )
    link = next(str(m) for m in response.context["messages"] if "/preview/" in str(m))
    url = link[link.index("http") :]
    client.logout()
    page = client.get(url)
    assert page.status_code == 200 and "For the lawyers" in page.content.decode()
    assert page["X-Robots-Tag"] == "noindex, nofollow"


def test_a_tampered_share_token_is_refused(client):
    story = make_article(status=Status.DRAFT)
    token = services.share_token(story)
    assert client.get(f"/preview/{token}x/").status_code == 404
    forged = signing.TimestampSigner(salt="articles.share-link").sign_object(
        {"id": story.pk, "key": "0" * 32}
    )
    assert client.get(f"/preview/{forged}/").status_code == 404


def test_share_links_expire(client):
    story = make_article(status=Status.DRAFT)
    token = services.share_token(story)
    with override_settings(PREVIEW_LINK_MAX_AGE=-1):
        assert client.get(f"/preview/{token}/").status_code == 404
    assert client.get(f"/preview/{token}/").status_code == 200


def test_revoking_share_links_stops_every_link_handed_out(client, editor):
    story = make_article(status=Status.DRAFT)
    token = services.share_token(story)
    client.force_login(editor)
    client.post(reverse("admin:articles_article_share", args=[story.pk]), {"action": "revoke"})
    client.logout()
    assert client.get(f"/preview/{token}/").status_code == 404


def test_a_contributor_cannot_make_share_links_for_someone_elses_story(client, other_contributor):
    story = make_article(status=Status.DRAFT)
    client.force_login(other_contributor)
    response = client.post(
        reverse("admin:articles_article_share", args=[story.pk]), {"action": "create"}
    )
    assert response.status_code == 404  # someone else's draft is not even visible to them


def test_a_contributor_cannot_see_or_preview_someone_elses_unpublished_story(client, contributor):
    draft = make_article(status=Status.DRAFT, headline="Someone else's scoop")
    live = make_article(status=Status.PUBLISHED, headline="Already public")
    client.force_login(contributor)
    listing = client.get(reverse("admin:articles_article_changelist")).content.decode()
    assert "Someone else&#x27;s scoop" not in listing and "Already public" in listing
    preview = reverse("admin:articles_article_preview", args=[draft.pk])
    assert client.get(preview).status_code == 404
    change = client.get(reverse("admin:articles_article_change", args=[draft.pk]))
    assert change.status_code == 302  # the admin's "does not exist" redirect
    assert client.get(reverse("admin:articles_article_change", args=[live.pk])).status_code == 200


def test_view_on_site_opens_the_preview_until_the_story_is_live(client, editor):
    draft = make_article(status=Status.DRAFT)
    live = make_article(status=Status.PUBLISHED)
    client.force_login(editor)
    for story, expected in (
        (draft, reverse("admin:articles_article_preview", args=[draft.pk])),
        (live, live.get_absolute_url()),
    ):
        html = client.get(reverse("admin:articles_article_change", args=[story.pk])).content
        assert f'href="{expected}"' in html.decode() or expected in html.decode()
