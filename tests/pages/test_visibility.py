"""What readers see of pages: a live page at its address at any depth, and a page off the
site nowhere (address, sitemap, search); the page cache follows every change."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import Status
from pages import services
from pages.models import Page
from tests.factories import HIDDEN_STATES, make_article, make_page

pytestmark = pytest.mark.django_db


def test_pages_are_found_at_every_depth(client):
    about = make_page(status=Status.PUBLISHED, slug="about", title="About")
    team = make_page(status=Status.PUBLISHED, slug="team", parent=about, title="Team")
    make_page(status=Status.PUBLISHED, slug="editors", parent=team, title="Editors")
    for url, title in [("/about/", "About"), ("/about/team/", "Team"),
                       ("/about/team/editors/", "Editors")]:  # fmt: skip
        response = client.get(url)
        assert response.status_code == 200, url
        assert f"<h1>{title}</h1>" in response.content.decode()
    assert client.get("/about/team/nobody/").status_code == 404


def test_the_page_has_its_title_description_canonical_and_last_reviewed(client):
    make_page(status=Status.PUBLISHED, slug="ethics", title="Ethics policy",
              seo_title="How we work", body="<p>We check facts twice.</p><p>More.</p>",
              last_reviewed=timezone.localdate().replace(year=2026, month=3, day=2))  # fmt: skip
    text = client.get("/ethics/").content.decode()
    assert "<title>How we work |" in text
    assert '<meta name="description" content="We check facts twice.">' in text
    assert '<link rel="canonical" href="http://testserver/ethics/">' in text
    assert '<meta property="og:title" content="How we work">' in text
    assert 'Last reviewed <time datetime="2026-03-02">2 March 2026</time>' in text


@pytest.mark.parametrize("state", sorted(HIDDEN_STATES))
def test_a_page_off_the_site_is_nowhere(client, state):
    now = timezone.now()  # the states' times are relative to now
    fields = {k: now + v for k, v in HIDDEN_STATES[state].items() if k != "status"}
    page = make_page(status=HIDDEN_STATES[state]["status"], slug="secret-plans",
                     title="Secret plans", **fields)  # fmt: skip
    policies = make_page(status=Status.PUBLISHED, slug="policies")
    make_page(status=HIDDEN_STATES[state]["status"], slug="hidden", parent=policies, **fields)
    assert client.get("/secret-plans/").status_code == 404
    assert client.get("/policies/hidden/").status_code == 404
    sitemap = client.get("/sitemap-pages.xml").content.decode()
    assert "/policies/" in sitemap and "secret-plans" not in sitemap and "hidden" not in sitemap
    assert "Secret plans" not in client.get("/search/?q=Secret").content.decode()
    assert page.pk


def test_live_pages_are_in_the_sitemap(client):
    about = make_page(status=Status.PUBLISHED, slug="about")
    make_page(status=Status.PUBLISHED, slug="team", parent=about)
    assert "sitemap-pages.xml" in client.get("/sitemap.xml").content.decode()
    sitemap = client.get("/sitemap-pages.xml").content.decode()
    assert "http://testserver/about/</loc>" in sitemap
    assert "http://testserver/about/team/</loc>" in sitemap


def test_a_story_page_reads_no_more_for_pages(client):
    """A story at its own address is found as before pages existed: no query more."""
    story = make_article(status=Status.PUBLISHED)
    client.get(story.get_absolute_url())
    with CaptureQueriesContext(connection) as before:
        client.get(story.get_absolute_url())
    policies = make_page(status=Status.PUBLISHED, slug="policies")
    make_page(status=Status.PUBLISHED, slug=story.slug, parent=policies)
    make_page(status=Status.PUBLISHED, slug=story.section.slug + "-page")
    client.get(story.get_absolute_url())
    with CaptureQueriesContext(connection) as after:
        response = client.get(story.get_absolute_url())
    assert response.status_code == 200 and story.headline in response.content.decode()
    assert len(after) == len(before)
    # (The menus read pages too, to show only live ones: that is the menus' query, not routing.)
    routing = [q for q in after.captured_queries if "pages_page" in q["sql"]]
    assert not [q for q in routing if "menus_menuitem" not in q["sql"]]
    # The page with the story's slug is at its own address.
    assert client.get(f"/policies/{story.slug}/").status_code == 200


# --- The page cache ---------------------------------------------------------------------------


def test_a_404_is_not_kept_when_the_page_is_published_later(
    client, page_cache, publisher, django_capture_on_commit_callbacks
):
    page = make_page(status=Status.APPROVED, slug="write-to-us", body="<p>Write to us.</p>")
    assert client.get("/write-to-us/").status_code == 404
    assert client.get("/write-to-us/").status_code == 404  # asked twice: still not kept
    with django_capture_on_commit_callbacks(execute=True):
        services.publish_page(page=page, user=publisher)
    response = client.get("/write-to-us/")
    assert response.status_code == 200 and "Write to us." in response.content.decode()


def test_an_edit_and_an_unpublish_drop_the_cached_page(
    client, page_cache, publisher, django_capture_on_commit_callbacks
):
    page = make_page(status=Status.PUBLISHED, slug="about", body="<p>Old words.</p>")
    assert client.get("/about/")["X-Cache"] == "miss"
    cached = client.get("/about/")
    assert cached["X-Cache"] == "hit" and f"page-{page.pk}" in cached["Surrogate-Key"]
    page.body = "<p>New words.</p>"
    with django_capture_on_commit_callbacks(execute=True):
        services.save_page(page=page, user=publisher)
    assert "New words." in client.get("/about/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        services.unpublish_page(page=page, user=publisher)
    assert client.get("/about/").status_code == 404


def test_a_page_published_joins_the_cached_sitemap(
    client, page_cache, publisher, django_capture_on_commit_callbacks
):
    make_page(status=Status.PUBLISHED, slug="about")
    client.get("/sitemap-pages.xml")
    assert client.get("/sitemap-pages.xml")["X-Cache"] == "hit"
    page = make_page(status=Status.APPROVED, slug="ethics")
    with django_capture_on_commit_callbacks(execute=True):
        services.publish_page(page=page, user=publisher)
    assert "/ethics/" in client.get("/sitemap-pages.xml").content.decode()


def test_a_nested_page_behind_a_story_address_is_cached_and_dropped(
    client, page_cache, publisher, django_capture_on_commit_callbacks
):
    policies = make_page(status=Status.PUBLISHED, slug="policies")
    page = make_page(status=Status.PUBLISHED, slug="corrections", parent=policies)
    make_article(status=Status.PUBLISHED, slug="corrections")
    client.get("/policies/corrections/")
    assert client.get("/policies/corrections/")["X-Cache"] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        services.unpublish_page(page=page, user=publisher)
    # Now the address leads to the story of that slug, as any wrong section does.
    assert client.get("/policies/corrections/").status_code == 301


def test_a_page_with_a_takedown_time_is_kept_no_longer(client, page_cache):
    make_page(status=Status.PUBLISHED, slug="appeal",
              unpublish_at=timezone.now() + timedelta(seconds=30))  # fmt: skip
    response = client.get("/appeal/")
    assert "s-maxage=" in response["Cache-Control"]
    assert int(response["Cache-Control"].split("s-maxage=")[1].split(",")[0]) <= 30
    assert Page.objects.count() == 1


def test_the_cached_sitemap_lasts_until_a_scheduled_page_goes_live(client, page_cache):
    make_page(status=Status.PUBLISHED, slug="about")
    make_page(
        status=Status.PUBLISHED, slug="later", publish_at=timezone.now() + timedelta(seconds=40)
    )
    response = client.get("/sitemap-pages.xml")
    assert "/later/" not in response.content.decode()
    assert int(response["Cache-Control"].split("s-maxage=")[1].split(",")[0]) <= 40


def test_a_picture_in_the_body_carries_its_credit_and_its_key(client, page_cache):
    from tests.images import make_image

    image = make_image(credit="Jane Doe/Agence Presse")
    body = f'<figure class="image"><img src="{image.file.url}" alt="x"></figure><p>Our team.</p>'
    make_page(status=Status.PUBLISHED, slug="masthead", body=body)
    response = client.get("/masthead/")
    assert "Jane Doe/Agence Presse" in response.content.decode()
    assert f"image-{image.pk}" in response["Surrogate-Key"]  # its rights ending drops the page


def test_the_site_search_finds_live_pages_above_the_stories(
    client, page_cache, publisher, django_capture_on_commit_callbacks
):
    make_page(status=Status.PUBLISHED, slug="corrections-policy", title="Corrections policy",
              body="<p>How we correct mistakes.</p>")  # fmt: skip
    hidden = make_page(status=Status.APPROVED, slug="ethics", title="Ethics and mistakes")
    text = client.get("/search/?q=mistakes").content.decode()
    assert '<a href="/corrections-policy/">Corrections policy</a>' in text
    assert "Ethics" not in text
    assert "Corrections policy" not in client.get("/search/?q=mistakes&section=x").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        services.publish_page(page=hidden, user=publisher)
    assert (
        '<a href="/ethics/">Ethics and mistakes</a>'
        in client.get("/search/?q=mistakes").content.decode()
    )
