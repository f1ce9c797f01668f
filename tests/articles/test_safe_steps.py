"""Steps that take a story away ask first and say why; a publisher can undo them; deleting a
picture in use says where it is used; no link on the desk leads to a page staff may not open."""

import pytest
from django.urls import reverse

from articles.models import Article, Status
from media.models import Image
from tests.admin_forms import post_step
from tests.factories import make_article
from tests.images import make_image

pytestmark = pytest.mark.django_db


def confirm_url(story, action: str) -> str:
    return reverse("admin:articles_article_confirm_step", args=[story.pk, action])


def change_url(story) -> str:
    return reverse("admin:articles_article_change", args=[story.pk])


def test_archive_asks_first_what_readers_will_lose(client, publisher):
    story = make_article(status=Status.PUBLISHED, headline="Ceasefire holds")
    client.force_login(publisher)
    form = client.get(change_url(story)).content.decode()
    assert f'href="{confirm_url(story, "archive")}"' in form
    assert 'name="_step" value="archive"' not in form
    page = client.get(confirm_url(story, "archive"))
    text = page.content.decode()
    assert "Archive “Ceasefire holds”?" in text and "Readers will" in text
    assert 'name="reason"' in text and "required" in text
    story.refresh_from_db()
    assert story.status == Status.PUBLISHED  # looking is not doing


@pytest.mark.parametrize("action", ["archive", "unpublish"])
def test_without_a_reason_nothing_happens(client, publisher, action):
    story = make_article(status=Status.PUBLISHED)
    client.force_login(publisher)
    assert client.post(confirm_url(story, action), {"reason": "  "}).status_code == 400
    post_step(client, story, action, comment="")  # the old endpoint: refused too
    story.refresh_from_db()
    assert story.status == Status.PUBLISHED and not story.transitions.exists()


@pytest.mark.parametrize("action,status", [("archive", Status.ARCHIVED),
                                           ("unpublish", Status.UNPUBLISHED)])  # fmt: skip
def test_the_reason_is_kept_in_the_history(client, publisher, action, status):
    story = make_article(status=Status.PUBLISHED)
    client.force_login(publisher)
    response = client.post(confirm_url(story, action), {"reason": "Legal asked us to"})
    assert response.status_code == 302
    story.refresh_from_db()
    assert story.status == status
    assert story.transitions.get().comment == "Legal asked us to"
    assert "Legal asked us to" in client.get(change_url(story)).content.decode()


def test_a_publisher_restores_an_archived_story_as_a_draft(client, publisher):
    story = make_article(status=Status.PUBLISHED)
    client.force_login(publisher)
    client.post(confirm_url(story, "archive"), {"reason": "By mistake"})
    assert "Restore from archive" in client.get(change_url(story)).content.decode()
    post_step(client, story, "restore")
    story.refresh_from_db()
    assert story.status == Status.DRAFT


def test_a_publisher_publishes_an_unpublished_story_again(client, publisher):
    story = make_article(status=Status.PUBLISHED)
    client.force_login(publisher)
    client.post(confirm_url(story, "unpublish"), {"reason": "Checking a fact"})
    assert "Publish again" in client.get(change_url(story)).content.decode()
    post_step(client, story, "republish")
    assert Article.objects.live().filter(pk=story.pk).exists()


def test_an_editor_restores_only_what_never_went_out(client, editor):
    never_out = make_article(status=Status.ARCHIVED)
    once_live = make_article(status=Status.PUBLISHED)
    Article.objects.filter(pk=once_live.pk).update(status=Status.ARCHIVED)
    client.force_login(editor)
    post_step(client, never_out, "restore")
    assert post_step(client, once_live, "restore").status_code == 403
    never_out.refresh_from_db(), once_live.refresh_from_db()
    assert never_out.status == Status.DRAFT and once_live.status == Status.ARCHIVED


def test_undo_is_refused_to_a_contributor(client, contributor):
    archived = make_article(status=Status.ARCHIVED, created_by=contributor)
    unpublished = make_article(status=Status.UNPUBLISHED, created_by=contributor)
    client.force_login(contributor)
    assert "Restore from archive" not in client.get(change_url(archived)).content.decode()
    assert post_step(client, archived, "restore").status_code == 403
    assert post_step(client, unpublished, "republish").status_code == 403
    assert client.get(confirm_url(unpublished, "archive")).status_code == 403
    archived.refresh_from_db(), unpublished.refresh_from_db()
    assert archived.status == Status.ARCHIVED and unpublished.status == Status.UNPUBLISHED


@pytest.mark.parametrize("role", ["editor", "publisher"])
def test_deleting_a_picture_in_use_names_the_stories(client, request, role):
    image = make_image()
    story = make_article(headline="Floods in Valencia", lead_image=image)
    client.force_login(request.getfixturevalue(role))
    url = reverse("admin:media_image_delete", args=[image.pk])
    page = client.get(url).content.decode()
    assert "This picture is used by:" in page
    assert f'href="{change_url(story)}"' in page and "Floods in Valencia" in page
    assert "would result in deleting related objects" not in page
    client.post(url, {"post": "yes"})
    assert Image.objects.filter(pk=image.pk).exists()


def test_an_unused_picture_can_still_be_deleted(client, editor):
    image = make_image()
    client.force_login(editor)
    client.post(reverse("admin:media_image_delete", args=[image.pk]), {"post": "yes"})
    assert not Image.objects.filter(pk=image.pk).exists()


def test_the_story_form_names_people_without_linking_to_user_pages(client, editor, contributor):
    story = make_article(created_by=contributor, last_edited_by=contributor)
    client.force_login(editor)
    page = client.get(change_url(story)).content.decode()
    assert "/admin/auth/user/" not in page
    assert contributor.username in page


def test_the_admin_has_a_favicon(client, editor):
    client.force_login(editor)
    assert 'rel="icon"' in client.get(reverse("admin:index")).content.decode()
