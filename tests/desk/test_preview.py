"""Preview shows what is in the story form now, unsaved changes included, and saves nothing:
no story write, no revision, no working copy, no cache entry; only who may edit the story
(or start one) may see it, and no cache may keep it."""

import pytest
from django.core.cache import cache
from django.urls import reverse
from reversion.models import Version

from articles import fragments
from articles.models import Article, Status
from desk.models import WorkingCopy
from tests.admin_forms import change_form_data, change_url, logged_in
from tests.caching_kit import invalidations
from tests.factories import make_article, make_author

pytestmark = pytest.mark.django_db


def preview_url(story=None) -> str:
    if story is None:
        return reverse("admin:articles_article_preview_new")
    return reverse("admin:articles_article_preview", args=[story.pk])


def typed(client, story, **changes) -> dict:
    """The change form as the browser would post it, with some fields typed into."""
    data = change_form_data(client.get(change_url(story)))
    data.update(changes)
    return data


def stored(story) -> dict:
    return Article.objects.values("version", "modified_at", "headline", "dek", "body").get(
        pk=story.pk
    )


def test_preview_shows_the_typed_text_and_saves_nothing(contributor):
    story = make_article(created_by=contributor, headline="Council meets", dek="Old dek")
    client = logged_in(contributor)
    data = typed(
        client,
        story,
        headline="Council meets at last",
        dek="A dek typed, never saved",
        body="<p>A paragraph typed a moment ago.</p>",
    )
    before, revisions, generation = stored(story), Version.objects.count(), invalidations()

    response = client.post(preview_url(story), data)

    assert response.status_code == 200
    page = response.content.decode()
    assert "Council meets at last" in page
    assert "A dek typed, never saved" in page
    assert "A paragraph typed a moment ago." in page
    assert stored(story) == before
    assert Version.objects.count() == revisions
    assert not WorkingCopy.objects.exists()
    assert invalidations() == generation
    typed_body = fragments.body(response.context["article"], {})
    assert cache.get(typed_body.key) is None  # the typed text was not stored as a fragment


def test_preview_is_marked_and_never_cached(contributor):
    story = make_article(created_by=contributor)
    client = logged_in(contributor)

    response = client.post(preview_url(story), typed(client, story))

    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
    assert "noindex" in response["X-Robots-Tag"]
    page = response.content.decode()
    assert 'name="robots" content="noindex, nofollow"' in page
    assert 'class="preview-banner"' in page


def test_the_typed_body_is_sanitised_as_saving_would(contributor):
    story = make_article(created_by=contributor)
    client = logged_in(contributor)
    hostile = '<p>Fine words<img src=x onerror="alert(1)"><script>alert(2)</script></p>'

    page = client.post(preview_url(story), typed(client, story, body=hostile)).content.decode()

    assert "Fine words" in page
    assert "onerror" not in page and "alert(2)" not in page


def test_bylines_typed_in_the_form_are_shown(contributor):
    story = make_article(created_by=contributor)
    client = logged_in(contributor)
    newcomer = make_author(name="Tomás Ferreira")
    data = typed(client, story)
    data.update({"bylines-TOTAL_FORMS": "2", "bylines-1-author": str(newcomer.pk),
                 "bylines-1-role": "", "bylines-1-order": "1"})  # fmt: skip

    page = client.post(preview_url(story), data).content.decode()

    assert "Tomás Ferreira" in page
    assert not story.bylines.filter(author=newcomer).exists()


def test_a_new_story_can_be_previewed_before_its_first_save(contributor, section):
    client = logged_in(contributor)
    stories = Article.objects.count()
    data = {
        "headline": "A story never saved",
        "article_type": "news",
        "section": section.pk,
        "body": "<p>Typed into a new story.</p>",
        **{f"{p}-{n}": "0" for p in ("bylines", "tagged_items", "related_links", "corrections",
                                  "sources")
           for n in ("TOTAL_FORMS", "INITIAL_FORMS")},
    }  # fmt: skip
    page = client.post(preview_url(), data)

    assert page.status_code == 200
    assert "Typed into a new story." in page.content.decode()
    assert Article.objects.count() == stories


def test_only_someone_who_may_edit_the_story_previews_what_is_typed(
    contributor, other_contributor, editor
):
    story = make_article(created_by=contributor, headline="Mine")
    data = typed(logged_in(contributor), story, headline="Typed")
    assert logged_in(other_contributor).post(preview_url(story), data).status_code == 404
    assert logged_in(editor).post(preview_url(story), data).status_code == 200
    live = make_article(created_by=contributor, status=Status.PUBLISHED, headline="Live")
    live_data = typed(logged_in(editor), live, headline="Typed over a live story")
    # A contributor sees a live story in the desk but may not edit it: no preview either.
    assert logged_in(contributor).post(preview_url(live), live_data).status_code == 403


def test_a_reader_cannot_preview(client, contributor):
    story = make_article(created_by=contributor)
    data = typed(logged_in(contributor), story, headline="Typed")

    response = client.post(preview_url(story), data)

    assert response.status_code == 302 and "/login/" in response["Location"]
    assert "Typed" not in response.content.decode()
