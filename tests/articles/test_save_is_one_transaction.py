"""A save that crashes half-way leaves the story, its bylines, tags, corrections and revision
history exactly as they were: an admin save is one transaction. The next save works."""

from contextlib import contextmanager

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from reversion.models import Version
from reversion.signals import post_revision_commit
from taggit.models import Tag

from articles import changes
from articles.changes import Relations
from articles.models import Article, Correction, Status
from tests.admin_forms import change_form_data
from tests.factories import make_article, make_author
from tests.outages import TcpProxy, connection_to, through

pytestmark = pytest.mark.django_db


class Crash(Exception):
    """Stands for whatever kills a save half-way: a bug, a worker killed, a lost connection."""


@contextmanager
def crashing(point: str, story):
    """Saves crash at `point`; what the crashed save had written is put in `written`."""
    written = []

    def crash(*args, **kwargs):
        written.append(Article.objects.values_list("headline", flat=True).get(pk=story.pk))
        raise Crash

    with pytest.MonkeyPatch.context() as patch:
        if point == "after the story row":
            # The service has written the story's row and is about to write its inlines.
            patch.setattr(Relations, "write", crash)
        elif point == "between the inlines":  # bylines and tags are written by then
            replace = changes._replace

            def crash_at_corrections(existing, *args, **kwargs):
                if existing.model is Correction:
                    crash()
                replace(existing, *args, **kwargs)

            patch.setattr(changes, "_replace", crash_at_corrections)
        else:  # the revision and its versions are written, the transaction not yet committed
            post_revision_commit.connect(crash, dispatch_uid="crash")
        try:
            yield written
        finally:
            post_revision_commit.disconnect(dispatch_uid="crash")


def snapshot(story) -> dict:
    """Everything a save writes, as read back from the database."""
    return {
        "story": Article.objects.filter(pk=story.pk).values().get(),
        "bylines": list(story.bylines.order_by("pk").values_list("author", "role", "order")),
        "tags": sorted(story.tags.names()),
        "corrections": list(story.corrections.values_list("kind", "text")),
        "revisions": list(Version.objects.get_for_object(story).values_list("pk", flat=True)),
    }


def an_edit(client, story) -> dict:
    """The change form, with a new headline and body, a second byline, a new tag set and a
    new correction: a save that writes to every table."""
    change = reverse("admin:articles_article_change", args=[story.pk])
    data = change_form_data(client.get(change))
    data.update(headline="Rewritten", body="<p>Half of this must not survive.</p>")
    data.update({"bylines-TOTAL_FORMS": "2", "bylines-1-author": str(make_author().pk),
                 "bylines-1-role": "", "bylines-1-order": "1"})  # fmt: skip
    data["tagged_items-0-tag"] = str(Tag.objects.get_or_create(name="Sudan", slug="sudan")[0].pk)
    n = int(data["corrections-TOTAL_FORMS"])
    data.update({"corrections-TOTAL_FORMS": str(n + 1), f"corrections-{n}-kind": "update",
                 f"corrections-{n}-text": "A new update.",
                 f"corrections-{n}-published_at_0": "2026-01-02",
                 f"corrections-{n}-published_at_1": "10:00:00"})  # fmt: skip
    return data


def a_story_with_history(client, editor) -> Article:
    story = make_article(status=Status.DRAFT, headline="Original")
    story.tags.set(["Ukraine"])
    Correction.objects.create(article=story, text="An earlier correction.")
    client.force_login(editor)
    first = an_edit(client, story)
    first.update(headline="Original, revised", body="<p>The saved text.</p>")
    assert (
        client.post(reverse("admin:articles_article_change", args=[story.pk]), first).status_code
        == 302
    )
    return story


def save(client, story, data):
    return client.post(reverse("admin:articles_article_change", args=[story.pk]), data)


@pytest.mark.parametrize(
    "point", ["after the story row", "between the inlines", "after the revision"]
)
def test_a_save_that_crashes_half_way_changes_nothing(editor, point):
    client = Client(raise_request_exception=False)
    story = a_story_with_history(client, editor)
    before = snapshot(story)
    with crashing(point, story) as written:
        assert save(client, story, an_edit(client, story)).status_code == 500
    assert written == ["Rewritten"]  # the crash came after the story row was written
    assert snapshot(story) == before

    assert save(client, story, an_edit(client, story)).status_code == 302
    after = snapshot(story)
    assert after["story"]["headline"] == "Rewritten" and len(after["bylines"]) == 2
    assert after["tags"] == ["Sudan"] and ("update", "A new update.") in after["corrections"]
    assert len(after["revisions"]) == len(before["revisions"]) + 1


@pytest.mark.django_db(transaction=True)
def test_a_save_whose_database_connection_is_cut_half_way_changes_nothing(editor, monkeypatch):
    """On PostgreSQL: the connection is really lost after the story row is written."""
    if connection.vendor != "postgresql":
        pytest.skip("Cuts a network connection to the database server (PostgreSQL).")
    proxy = TcpProxy((connection.settings_dict["HOST"], int(connection.settings_dict["PORT"])))
    client = Client(raise_request_exception=False)
    story = a_story_with_history(client, editor)
    before = snapshot(story)
    data = an_edit(client, story)
    write = Relations.write

    def cut_then_write(*args):
        proxy.cut()
        write(*args)

    monkeypatch.setattr(Relations, "write", cut_then_write)
    try:
        with connection_to(through(proxy, connection.settings_dict)):
            assert save(client, story, data).status_code == 503
        assert snapshot(story) == before  # read over the test's own connection

        proxy.restore()
        monkeypatch.undo()
        with connection_to(through(proxy, connection.settings_dict)):
            assert save(client, story, an_edit(client, story)).status_code == 302
    finally:
        proxy.close()
    after = snapshot(story)
    assert after["story"]["headline"] == "Rewritten"
    assert len(after["revisions"]) == len(before["revisions"]) + 1
