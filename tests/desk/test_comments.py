"""Comments on a story: who may read, write and delete them, who hears of them, the return
comment on the story itself, and that readers never see a word of them."""

import pytest
from django.urls import reverse

from articles import services
from articles.models import Status
from articles.roles import CONTRIBUTOR, EDITOR, PUBLISHER
from desk import comments
from desk.models import Comment, Notification, Verb
from tests.factories import make_article, make_author, make_user

pytestmark = pytest.mark.django_db

SECRET = "Staff only: check the mayor's quote with legal"


@pytest.fixture
def people():
    writer = make_user(CONTRIBUTOR, username="writer")
    writer.first_name, writer.last_name = "Wanda", "Writer"
    writer.save()
    editor = make_user(EDITOR, username="editor")
    editor.first_name, editor.last_name = "Eddie", "Editor"
    editor.save()
    return {"writer": writer, "editor": editor, "stranger": make_user(CONTRIBUTOR)}


def _comments_url(story):
    return reverse("admin:desk_story_comments", args=[story.pk])


def _json(client, url, **data):
    return client.post(url, data, headers={"accept": "application/json"})


def test_an_editor_comments_on_a_passage_and_the_writer_reads_answers_and_resolves(client, people):
    story = make_article(created_by=people["writer"], body="<p>The mayor said no.</p>")
    client.force_login(people["editor"])
    made = _json(
        client, _comments_url(story), text=SECRET, quote="mayor said", before="The ", after=" no."
    )
    assert made.status_code == 201
    thread = made.json()["comment"]
    assert thread["field"] == "body" and thread["quote"] == "mayor said"
    assert thread["author"] == "Eddie Editor"

    client.force_login(people["writer"])
    [seen] = client.get(_comments_url(story)).json()["comments"]
    assert seen["text"] == SECRET and seen["can_delete"] is False
    reply = _json(client, reverse("admin:desk_comment_reply", args=[seen["id"]]), text="Done.")
    assert reply.status_code == 201
    resolved = _json(client, reverse("admin:desk_comment_resolve", args=[seen["id"]]))
    assert resolved.json()["comment"]["resolved_by"] == "Wanda Writer"

    client.force_login(people["editor"])
    [seen] = client.get(_comments_url(story)).json()["comments"]
    assert seen["resolved"] is True
    assert [r["text"] for r in seen["replies"]] == ["Done."]
    story.refresh_from_db()
    assert story.body == "<p>The mayor said no.</p>"  # comments leave the body alone


def test_a_comment_on_a_field_names_the_field(client, people):
    story = make_article(created_by=people["writer"])
    client.force_login(people["editor"])
    made = _json(client, _comments_url(story), text="Shorter, please", field="headline")
    assert made.json()["comment"]["field_label"] == "Headline"
    refused = _json(client, _comments_url(story), text="Hm", field="password")
    assert refused.status_code == 400
    assert _json(client, _comments_url(story), text="  ").status_code == 400
    assert Comment.objects.count() == 1


def test_a_contributor_cannot_read_or_add_comments_on_a_story_they_cannot_open(client, people):
    story = make_article(created_by=people["writer"], status=Status.SUBMITTED)
    comments.add_comment(article=story, user=people["editor"], text=SECRET)
    client.force_login(people["stranger"])
    response = client.get(_comments_url(story))
    assert response.status_code == 404
    assert SECRET not in response.content.decode()
    assert _json(client, _comments_url(story), text="Let me in").status_code == 404
    thread = Comment.objects.get()
    for name in ["reply", "resolve", "delete"]:
        url = reverse(f"admin:desk_comment_{name}", args=[thread.pk])
        assert _json(client, url, text="x").status_code == 404
    assert Comment.objects.count() == 1 and Comment.objects.get().resolved_at is None


def test_a_contributor_who_may_open_a_live_story_still_reads_none_of_its_comments(client, people):
    story = make_article(created_by=people["writer"], status=Status.PUBLISHED)
    comments.add_comment(article=story, user=people["editor"], text=SECRET)
    client.force_login(people["stranger"])
    change = client.get(reverse("admin:articles_article_change", args=[story.pk]))
    assert change.status_code == 200
    assert SECRET not in change.content.decode() and "desk-comments" not in change.content.decode()
    assert client.get(_comments_url(story)).status_code == 404


