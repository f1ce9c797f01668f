"""The database router: readers read the replica, writers and staff read their own writes."""

import pytest
from django.db import connections
from django.http import HttpResponse
from django.test import RequestFactory

from articles.models import Article
from newsroom.db import PrimaryReplicaRouter, ReadYourWritesMiddleware

router = PrimaryReplicaRouter()


@pytest.fixture
def with_replica(monkeypatch):
    """As if DATABASE_REPLICA_URL were set (the router only asks whether there is one)."""
    monkeypatch.setattr("newsroom.db.has_replica", lambda: True)


factory = RequestFactory()


def route_of(request) -> dict:
    """Run a request through the middleware; report where reads and writes went."""
    seen = {}

    def view(request):
        seen["read"] = router.db_for_read(Article)
        seen["write"] = router.db_for_write(Article)
        return HttpResponse("ok")

    seen["response"] = ReadYourWritesMiddleware(view)(request)
    return seen


@pytest.mark.usefixtures("with_replica")
def test_an_anonymous_reader_reads_from_the_replica():
    assert route_of(factory.get("/"))["read"] == "replica"


@pytest.mark.usefixtures("with_replica")
def test_writes_always_go_to_the_primary_and_the_request_reads_its_own_writes():
    route = route_of(factory.post("/admin/articles/article/1/change/"))
    assert route["write"] == "default" and route["read"] == "default"
    assert route["response"].cookies["recent-write"]["max-age"] == 10


@pytest.mark.usefixtures("with_replica")
def test_staff_read_from_the_primary():
    request = factory.get("/")
    request.COOKIES["sessionid"] = "abc"
    assert route_of(request)["read"] == "default"


@pytest.mark.usefixtures("with_replica")
def test_a_browser_that_just_wrote_reads_from_the_primary_for_a_while():
    request = factory.get("/europe/some-story/")
    request.COOKIES["recent-write"] = "1"
    assert route_of(request)["read"] == "default"


@pytest.mark.usefixtures("with_replica")
def test_the_choice_does_not_leak_into_the_next_request():
    staff = factory.get("/")
    staff.COOKIES["sessionid"] = "abc"
    route_of(staff)
    assert route_of(factory.get("/"))["read"] == "replica"
    assert router.db_for_read(Article) == "replica"  # outside any request: readers' default


def test_without_a_replica_everything_uses_the_primary():
    assert route_of(factory.get("/"))["read"] == "default"
    assert "recent-write" not in route_of(factory.post("/x/"))["response"].cookies


@pytest.mark.usefixtures("with_replica")
def test_migrations_only_run_on_the_primary():
    assert router.allow_migrate("default", "articles")
    assert not router.allow_migrate("replica", "articles")


def test_the_replica_setting_mirrors_the_primary_in_tests(monkeypatch):
    """DATABASE_REPLICA_URL adds a replica that the test runner points at the test database."""
    import importlib

    import newsroom.settings.base as base

    monkeypatch.setenv("DATABASE_REPLICA_URL", "postgres://reader@replica:5432/newsroom")
    reloaded = importlib.reload(base)
    try:
        replica = reloaded.DATABASES["replica"]
        assert replica["HOST"] == "replica" and replica["TEST"] == {"MIRROR": "default"}
        assert reloaded.DATABASE_ROUTERS == ["newsroom.db.PrimaryReplicaRouter"]
    finally:
        monkeypatch.delenv("DATABASE_REPLICA_URL")
        importlib.reload(base)
    assert "replica" not in connections.databases
