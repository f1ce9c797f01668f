"""Story addresses: generated from the headline, fixed at publication, old ones redirect."""

import pytest

from articles import services
from articles.models import Article, Status
from tests.factories import make_article, make_section

pytestmark = pytest.mark.django_db


def test_slug_is_made_from_the_headline_and_kept_unique(contributor, section):
    first = services.save_article(
        article=Article(headline="Talks resume in Istanbul", section=section), user=contributor
    )
    second = services.save_article(
        article=Article(headline="Talks resume in Istanbul", section=section), user=contributor
    )
    assert first.slug == "talks-resume-in-istanbul"
    assert second.slug == "talks-resume-in-istanbul-2"


def test_changing_a_published_slug_leaves_a_permanent_redirect(client, publisher):
    story = make_article(status=Status.PUBLISHED, slug="old-address")
    old_url = story.get_absolute_url()
    story.slug = "new-address"
    services.save_article(article=story, user=publisher)
    response = client.get(old_url)
    assert response.status_code == 301
    assert response["Location"] == f"/{story.section.slug}/new-address/"
    assert client.get(response["Location"]).status_code == 200


def test_changing_the_slug_back_and_forth_never_loops(client, publisher):
    story = make_article(status=Status.PUBLISHED, slug="first")
    for slug in ("second", "first", "third"):
        story.slug = slug
        services.save_article(article=story, user=publisher)
    for old in ("first", "second"):
        response = client.get(f"/{story.section.slug}/{old}/")
        assert response.status_code == 301
        assert response["Location"].endswith("/third/")


def test_moving_a_story_to_another_section_redirects_the_old_url(client):
    story = make_article(status=Status.PUBLISHED)
    old_url = story.get_absolute_url()
    story.section = make_section()
    story.save()
    response = client.get(old_url)
    assert response.status_code == 301
    assert response["Location"] == story.get_absolute_url()


def test_redirect_from_an_old_slug_does_not_reveal_an_unpublished_story(client, publisher):
    story = make_article(status=Status.PUBLISHED, slug="was-live")
    story.slug = "now-hidden"
    services.save_article(article=story, user=publisher)
    services.unpublish(article=story, user=publisher)
    assert client.get(f"/{story.section.slug}/was-live/").status_code == 404


def test_a_non_publisher_cannot_change_a_published_slug(editor):
    from django.core.exceptions import PermissionDenied

    story = make_article(status=Status.PUBLISHED, slug="fixed")
    story.slug = "changed"
    with pytest.raises(PermissionDenied):
        services.save_article(article=story, user=editor)
    assert Article.objects.get(pk=story.pk).slug == "fixed"
