import pytest
from django.core.cache import cache

from articles.roles import CONTRIBUTOR, EDITOR, PUBLISHER
from caching import cdn, store
from tests import factories


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache: the database is rolled back after every test, and
    cached pages and fragments must not outlive it."""
    cache.clear()
    store.clear()
    yield
    cdn.settle()  # no purge of this test's may reach the next one's CDN
    cache.clear()
    store.clear()


@pytest.fixture
def contributor(db):
    return factories.make_user(CONTRIBUTOR)


@pytest.fixture
def other_contributor(db):
    return factories.make_user(CONTRIBUTOR)


@pytest.fixture
def editor(db):
    return factories.make_user(EDITOR)


@pytest.fixture
def publisher(db):
    return factories.make_user(PUBLISHER)


@pytest.fixture
def superuser(db):
    return factories.make_user(superuser=True)


@pytest.fixture
def section(db):
    return factories.make_section()


@pytest.fixture
def author(db):
    return factories.make_author()
