"""Every change to a story goes through articles.services, which says once per change
what it means for readers: a never-published draft invalidates nothing, a save with many
relations is one announcement, restore and the workflow go through the same path."""

import pytest
from django.urls import reverse
from reversion.models import Version
from taggit.models import Tag

from articles import services
from articles.models import Article, LiveRevision, Status
from tests.admin_forms import change_form_data, change_url, logged_in
from tests.caching_kit import invalidations
from tests.factories import make_article, make_author

pytestmark = pytest.mark.django_db


def announcements(capture, action) -> int:
    """How many changes readers' caches were told of by `action`, once committed."""
    before = invalidations()
    with capture(execute=True):
        action()
    return invalidations() - before


def with_five_relations(client, story) -> dict:
    """The change form with two more bylines, two tags and a correction added."""
    data = change_form_data(client.get(change_url(story)))
    n = int(data["bylines-TOTAL_FORMS"])
    for i, author in enumerate([make_author(), make_author()], start=n):
        data.update({f"bylines-{i}-author": str(author.pk), f"bylines-{i}-role": "",
                     f"bylines-{i}-order": str(i)})  # fmt: skip
    data["bylines-TOTAL_FORMS"] = str(n + 2)
    for i, name in enumerate(["Sudan", "Darfur"]):
        tag = Tag.objects.get_or_create(name=name, slug=name.lower())[0]
        data[f"tagged_items-{i}-tag"] = str(tag.pk)
    data["tagged_items-TOTAL_FORMS"] = "2"
    data.update({"corrections-TOTAL_FORMS": "1", "corrections-0-kind": "correction",
                 "corrections-0-text": "A name was misspelt.",
                 "corrections-0-published_at_0": "2026-01-02",
                 "corrections-0-published_at_1": "10:00:00"})  # fmt: skip
    return data


def test_bylines_tags_and_corrections_on_a_never_published_draft_invalidate_nothing(
    editor, django_capture_on_commit_callbacks
):
    draft = make_article(status=Status.DRAFT)
    client = logged_in(editor)
    data = with_five_relations(client, draft)
    count = announcements(
        django_capture_on_commit_callbacks,
        lambda: client.post(change_url(draft), data),
    )
    assert draft.bylines.count() == 3 and draft.tags.count() == 2
    assert draft.corrections.count() == 1
    assert count == 0


def test_a_save_with_five_relations_of_a_live_story_announces_one_change(
    editor, django_capture_on_commit_callbacks
):
    live = make_article(status=Status.PUBLISHED)
    client = logged_in(editor)
    data = with_five_relations(client, live)
    data["headline"] = "A live story, with more"
    count = announcements(
        django_capture_on_commit_callbacks,
        lambda: client.post(change_url(live), data),
    )
    assert Article.objects.get(pk=live.pk).headline == "A live story, with more"
    assert count == 1


def test_a_raw_orm_write_is_still_caught_by_the_safety_net(django_capture_on_commit_callbacks):
    live = make_article(status=Status.PUBLISHED)
    live.headline = "Changed from a shell"
    assert announcements(django_capture_on_commit_callbacks, live.save) == 1


def test_restore_goes_through_the_save_service(publisher, django_capture_on_commit_callbacks):
    live = make_article(status=Status.PUBLISHED, headline="First words")
    services.save_article(article=live, user=publisher)
    first = Version.objects.get_for_object(live).first()
    live.headline = "Second words"
    services.save_article(article=live, user=publisher)
    count = announcements(
        django_capture_on_commit_callbacks,
        lambda: services.restore_revision(article=live, version=first, user=publisher),
    )
    live.refresh_from_db()
    assert live.headline == "First words" and count == 1
    newest = Version.objects.get_for_object(live).first().revision
    assert newest.comment.startswith("Restored the revision of")
    assert newest.user == publisher
    assert LiveRevision.objects.filter(revision=newest).exists()  # readers saw it


