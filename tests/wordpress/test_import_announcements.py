"""An import goes through the one write path: each post is saved by the services, and
readers' caches hear of it once per post that changed, not once per row written."""

import pytest
from reversion.models import Version

from articles.models import Article
from devtools.management.commands.bench_wordpress_import import generate
from tests.caching_kit import invalidations
from wordpress.importer import import_wordpress
from wordpress.sample import Post, write_wxr

# Committed transactions: the announcements run on commit, as they do in production.
pytestmark = pytest.mark.django_db(transaction=True)

POSTS = 50


@pytest.fixture
def fifty_posts(tmp_path):
    path, uploads = tmp_path / "export.xml", tmp_path / "uploads"
    generate(path, uploads, POSTS)  # 45 published, 5 drafts, 3 pictures, 30 authors…
    return path, uploads


def announcements_during(work) -> int:
    before = invalidations()
    work()
    return invalidations() - before


def test_an_import_announces_once_per_post_at_most_and_a_second_run_nothing(fifty_posts):
    path, uploads = fifty_posts

    def run():
        return import_wordpress(path, media_dir=uploads, fetch=False)

    first = announcements_during(run)
    assert Article.objects.count() == POSTS
    assert Article.objects.live().exists()
    assert 0 < first <= POSTS
    assert announcements_during(run) == 0  # nothing changed in WordPress: nothing to tell


def test_a_drafts_only_import_announces_nothing(tmp_path):
    """Drafts are on no page, nor are the new authors and sections they bring."""
    path = tmp_path / "drafts.xml"
    drafts = [Post(post_id=n, title=f"Draft {n}", slug=f"d-{n}", status="draft") for n in (1, 2)]
    with path.open("w", encoding="utf-8") as stream:
        write_wxr(stream, items=drafts)
    assert announcements_during(lambda: import_wordpress(path, fetch=False)) == 0


def test_every_imported_story_has_a_revision_made_by_the_services_as_system(fifty_posts):
    path, uploads = fifty_posts
    import_wordpress(path, media_dir=uploads, fetch=False)
    for article in Article.objects.all():
        revision = Version.objects.get_for_object(article).get().revision
        assert revision.comment.startswith("Imported from WordPress (post ")
        assert revision.user is None  # the system actor
        kinds = {v.content_type.model for v in revision.version_set.all()}
        assert {"article", "byline"} <= kinds  # restorable with its byline
