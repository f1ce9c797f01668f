"""Autosave to a private working copy, restore or discard it, and who else has a story open."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from reversion.models import Version

from articles.models import Article, Status
from desk import working_copies
from desk.models import EditingPresence, WorkingCopy
from tests.admin_forms import add_story, change_form_data
from tests.caching_kit import invalidations
from tests.factories import make_article, make_author

pytestmark = pytest.mark.django_db


def change_url(story):
    return reverse("admin:articles_article_change", args=[story.pk])


def autosave_url(story):
    return reverse("admin:articles_article_autosave", args=[story.pk])


def restore_url(story):
    return reverse("admin:articles_article_restore", args=[story.pk])


def typed_form(client, story, **changes) -> dict:
    """The change form as the browser sends it, with some fields typed into."""
    data = change_form_data(client.get(change_url(story)))
    data.update(changes)
    return data


@pytest.fixture
def draft(contributor):
    return make_article(created_by=contributor, headline="The council meets")


def test_autosave_stores_a_copy_and_leaves_the_story_alone(client, contributor, draft):
    client.force_login(contributor)
    data = typed_form(client, draft, headline="The council meets at last")
    before = Article.objects.values("version", "modified_at", "headline").get(pk=draft.pk)
    generation, revisions = invalidations(), Version.objects.count()

    response = client.post(autosave_url(draft), {**data, "csrfmiddlewaretoken": "x", "_save": ""})

    assert response.status_code == 200 and "saved_at" in response.json()
    copy = WorkingCopy.objects.get(user=contributor, article=draft)
    assert copy.data["headline"] == ["The council meets at last"]
    assert "csrfmiddlewaretoken" not in copy.data and "_save" not in copy.data
    assert copy.base_version == draft.version
    assert Article.objects.values("version", "modified_at", "headline").get(pk=draft.pk) == before
    assert Version.objects.count() == revisions
    assert invalidations() == generation


def test_autosave_is_one_rolling_copy_per_person_and_story(client, contributor, draft):
    client.force_login(contributor)
    for headline in ("One", "Two", "Three"):
        client.post(autosave_url(draft), typed_form(client, draft, headline=headline))
    assert WorkingCopy.objects.get(user=contributor, article=draft).data["headline"] == ["Three"]


def test_autosave_of_a_new_story_keeps_one_copy_without_a_story(client, contributor):
    client.force_login(contributor)
    url = reverse("admin:articles_article_autosave_new")
    client.post(url, {"headline": "First try"})
    client.post(url, {"headline": "Second try"})
    copy = WorkingCopy.objects.get(user=contributor)
    assert copy.article is None and copy.data["headline"] == ["Second try"]
    assert not Article.objects.filter(headline__endswith="try").exists()


def test_each_tab_keeps_its_own_copy_and_saving_deletes_only_its_own(client, contributor, draft):
    client.force_login(contributor)
    for tab, headline in (("tab-a", "From tab A"), ("tab-b", "From tab B")):
        data = typed_form(client, draft, headline=headline, _desk_tab=tab)
        client.post(autosave_url(draft), data)
    copies = WorkingCopy.objects.filter(user=contributor, article=draft)
    assert {c.tab: c.data["headline"][0] for c in copies} == {
        "tab-a": "From tab A", "tab-b": "From tab B",
    }  # fmt: skip
    assert all("_desk_tab" not in c.data for c in copies)
    page = client.get(change_url(draft)).content.decode()
    assert "From tab A" in page and "From tab B" in page  # both offered

    response = client.post(change_url(draft), typed_form(client, draft, _desk_tab="tab-a"))
    assert response.status_code == 302
    assert [c.tab for c in WorkingCopy.objects.filter(user=contributor)] == ["tab-b"]


def test_saving_a_new_story_keeps_the_other_new_storys_copy(client, contributor, section, author):
    client.force_login(contributor)
    url = reverse("admin:articles_article_autosave_new")
    client.post(url, {"headline": "Ferries return", "_desk_tab": "tab-a"})
    client.post(url, {"headline": "Bridge closes", "_desk_tab": "tab-b"})
    assert WorkingCopy.objects.filter(user=contributor, article=None).count() == 2

    assert add_story(client, section, author, _desk_tab="tab-a").status_code == 302
    copy = WorkingCopy.objects.get(user=contributor)
    assert copy.article is None and copy.data["headline"] == ["Bridge closes"]
    assert "Bridge closes" in client.get(reverse("admin:articles_article_add")).content.decode()


def test_restoring_a_copy_hands_it_to_the_restoring_tab(client, contributor, draft):
    client.force_login(contributor)
    client.post(autosave_url(draft), typed_form(client, draft, headline="Old tab", _desk_tab="old"))
    copy = WorkingCopy.objects.get(user=contributor)
    response = client.get(restore_url(draft), {"copy": copy.pk, "_desk_tab": "new"})
    assert response.context["adminform"].form["headline"].value() == "Old tab"
    copy.refresh_from_db()
    assert copy.tab == "new"  # the restoring tab's autosaves and save now mean this copy


def test_restoring_in_a_tab_with_its_own_copy_keeps_both(client, contributor, draft):
    client.force_login(contributor)
    client.post(autosave_url(draft), typed_form(client, draft, headline="Old tab", _desk_tab="old"))
    client.post(
        autosave_url(draft), typed_form(client, draft, headline="This tab", _desk_tab="new")
    )
    old = WorkingCopy.objects.get(user=contributor, tab="old")
    client.get(restore_url(draft), {"copy": old.pk, "_desk_tab": "new"})
    headlines = {c.tab: c.data["headline"][0] for c in WorkingCopy.objects.filter(user=contributor)}
    assert headlines["new"] == "Old tab"
    assert "This tab" in headlines.values()  # still there, still offered


def test_a_tab_id_that_is_not_a_tab_id_is_ignored(client, contributor, draft):
    client.force_login(contributor)
    client.post(autosave_url(draft), typed_form(client, draft, _desk_tab="<script>" * 10))
    assert WorkingCopy.objects.get(user=contributor).tab == ""


def test_the_same_person_in_another_tab_is_told_so(client, editor):
    story = make_article()
    working_copies.heartbeat(user=editor, article=story, tab="tab-a")
    client.force_login(editor)
    answer = client.post(presence_url(story), {"_desk_tab": "tab-b"}).json()
    assert [o["notice"][:39] for o in answer["others"]] == [
        "You have this story open in another tab"
    ]
    alone = client.post(presence_url(story), {"_desk_tab": "tab-a"}).json()
    assert [o["notice"][:39] for o in alone["others"]] == [
        "You have this story open in another tab"
    ]
    working_copies.leave(user=editor, article=story, tab="tab-b")
    assert client.post(presence_url(story), {"_desk_tab": "tab-a"}).json() == {"others": []}


def test_a_contributor_cannot_autosave_someone_elses_story(client, contributor, other_contributor):
    theirs = make_article(created_by=other_contributor)
    client.force_login(contributor)
    response = client.post(autosave_url(theirs), {"headline": "Mine now"})
    assert response.status_code == 404 and "error" in response.json()
    assert not WorkingCopy.objects.exists()


def test_a_contributor_cannot_autosave_a_live_story_they_may_only_read(client, contributor):
    live = make_article(status=Status.PUBLISHED)
    client.force_login(contributor)
    response = client.post(autosave_url(live), {"headline": "Mine now"})
    assert response.status_code == 403 and "error" in response.json()
    assert not WorkingCopy.objects.exists()


def test_a_signed_out_autosave_is_sent_to_the_login_page(client, draft):
    response = client.post(autosave_url(draft), {"headline": "Lost?"})
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    assert not WorkingCopy.objects.exists()


def test_the_change_form_offers_to_restore_a_copy_that_differs(client, contributor, draft):
    client.force_login(contributor)
    client.post(autosave_url(draft), typed_form(client, draft, headline="The council meets late"))
    page = client.get(change_url(draft)).content.decode()
    assert "Restore your unsaved changes from" in page
    assert "<ins>late</ins>" in page and "Headline" in page


def test_no_offer_when_the_copy_matches_the_saved_story(client, contributor, draft):
    client.force_login(contributor)
    client.post(autosave_url(draft), typed_form(client, draft))
    assert "Restore your unsaved changes" not in client.get(change_url(draft)).content.decode()


def test_the_offer_shows_a_word_diff_of_the_body_and_the_bylines(client, contributor, draft):
    client.force_login(contributor)
    new_author = make_author(name="Ada Byline")
    data = typed_form(
        client, draft,
        body="<p>First paragraph, <strong>rewritten</strong>.</p><p>Third.</p>",
        **{"bylines-TOTAL_FORMS": "2", "bylines-1-author": str(new_author.pk),
           "bylines-1-role": "", "bylines-1-order": "1"},
    )  # fmt: skip
    client.post(autosave_url(draft), data)
    page = client.get(change_url(draft)).content.decode()
    assert "<del>Second paragraph</del><ins>rewritten</ins>. Third." in page
    assert "<del>" in page and "<strong>rewritten" not in page.split('id="desk-offer"')[1][:3000]
    assert "Ada Byline" in page.split('id="desk-offer"')[1]


def test_restore_fills_the_form_from_the_copy_and_saves_nothing(client, contributor, draft):
    client.force_login(contributor)
    extra = make_author(name="Grace Restored")
    data = typed_form(
        client, draft, headline="Restored headline",
        **{"bylines-TOTAL_FORMS": "2", "bylines-1-author": str(extra.pk),
           "bylines-1-role": "", "bylines-1-order": "1"},
    )  # fmt: skip
    client.post(autosave_url(draft), data)
    before = Article.objects.values("version", "modified_at", "headline").get(pk=draft.pk)
    revisions = Version.objects.count()

    response = client.get(restore_url(draft))

    assert response.status_code == 200
    form = response.context["adminform"].form
    assert form["headline"].value() == "Restored headline"
    bylines = response.context["inline_admin_formsets"][0].formset
    assert [f["author"].value() for f in bylines.forms][-1] == str(extra.pk)
    page = response.content.decode()
    assert "Restored your unsaved changes from" in page and "desk-restored" in page
    assert 'action="' + change_url(draft) + '"' in page
    assert Article.objects.values("version", "modified_at", "headline").get(pk=draft.pk) == before
    assert draft.bylines.count() == 1 and Version.objects.count() == revisions
    assert WorkingCopy.objects.filter(user=contributor, article=draft).exists()


def test_saving_a_restored_form_saves_the_typed_text(client, contributor, draft):
    client.force_login(contributor)
    client.post(autosave_url(draft), typed_form(client, draft, headline="Saved at last"))
    response = client.post(change_url(draft), change_form_data(client.get(restore_url(draft))))
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.headline == "Saved at last"


def test_restore_on_the_add_page_saves_no_story(client, contributor):
    client.force_login(contributor)
    client.post(reverse("admin:articles_article_autosave_new"), {"headline": "Half a story"})
    assert (
        "Restore your unsaved changes"
        in client.get(reverse("admin:articles_article_add")).content.decode()
    )
    response = client.get(reverse("admin:articles_article_restore_new"))
    assert response.context["adminform"].form["headline"].value() == "Half a story"
    assert not Article.objects.exists()


def test_discard_deletes_the_working_copy(client, contributor, draft):
    client.force_login(contributor)
    client.post(autosave_url(draft), typed_form(client, draft, headline="Never mind"))
    response = client.post(reverse("admin:articles_article_discard", args=[draft.pk]))
    assert response.status_code == 302 and response["Location"] == change_url(draft)
    assert not WorkingCopy.objects.exists()
    assert "Restore your unsaved changes" not in client.get(change_url(draft)).content.decode()


def test_discard_needs_a_post(client, contributor, draft):
    client.force_login(contributor)
    working_copies.save_working_copy(
        user=contributor, article=draft, data={"headline": ["x"]}, base_version=1
    )
    assert client.get(reverse("admin:articles_article_discard", args=[draft.pk])).status_code == 405
    assert WorkingCopy.objects.exists()


def test_a_working_copy_is_readable_only_by_its_owner(client, editor, publisher):
    story = make_article(status=Status.PUBLISHED, headline="Budget day")
    working_copies.save_working_copy(
        user=editor, article=story, data={"headline": ["Budget day zanzibarquux"]}, base_version=1
    )
    assert working_copies.working_copy_for(user=publisher, article=story) is None
    assert not working_copies.discard_working_copy(user=publisher, article=story)
    assert working_copies.working_copy_for(user=editor, article=story) is not None

    client.force_login(publisher)
    for response in (
        client.get(change_url(story)),
        client.get(restore_url(story)),
        client.post(autosave_url(story), {"headline": "Budget day"}),
    ):
        assert "zanzibarquux" not in response.content.decode()


def test_a_working_copy_reaches_no_public_page_feed_or_search(client, editor):
    story = make_article(status=Status.PUBLISHED, headline="Budget day")
    working_copies.save_working_copy(
        user=editor,
        article=story,
        data={"headline": ["Budget day zanzibarquux"], "body": ["<p>zanzibarquux</p>"]},
        base_version=1,
    )
    for url in (story.get_absolute_url(), "/feeds/rss/", "/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "zanzibarquux" not in response.content.decode(), url
    # Search finds the story by its saved words, never by the working copy's.
    assert story.get_absolute_url() in client.get("/search/?q=budget").content.decode()
    assert story.get_absolute_url() not in client.get("/search/?q=zanzibarquux").content.decode()
    client.force_login(editor)  # even its owner sees the saved story on the site
    assert "zanzibarquux" not in client.get(story.get_absolute_url()).content.decode()


# --- Presence ---------------------------------------------------------------------------------


def presence_url(story):
    return reverse("admin:articles_article_presence", args=[story.pk])


def test_a_heartbeat_answers_who_else_is_editing(client, editor):
    story = make_article()
    priya = editor.__class__.objects.create_user(
        "priya", first_name="Priya", last_name="Raman", is_staff=True
    )
    working_copies.heartbeat(user=priya, article=story)
    client.force_login(editor)

    answer = client.post(presence_url(story)).json()

    since = timezone.localtime(EditingPresence.objects.get(user=priya).since).strftime("%H:%M")
    notice = f"Priya Raman is editing this story (since {since})"
    assert answer == {"others": [{"name": "Priya Raman", "since": since, "notice": notice}]}
    assert [e.name for e in working_copies.others_editing(user=priya, article=story)] == [
        editor.username
    ]


def test_the_change_form_names_who_else_has_the_story_open(client, editor):
    story = make_article()
    priya = editor.__class__.objects.create_user(
        "priya", first_name="Priya", last_name="Raman", is_staff=True
    )
    working_copies.heartbeat(user=priya, article=story)
    client.force_login(editor)
    page = client.get(change_url(story)).content.decode()
    assert "Priya Raman is editing this story (since" in page


def test_leaving_or_going_quiet_ends_presence(client, editor, publisher):
    story = make_article()
    working_copies.heartbeat(user=publisher, article=story)
    client.force_login(publisher)
    client.post(presence_url(story), {"action": "leave"})
    assert working_copies.others_editing(user=editor, article=story) == []

    working_copies.heartbeat(user=publisher, article=story)
    EditingPresence.objects.update(last_seen=timezone.now() - timedelta(seconds=61))
    assert working_copies.others_editing(user=editor, article=story) == []


def test_presence_is_only_for_stories_the_user_may_open(client, contributor, other_contributor):
    theirs = make_article(created_by=other_contributor)
    client.force_login(contributor)
    assert client.post(presence_url(theirs)).status_code == 404
    assert not EditingPresence.objects.exists()


def test_autosave_is_a_handful_of_queries(
    client, contributor, draft, django_assert_max_num_queries
):
    """Sent every few seconds by every open form: session, user, permissions, one upsert."""
    client.force_login(contributor)
    data = typed_form(client, draft, headline="Quick")
    with django_assert_max_num_queries(12):  # savepoints and the session save included
        assert client.post(autosave_url(draft), data).status_code == 200
