"""The embargo channels the other visibility tests do not walk: guessed addresses and ids,
staff URLs by id, share tokens signed for something else, the admin's autocomplete, and the
file names of a hidden story's pictures.

Where each channel is covered:
- the story's address, feeds, sitemaps, search, teasers, related stories, "keep reading",
  author/tag/series pages, corrections, JSON-LD: tests/site/test_visibility_walk.py (a crawl
  of the demo site with hidden stories of every state linked from every live one), plus
  tests/articles/test_visibility.py, test_feeds, test_sitemaps, test_search and test_pages;
- previews and share links (missing, tampered, expired, revoked): test_previews_and_calendar;
- the page cache after a story leaves the site (every page that listed it, and 304s):
  test_page_cache.py::test_a_story_that_leaves_the_site_leaves_every_cached_page;
- everything else: here.
"""

import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from reversion.models import Version

from articles import services
from articles.models import Article, SlugRedirect, Status
from articles.roles import CONTRIBUTOR
from tests.factories import HIDDEN_STATES, make_article, make_section, make_user

pytestmark = pytest.mark.django_db

HEADLINE = "Embargoed merger talks"
BODY = "Secretbodymarker"


def hidden_story(state: str, **fields) -> Article:
    spec = dict(HIDDEN_STATES[state])
    now = timezone.now()
    if "publish_at" in spec:
        spec["publish_at"] = now + spec["publish_at"]
    elif spec["status"] in (Status.PUBLISHED, Status.UNPUBLISHED, Status.ARCHIVED):
        spec["publish_at"] = now - timedelta(days=1)
    if "unpublish_at" in spec:
        spec["unpublish_at"] = now + spec["unpublish_at"]
    story = make_article(
        headline=HEADLINE, slug="merger-talks", body=f"<p>{BODY}</p>", **spec, **fields
    )
    assert not story.is_live()
    return story


def assert_reveals_nothing(response, *, story: Article):
    """Refused, without the story's words, and not redirected to its address. (A 404 page may
    echo the address that was asked for: that is the guess, not a leak.)"""
    assert response.status_code in (302, 403, 404, 405), response
    body = response.content.decode(errors="replace")
    assert HEADLINE not in body and BODY not in body
    if response.status_code == 302:  # to the login page (which may name the guess), not to it
        assert story.slug not in urlsplit(response["Location"]).path