def test_a_bylined_colleague_cannot_read_comments_of_someone_elses_unpublished_story(
    client, people
):
    colleague = make_user(CONTRIBUTOR)
    story = make_article(created_by=people["writer"], author=make_author(user=colleague))
    comments.add_comment(article=story, user=people["editor"], text=SECRET)
    client.force_login(colleague)
    assert client.get(_comments_url(story)).status_code == 404


def test_someone_not_on_the_desk_reads_nothing(client, people):
    story = make_article(created_by=people["writer"])
    comments.add_comment(article=story, user=people["editor"], text=SECRET)
    response = client.get(_comments_url(story))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_only_the_author_of_a_comment_or_an_editor_may_delete_it(client, people):
    story = make_article(created_by=people["writer"])
    by_editor = comments.add_comment(article=story, user=people["editor"], text="Tighten it")
    by_writer = comments.add_comment(article=story, user=people["writer"], text="Which part?")

    client.force_login(people["writer"])
    delete = reverse("admin:desk_comment_delete", args=[by_editor.pk])
    assert _json(client, delete).status_code == 403
    assert Comment.objects.filter(pk=by_editor.pk).exists()
    assert (
        _json(client, reverse("admin:desk_comment_delete", args=[by_writer.pk])).status_code == 200
    )

    another = comments.add_comment(article=story, user=people["writer"], text="Anyone?")
    client.force_login(make_user(EDITOR))
    assert _json(client, reverse("admin:desk_comment_delete", args=[another.pk])).status_code == 200
    assert list(Comment.objects.values_list("pk", flat=True)) == [by_editor.pk]


def test_the_stories_people_hear_of_a_comment_and_the_commenter_hears_the_reply(people):
    story = make_article(created_by=people["writer"])
    thread = comments.add_comment(article=story, user=people["editor"], text="Source?")
    [note] = Notification.objects.filter(verb=Verb.COMMENTED)
    assert note.recipient == people["writer"] and note.comment == "Source?"

    comments.reply(comment=thread, user=people["writer"], text="The council minutes.")
    [note] = Notification.objects.filter(verb=Verb.REPLIED)
    assert note.recipient == people["editor"] and note.actor == people["writer"]


def test_a_return_comment_is_at_the_top_of_the_story_until_the_writer_resolves_it(client, people):
    story = make_article(created_by=people["writer"], status=Status.SUBMITTED)
    services.return_to_writer(article=story, user=people["editor"], comment=SECRET)
    change = reverse("admin:articles_article_change", args=[story.pk])

    client.force_login(people["writer"])
    page = client.get(change).content.decode()
    assert 'class="module desk-return-note"' in page
    assert SECRET.replace("'", "&#x27;") in page
    assert "Eddie Editor returned this story" in page
    [thread] = Comment.objects.all()
    response = client.post(reverse("admin:desk_comment_reply", args=[thread.pk]), {"text": "On it"})
    assert response.status_code == 302 and response["Location"].startswith(change)
    assert "On it" in client.get(change).content.decode()

    client.force_login(people["editor"])  # a return comment is the workflow's record
    refused = _json(client, reverse("admin:desk_comment_delete", args=[thread.pk]))
    assert refused.status_code == 403

    client.force_login(people["writer"])
    client.post(reverse("admin:desk_comment_resolve", args=[thread.pk]), {"resolved": "1"})
    assert "desk-return-note" not in client.get(change).content.decode()
    assert Comment.objects.count() == 2  # kept, resolved, with its reply


def test_comments_never_reach_readers(client, people):
    body = "<p>The mayor said no to the stadium.</p>"
    story = make_article(
        created_by=people["writer"], status=Status.PUBLISHED, body=body, headline="Stadium"
    )
    comments.add_comment(
        article=story, user=people["editor"], text=SECRET, quote="mayor said", before="The "
    )
    comments.add_comment(article=story, user=people["editor"], text=SECRET, field="headline")
    publisher = make_user(PUBLISHER)
    token = services.share_token(story)
    pages = [
        story.get_absolute_url(),
        reverse("articles:shared-preview", args=[token]),
        reverse("articles:home"),
        reverse("feeds:latest-rss"),
        reverse("feeds:latest-atom"),
        reverse("feeds:section-rss", args=[story.section.slug]),
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        text = response.content.decode()
        assert "Stadium" in text, url
        for trace in [SECRET, "mayor&#x27;s quote", "desk-comment", "data-comment"]:
            assert trace not in text, (url, trace)
    client.force_login(publisher)
    assert (
        SECRET
        not in client.get(
            reverse("admin:articles_article_preview", args=[story.pk])
        ).content.decode()
    )
    story.refresh_from_db()
    assert story.body == body
