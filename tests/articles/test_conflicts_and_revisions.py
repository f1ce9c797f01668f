"""Nothing an editor types is silently lost: concurrent edits and revisions."""

import pytest
from django.test import Client
from django.urls import reverse
from reversion.models import Version
from taggit.models import Tag

from articles import services
from articles.changes import Relations
from articles.models import Article, Status
from tests.admin_forms import change_form_data
from tests.factories import make_article, make_author

pytestmark = pytest.mark.django_db


def change_url(story):
    return reverse("admin:articles_article_change", args=[story.pk])


def test_the_second_of_two_concurrent_saves_is_refused_and_keeps_its_text(editor, publisher):
    story = make_article(status=Status.SUBMITTED, headline="Original")
    first, second = Client(), Client()
    first.force_login(editor)
    second.force_login(publisher)
    first_data = change_form_data(first.get(change_url(story)))
    second_data = change_form_data(second.get(change_url(story)))

    first_data["body"] = "<p>The first editor's paragraph.</p>"
    assert first.post(change_url(story), first_data).status_code == 302

    second_data["body"] = "<p>The second editor's careful rewrite.</p>"
    response = second.post(change_url(story), second_data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "while you were editing it" in html and editor.username in html
    assert "The second editor&#x27;s careful rewrite." in html  # still in the form
    story.refresh_from_db()
    assert story.body == "<p>The first editor's paragraph.</p>"

    # Having merged, the second editor saves again on purpose, and it goes through.
    merged = change_form_data(response)
    merged["body"] = "<p>The first editor's paragraph. The second editor's rewrite.</p>"
    assert second.post(change_url(story), merged).status_code == 302
    story.refresh_from_db()
    assert "second editor" in story.body


def test_every_admin_save_records_a_revision_with_byline_and_tags(client, editor):
    story = make_article(status=Status.DRAFT)
    client.force_login(editor)
    data = change_form_data(client.get(change_url(story)))
    data["headline"] = "Revised"
    client.post(change_url(story), data)
    versions = Version.objects.get_for_object(story)
    assert versions.count() == 1
    models = {v.content_type.model for v in versions[0].revision.version_set.all()}
    assert {"article", "byline"} <= models
    assert versions[0].revision.user == editor


def test_restoring_a_revision_brings_back_text_byline_and_tags_but_not_status(client, publisher):
    story = make_article(status=Status.SUBMITTED, headline="First version")
    story.tags.set(["Ukraine"])
    client.force_login(publisher)
    data = change_form_data(client.get(change_url(story)))
    client.post(change_url(story), data)  # revision 1: "First version", tag Ukraine

    story.refresh_from_db()
    story.tags.set(["Syria"])
    story.bylines.all().delete()
    story.bylines.create(author=make_author(name="New Writer"))
    data = change_form_data(client.get(change_url(story)))
    data["headline"] = "Second version"
    client.post(change_url(story), data)  # revision 2

    client.post(reverse("admin:articles_article_workflow", args=[story.pk, "approve"]))
    first_revision = Version.objects.get_for_object(story).order_by("pk").first()
    restore_url = reverse("admin:articles_article_revision", args=[story.pk, first_revision.pk])
    assert "Restore this version" in client.get(restore_url).content.decode()
    assert client.post(restore_url).status_code == 302

    story = Article.objects.get(pk=story.pk)
    assert story.headline == "First version"
    assert list(story.tags.names()) == ["Ukraine"]
    assert "New Writer" not in [b.author.name for b in story.bylines.all()]
    assert story.status == Status.APPROVED  # workflow state is not rolled back
    assert Version.objects.get_for_object(story).count() == 3  # the restore is a revision too


def test_a_contributor_cannot_restore_a_revision_of_a_submitted_story(client, contributor, editor):
    story = make_article(status=Status.DRAFT, created_by=contributor)
    client.force_login(contributor)
    client.post(change_url(story), change_form_data(client.get(change_url(story))))
    version = Version.objects.get_for_object(story).first()
    client.post(reverse("admin:articles_article_workflow", args=[story.pk, "submit"]))
    url = reverse("admin:articles_article_revision", args=[story.pk, version.pk])
    assert client.post(url).status_code == 403


def test_editors_can_compare_two_revisions(client, editor):
    story = make_article(status=Status.DRAFT, headline="Alpha")
    client.force_login(editor)
    for headline in ("Beta", "Gamma"):
        data = change_form_data(client.get(change_url(story)))
        data["headline"] = headline
        client.post(change_url(story), data)
    first, second = Version.objects.get_for_object(story).order_by("pk")
    response = client.get(
        reverse("admin:articles_article_compare", args=[story.pk]),
        {"version_id1": first.pk, "version_id2": second.pk},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Beta" in html and "Gamma" in html


@pytest.mark.django_db(transaction=True)
def test_two_saves_at_the_same_instant_cannot_both_win(editor, publisher):
    """Real concurrency on PostgreSQL: row locks make exactly one of two racing saves pass."""
    import threading

    from django.db import connection, connections

    if connection.vendor != "postgresql":
        pytest.skip("Needs a database with row locks and concurrent connections (PostgreSQL).")
    story = make_article(status=Status.SUBMITTED)
    clients = []
    for user in (editor, publisher):
        c = Client()
        c.force_login(user)
        data = change_form_data(c.get(change_url(story)))
        data["body"] = f"<p>Written by {user.username}.</p>"
        clients.append((c, data))
    barrier, results = threading.Barrier(2), []

    def save(c, data):
        barrier.wait()
        results.append(c.post(change_url(story), data).status_code)
        connections.close_all()

    threads = [threading.Thread(target=save, args=pair) for pair in clients]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert sorted(results) == [200, 302]
    story.refresh_from_db()
    assert story.version == 2


def test_the_revision_comment_names_only_what_the_editor_changed(client, editor):
    story = make_article(status=Status.DRAFT)
    client.force_login(editor)
    data = change_form_data(client.get(change_url(story)))
    data["dek"] = "A new standfirst."
    client.post(change_url(story), data)
    comment = Version.objects.get_for_object(story).first().revision.get_comment()
    assert "Dek" in comment and "version" not in comment


def test_a_revision_saved_with_relations_can_be_restored_with_its_byline_and_tags(publisher):
    """Commands and imports give rows, not forms: their revision still holds the byline and
    tags, so restoring it brings them back instead of leaving the story without a byline."""
    story = make_article(status=Status.DRAFT, headline="First version")
    writer, ukraine = make_author(name="First Writer"), Tag.objects.create(name="Ukraine")
    first = Relations(bylines=[{"author_id": writer.pk, "role": "", "order": 0}], tags=[ukraine.pk])
    services.save_article(article=story, user=services.SYSTEM, relations=first, comment="One")
    story.headline = "Second version"
    second = Relations(bylines=[{"author_id": make_author().pk, "role": "", "order": 0}], tags=[])
    services.save_article(article=story, user=services.SYSTEM, relations=second, comment="Two")

    version = Version.objects.get_for_object(story).get(revision__comment="One")
    services.restore_revision(article=story, version=version, user=publisher)
    story = Article.objects.get(pk=story.pk)
    assert story.headline == "First version"
    assert [b.author.name for b in story.bylines.all()] == ["First Writer"]
    assert list(story.tags.names()) == ["Ukraine"]