@pytest.mark.parametrize("state", list(HIDDEN_STATES))
def test_a_hidden_story_cannot_be_reached_by_guessing_its_address_or_id(client, state):
    story = hidden_story(state)
    # It once had another address (a story renamed before it was unpublished).
    SlugRedirect.objects.create(old_slug="merger-rumours", article=story)
    other = make_section()
    section, slug, pk = story.section.slug, story.slug, story.pk
    guesses = [
        f"/{section}/{slug}/",
        f"/{other.slug}/{slug}/",  # a live story in the wrong section redirects; this must not
        f"/{section}/merger-rumours/",
        f"/{section}/{slug.upper()}/",
        f"/{section}/{pk}/",
        f"/preview/{pk}/",
        f"/preview/{slug}/",
        f"/preview/{story.preview_key.hex}/",
    ]
    for url in guesses:
        assert_reveals_nothing(client.get(url), story=story)
    # Ids in query strings are not a way in either (the page ignores them).
    for url in (f"/?p={pk}", f"/?id={pk}", f"/search/?q={slug}", f"/feeds/rss/?id={pk}"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert HEADLINE not in response.content.decode(), url
    # Without the trailing slash: the redirect leads to the same 404.
    response = client.get(f"/{section}/{slug}", follow=True)
    assert_reveals_nothing(response, story=story)


def test_staff_urls_by_id_show_a_reader_nothing_and_change_nothing(client):
    story = hidden_story("draft")
    services.save_article(article=story, user=make_user(superuser=True))
    version = Version.objects.get_for_object(story).first()
    pk = story.pk
    for url in staff_urls(story, version):
        assert_reveals_nothing(client.get(url), story=story)
        assert "/admin/login/" in client.get(url)["Location"], url
    for action in ("publish", "submit", "approve", "unpublish"):
        assert_reveals_nothing(client.post(f"/admin/articles/article/{pk}/workflow/{action}/"),
                               story=story)  # fmt: skip
    assert_reveals_nothing(client.post(f"/admin/articles/article/{pk}/share/"), story=story)
    story.refresh_from_db()
    assert story.status == Status.DRAFT and not story.transitions.exists()


def staff_urls(story: Article, version: Version) -> list[str]:
    pk = story.pk
    content_type = ContentType.objects.get_for_model(Article).pk
    return [
        f"/admin/r/{content_type}/{pk}/",  # "View on site", in every form the id can take
        f"/admin/r/+{content_type}/{pk}/",
        f"/admin/r/%20{content_type}/{pk}/",
        f"/admin/r/{content_type}/%20{pk}/",
        reverse("admin:articles_article_change", args=[pk]),
        reverse("admin:articles_article_history", args=[pk]),
        reverse("admin:articles_article_preview", args=[pk]),
        reverse("admin:articles_article_revision", args=[pk, version.pk]),
        reverse("admin:articles_article_delete", args=[pk]),
        f"/admin/articles/article/{pk}/history/compare/?version_id1={version.pk}"
        f"&version_id2={version.pk}",
        f"/admin/articles/article/?q={story.slug}",
    ]


def test_another_contributor_finds_nothing_by_id_in_the_admin(client):
    """Contributors see their own stories and live ones; someone else's embargoed story is
    not there, whichever admin URL names its id."""
    story = hidden_story("scheduled", created_by=make_user(CONTRIBUTOR))
    services.save_article(article=story, user=make_user(superuser=True))
    version = Version.objects.get_for_object(story).first()
    client.force_login(make_user(CONTRIBUTOR))
    for url in staff_urls(story, version)[:-1]:
        response = client.get(url)
        assert response.status_code != 200, url
        assert_reveals_nothing(response, story=story)
    listing = client.get(staff_urls(story, version)[-1])
    assert listing.status_code == 200 and HEADLINE not in listing.content.decode()


def test_view_on_site_still_leads_staff_to_what_they_may_open(client):
    live = make_article(status=Status.PUBLISHED)
    content_type = ContentType.objects.get_for_model(Article).pk
    client.force_login(make_user(CONTRIBUTOR))
    response = client.get(f"/admin/r/{content_type}/{live.pk}/")
    assert response.status_code == 302 and response["Location"].endswith(live.get_absolute_url())
    assert client.get(f"/admin/r/{content_type}/not-an-id/").status_code == 404


def test_a_contributor_cannot_list_deleted_stories(client):
    """Recovering deleted stories is off; the recover list would show their headlines."""
    story = hidden_story("draft")
    services.save_article(article=story, user=make_user(superuser=True))
    story.delete()
    client.force_login(make_user(CONTRIBUTOR))
    response = client.get(reverse("admin:articles_article_recoverlist"))
    assert response.status_code == 403 and HEADLINE not in response.content.decode()


def test_the_admin_autocomplete_does_not_offer_someone_elses_hidden_story(client):
    """The related-stories picker searches stories by headline: a contributor must not find an
    embargoed story through it."""
    hidden_story("approved")
    live = make_article(status=Status.PUBLISHED, headline="Merger talks resume")
    client.force_login(make_user(CONTRIBUTOR))
    response = client.get(
        "/admin/autocomplete/",
        {"term": "merger", "app_label": "articles", "model_name": "relatedarticle",
         "field_name": "related"},
    )  # fmt: skip
    assert response.status_code == 200
    found = [item["text"] for item in response.json()["results"]]
    assert found == [str(live)]


@pytest.mark.parametrize(
    "sign",
    [
        lambda data: signing.TimestampSigner().sign_object(data),  # no salt
        lambda data: signing.TimestampSigner(salt="other.purpose").sign_object(data),
        lambda data: signing.Signer(salt="articles.share-link").sign_object(data),  # no time
        lambda data: signing.dumps(data),
    ],
    ids=["unsalted", "other-salt", "untimed", "dumps"],
)
def test_a_token_signed_for_anything_else_opens_no_preview(client, sign):
    """The site's key signs other things too (sessions, password resets): none of them, and
    nothing signed without the share-link salt and timestamp, opens a preview."""
    story = hidden_story("draft")
    token = sign({"id": story.pk, "key": story.preview_key.hex})
    assert_reveals_nothing(client.get(f"/preview/{token}/"), story=story)
    assert client.get(f"/preview/{services.share_token(story)}/").status_code == 200


def test_a_hidden_storys_pictures_are_not_at_guessable_addresses():
    """Picture files are public (a CDN serves them), so their names must not be derivable
    from what a reader can know: not the uploader's file name, not the image id and size."""
    from media.renditions import build_renditions
    from tests.images import make_image

    image = make_image(title="merger-talks-ceos")
    hidden_story("scheduled", lead_image=image)
    build_renditions(image)
    assert re.fullmatch(r"images/[0-9a-f]{2}/[0-9a-f]{32}\.\w+", image.file.name)
    assert image.original.storage is not image.file.storage  # the original stays private
    assert not str(image.original.path).startswith(str(settings.MEDIA_ROOT))
    names = [r.file.name for r in image.renditions.all()]
    assert names
    for name in names:
        # A content-derived part that the id, kind and width alone do not give away.
        assert re.fullmatch(rf"renditions/{image.pk}/[a-z]+-\d+x\d+-[0-9a-f]{{10}}\.\w+", name)


def test_a_reader_with_a_session_cookie_gets_no_hidden_story_either():
    """The page cache is skipped for anyone with a session; what they get still comes from
    live() (a logged-out staff cookie is not staff)."""
    story = hidden_story("scheduled")
    reader = Client()
    reader.cookies[settings.SESSION_COOKIE_NAME] = "not-a-real-session"
    assert_reveals_nothing(reader.get(story.get_absolute_url()), story=story)
