"""The load-test archive, and the indexes behind every listing."""

import pytest
from django.core.management import call_command
from django.db import connection

from articles.models import Article, Byline, Status, TaggedArticle

pytestmark = pytest.mark.django_db


def corpus(tmp_seed=7, articles=60):
    call_command("generate_corpus", articles=articles, seed=tmp_seed, authors=20, tags=50,
                 images=2, batch=25, verbosity=0)  # fmt: skip


def test_the_corpus_is_realistic():
    corpus(articles=120)
    stories = Article.objects.all()
    assert stories.count() == 120
    assert Article.objects.live().count() > 90
    assert stories.filter(status=Status.DRAFT).exists()
    assert Article.objects.scheduled().exists()
    for story in stories[:30]:
        assert 1 <= Byline.objects.filter(article=story).count() <= 3
        assert 3 <= TaggedArticle.objects.filter(content_object=story).count() <= 6
        words = len(story.body_html.split())
        assert 600 <= words <= 1700, words
    with_image = stories.filter(lead_image__isnull=False).first()
    assert with_image.lead_image.credit and with_image.lead_image.renditions.exists()


def test_the_corpus_is_announced_to_readers_caches_once(django_capture_on_commit_callbacks):
    """Bulk writes, on purpose (a benchmark archive): one hard change, not one per row."""
    from tests.caching_kit import invalidations

    before = invalidations()
    with django_capture_on_commit_callbacks(execute=True):
        corpus(articles=30)
    assert invalidations() - before == 1


def test_the_same_seed_gives_the_same_archive(django_db_blocker):
    corpus(tmp_seed=11, articles=40)
    first = list(Article.objects.order_by("slug").values_list("slug", "headline", "status"))
    Article.objects.all().delete()
    corpus(tmp_seed=11, articles=40)
    # The second run numbers its stories on from where the first stopped: compare content.
    second = list(Article.objects.order_by("slug").values_list("slug", "headline", "status"))
    strip = lambda rows: sorted((h, s) for _, h, s in rows)  # noqa: E731
    assert strip(first) == strip(second)


def test_every_listing_query_can_use_an_index():
    if connection.vendor != "postgresql":
        pytest.skip("EXPLAIN checks need PostgreSQL.")
    corpus(articles=80)
    call_command("explain_listings", "--planner-must-use-indexes")