def test_the_history_marks_which_revisions_were_live(client, publisher):
    story = make_article(status=Status.APPROVED, headline="Not yet out")
    services.save_article(article=story, user=publisher)  # before publication: not live
    services.publish(article=story, user=publisher)
    story.refresh_from_db()
    story.headline = "Out now"
    services.save_article(article=story, user=publisher)  # what readers saw
    client.force_login(publisher)
    page = client.get(reverse("admin:articles_article_history", args=[story.pk])).content.decode()
    saves = page.split('class="history-entry history-save')[1:]  # newest first
    assert "Readers saw this version" in saves[0]
    assert "Readers saw this version" not in saves[1]


# --- Save and step -----------------------------------------------------------------------------


def test_save_and_submit_submits_what_is_in_the_form(contributor):
    story = make_article(status=Status.DRAFT, created_by=contributor, dek="Old dek")
    client = logged_in(contributor)
    data = change_form_data(client.get(change_url(story)))
    data.update(dek="The dek typed just before submitting", _step="submit")
    data["_comment_submit"] = "Ready"
    response = client.post(change_url(story), data)
    assert response.status_code == 302
    story.refresh_from_db()
    assert story.status == Status.SUBMITTED
    assert story.dek == "The dek typed just before submitting"
    assert story.transitions.get().comment == "Ready"


def test_save_and_submit_with_an_invalid_field_takes_no_step_and_keeps_the_text(contributor):
    story = make_article(status=Status.DRAFT, created_by=contributor)
    client = logged_in(contributor)
    data = change_form_data(client.get(change_url(story)))
    data.update(headline="", dek="A dek worth keeping", _step="submit")
    response = client.post(change_url(story), data)
    assert response.status_code == 200
    assert "A dek worth keeping" in response.content.decode()
    story.refresh_from_db()
    assert story.status == Status.DRAFT and story.dek == ""
    assert not story.transitions.exists()


def test_a_step_that_cannot_be_taken_undoes_the_save_too(publisher):
    story = make_article(status=Status.APPROVED)
    story.bylines.all().delete()  # publishing needs a byline
    client = logged_in(publisher)
    data = change_form_data(client.get(change_url(story)))
    data.update(headline="A headline typed before publishing", _step="publish")
    response = client.post(change_url(story), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "It needs at least one author in the byline." in html
    assert "Nothing was saved" in html and "A headline typed before publishing" in html
    story.refresh_from_db()
    assert (
        story.status == Status.APPROVED and story.headline != "A headline typed before publishing"
    )


def test_save_and_schedule_needs_a_time_and_keeps_the_text_without_one(publisher):
    story = make_article(status=Status.APPROVED)
    client = logged_in(publisher)
    data = change_form_data(client.get(change_url(story)))
    data.update(dek="Scheduled dek", _step="schedule", _step_at="")
    response = client.post(change_url(story), data)
    assert response.status_code == 200 and "Give a date and time" in response.content.decode()
    data["_step_at"] = "2099-01-02T09:30"
    assert client.post(change_url(story), data).status_code == 302
    story.refresh_from_db()
    assert story.is_scheduled and story.dek == "Scheduled dek"


def test_save_and_approve_is_one_announcement(editor, django_capture_on_commit_callbacks):
    story = make_article(status=Status.SUBMITTED)
    client = logged_in(editor)
    data = change_form_data(client.get(change_url(story)))
    data.update(headline="Approved as edited", _step="approve")
    assert (
        announcements(
            django_capture_on_commit_callbacks, lambda: client.post(change_url(story), data)
        )
        == 0
    )  # not public before or after
    story.refresh_from_db()
    assert story.status == Status.APPROVED and story.headline == "Approved as edited"


def test_the_history_costs_the_same_queries_for_few_or_many_revisions(client, publisher):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    story = make_article(status=Status.PUBLISHED)
    client.force_login(publisher)
    url = reverse("admin:articles_article_history", args=[story.pk])

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    services.save_article(article=story, user=publisher)
    queries()  # the first request of a session reads a little more
    few = queries()
    for _ in range(5):
        services.save_article(article=story, user=publisher)
    assert queries() == few
