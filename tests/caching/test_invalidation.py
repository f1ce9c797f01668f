"""A change drops exactly the cached pages that show what changed, and no other: on local
memory and on a real Redis. Editors correcting one story leave the rest of the site cached."""

import pytest

from articles import services
from articles.models import RelatedArticle, Status
from caching import store
from sections.models import Series
from tests.factories import make_article, make_author, make_section, make_user

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("remembered_values")]


@pytest.fixture
def newsroom():
    """Regions › Europe holds story A (series, author, tag) and B (same series; its river and
    series box show A). Business holds C, by someone else: nothing of C's shows A."""
    regions = make_section(name="Regions", slug="regions")
    europe = make_section(name="Europe", slug="europe", parent=regions)
    business = make_section(name="Business", slug="business")
    series = Series.objects.create(name="Diplomacy Watch", slug="diplomacy-watch")
    ana, carl = make_author(name="Ana Novak"), make_author(name="Carl Berg")
    shared = {"status": Status.PUBLISHED, "section": europe, "series": series, "author": ana}
    a = make_article(headline="Talks resume in Vienna", **shared)
    b = make_article(headline="Envoys meet again", **shared)
    c = make_article(status=Status.PUBLISHED, section=business, author=carl,
                     headline="Markets shrug")  # fmt: skip
    a.tags.set(["Vienna"])
    c.tags.set(["Markets"])
    RelatedArticle.objects.create(article=b, related=a, order=0)
    return {"a": a, "b": b, "c": c, "regions": regions, "europe": europe,
            "business": business, "series": series, "ana": ana, "carl": carl}  # fmt: skip


def showing_a(n) -> dict[str, str]:
    """Every page that shows story A."""
    return {
        "its page": n["a"].get_absolute_url(),
        "its section": n["europe"].get_absolute_url(),
        "the parent section": n["regions"].get_absolute_url(),
        "its series": n["series"].get_absolute_url(),
        "its author": n["ana"].get_absolute_url(),
        "its tag": "/tags/vienna/",
        "home": "/",
        "the site feed": "/feeds/rss/",
        "the section feed": "/feeds/sections/europe/rss/",
        "the sitemap": "/sitemap-stories.xml",
        "the search": "/search/?q=vienna",
        "B, whose river and series box show it": n["b"].get_absolute_url(),
    }


def not_showing_a(n) -> dict[str, str]:
    return {
        "C's page": n["c"].get_absolute_url(),
        "C's section": n["business"].get_absolute_url(),
        "C's author": n["carl"].get_absolute_url(),
        "C's tag": "/tags/markets/",
    }


def warm(client, urls) -> None:
    for name, url in urls.items():
        client.get(url)
        assert client.get(url)["X-Cache"] == "hit", name


def test_an_edit_drops_the_pages_that_show_the_story_and_no_other(
    client, page_cache, newsroom, django_capture_on_commit_callbacks
):
    n = newsroom
    warm(client, showing_a(n) | not_showing_a(n))
    a = n["a"]
    a.headline = "Talks resume in Vienna, with Iran"
    with django_capture_on_commit_callbacks(execute=True):
        services.save_article(article=a, user=make_user(superuser=True))
    for name, url in showing_a(n).items():
        response = client.get(url)
        assert response["X-Cache"] == "miss", name
        if name not in ("the search", "the sitemap"):  # these show no headline
            assert "with Iran" in response.content.decode(), name
    for name, url in not_showing_a(n).items():
        assert client.get(url)["X-Cache"] == "hit", name


def test_a_new_story_appears_at_once_on_every_listing_that_lists_it(
    client, page_cache, newsroom, django_capture_on_commit_callbacks
):
    n = newsroom
    listings = {name: url for name, url in showing_a(n).items() if name != "its page"}
    warm(client, listings | not_showing_a(n))
    new = make_article(status=Status.APPROVED, headline="Vienna talks: a deal",
                       section=n["europe"],
                       series=n["series"], author=n["ana"])  # fmt: skip
    new.tags.set(["Vienna"])
    with django_capture_on_commit_callbacks(execute=True):
        services.publish(article=new, user=make_user(superuser=True))
    for name, url in listings.items():
        shown = new.get_absolute_url() if name == "the sitemap" else "Vienna talks: a deal"
        assert shown in client.get(url).content.decode(), name
    for name, url in not_showing_a(n).items():
        assert client.get(url)["X-Cache"] == "hit", name


def test_a_story_moved_to_another_section_leaves_the_old_one_and_joins_the_new(
    client, page_cache, newsroom, django_capture_on_commit_callbacks
):
    n = newsroom
    urls = {"Europe": n["europe"].get_absolute_url(), "Business": n["business"].get_absolute_url()}
    warm(client, urls)
    a = n["a"]
    a.section = n["business"]
    with django_capture_on_commit_callbacks(execute=True):
        services.save_article(article=a, user=make_user(superuser=True))
    assert "Talks resume in Vienna" not in client.get(urls["Europe"]).content.decode()
    assert "Talks resume in Vienna" in client.get(urls["Business"]).content.decode()


def test_a_renamed_author_drops_the_pages_that_show_the_name_only(
    client, page_cache, newsroom, django_capture_on_commit_callbacks
):
    """A write outside the services (the admin's author page, a shell): the safety net names
    the author, not the whole site."""
    n = newsroom
    warm(client, showing_a(n) | not_showing_a(n))
    ana = n["ana"]
    with django_capture_on_commit_callbacks(execute=True):
        ana.name = "Ana Novak-Horvat"
        ana.save()
    for name in ("its page", "its author", "B, whose river and series box show it"):
        assert "Ana Novak-Horvat" in client.get(showing_a(n)[name]).content.decode(), name
    for name, url in not_showing_a(n).items():
        assert client.get(url)["X-Cache"] == "hit", name


def test_a_takedown_leaves_every_page_and_no_stale_copy_stands_in(
    client, page_cache, newsroom, django_capture_on_commit_callbacks
):
    """After an edit, a page being rendered anew may be stood in for by its previous copy;
    after a takedown, never: the copies kept by earlier edits go too."""
    n = newsroom
    warm(client, showing_a(n))
    a, editor = n["a"], make_user(superuser=True)
    a.dek = "An edit first: every page showing A keeps a stale copy"
    with django_capture_on_commit_callbacks(execute=True):
        services.save_article(article=a, user=editor)
    with django_capture_on_commit_callbacks(execute=True):
        services.unpublish(article=a, user=editor)
    for name in showing_a(n):
        found = store.store().lookup(_entry_name(client, showing_a(n)[name]))
        assert found is None or (found.entry is None and found.stale is None), name
    for name, url in showing_a(n).items():
        response = client.get(url)
        assert "Talks resume in Vienna" not in response.content.decode(), name


def _entry_name(client, url: str) -> str:
    """The store's name for a page, as the middleware makes it."""
    from django.test import RequestFactory

    from caching.middleware import _name
    from caching.pages import declared

    path, _, query = url.partition("?")
    request = RequestFactory().get(url)
    return _name(request, declared(path))
