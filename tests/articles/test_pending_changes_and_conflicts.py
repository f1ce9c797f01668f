"""A refused save shows what the other person changed and never reverts it silently; pending
changes to a live story stay off every public page until a publisher publishes them."""

import pytest
from django.urls import reverse

from articles import services
from articles.models import Article, Status
from tests.admin_forms import change_form_data, change_url, logged_in
from tests.factories import make_article, make_user

pytestmark = pytest.mark.django_db


# --- Conflicts ---------------------------------------------------------------------------------


@pytest.fixture
def two_forms(editor, publisher):
    story = make_article(status=Status.DRAFT, headline="Original headline", dek="Original dek")
    services.save_article(article=story, user=editor)  # its first revision: what both open
    first, second = logged_in(editor), logged_in(publisher)
    return (
        story,
        first,
        change_form_data(first.get(change_url(story))),
        second,
        change_form_data(second.get(change_url(story))),
    )


def test_a_refused_save_shows_their_change_word_by_word(two_forms, editor):
    story, first, first_data, second, second_data = two_forms
    first_data["headline"] = "Original headline, sharpened"
    assert first.post(change_url(story), first_data).status_code == 302
    second_data["dek"] = "My new dek"
    response = second.post(change_url(story), second_data)
    html = response.content.decode()
    assert response.status_code == 200 and 'id="conflict"' in html
    assert "Original headline<ins>, sharpened</ins>" in html  # their change, word by word
    assert 'data-field="headline"' in html and "Use theirs" in html
    assert "My new dek" in html  # mine, still in the form
    assert "dek" not in html.split('id="conflict"')[1].split("</table>")[0].lower().replace(
        "headline", ""
    )  # only what they changed is listed


def test_saving_the_same_text_again_is_refused_again(two_forms):
    story, first, first_data, second, second_data = two_forms
    first_data["headline"] = "Their headline"
    first.post(change_url(story), first_data)
    second_data["dek"] = "My dek"
    refused = second.post(change_url(story), second_data)
    again = second.post(change_url(story), change_form_data(refused))
    assert again.status_code == 200 and 'id="conflict"' in again.content.decode()
    story.refresh_from_db()
    assert story.headline == "Their headline" and story.dek == "Original dek"


def test_using_theirs_merges_and_saves_both_changes(two_forms):
    story, first, first_data, second, second_data = two_forms
    first_data["headline"] = "Their headline"
    first.post(change_url(story), first_data)
    second_data["dek"] = "My dek"
    merged = change_form_data(second.post(change_url(story), second_data))
    merged["headline"] = "Their headline"  # what "Use theirs" puts in the field
    assert second.post(change_url(story), merged).status_code == 302
    story.refresh_from_db()
    assert (story.headline, story.dek) == ("Their headline", "My dek")


def test_save_mine_over_theirs_is_explicit(two_forms):
    story, first, first_data, second, second_data = two_forms
    first_data["headline"] = "Their headline"
    first.post(change_url(story), first_data)
    second_data["headline"] = "My headline"
    refused = second.post(change_url(story), second_data)
    data = change_form_data(refused)
    data["_overwrite_version"] = str(refused.context["adminform"].form.conflict.version)
    assert second.post(change_url(story), data).status_code == 302
    story.refresh_from_db()
    assert story.headline == "My headline"


# --- Pending changes ---------------------------------------------------------------------------


def test_an_editor_saves_pending_changes_that_readers_do_not_see_until_published(
    client, editor, publisher
):
    live = make_article(status=Status.PUBLISHED, headline="What readers see", slug="live-one")
    url = live.get_absolute_url()
    assert "What readers see" in client.get(url).content.decode()
    staff = logged_in(editor)
    data = change_form_data(staff.get(change_url(live)))
    data.update(headline="A rewrite for review", _pending="1")
    response = staff.post(change_url(live), data)
    live.refresh_from_db()
    changes = live.pending_changes.get()
    assert response.status_code == 302 and response["Location"] == change_url(changes)
    assert live.headline == "What readers see" and changes.headline == "A rewrite for review"
    for page in (url, "/", "/feeds/rss/", "/search/?q=rewrite", live.section.get_absolute_url()):
        assert "A rewrite for review" not in client.get(page).content.decode(), page
    # Staff preview and the reviewer's share link show the changes.
    preview = staff.get(reverse("admin:articles_article_preview", args=[changes.pk]))
    assert "A rewrite for review" in preview.content.decode()
    shared = client.get(reverse("articles:shared-preview", args=[services.share_token(changes)]))
    assert "A rewrite for review" in shared.content.decode()
    # An editor cannot publish them; a publisher can.
    assert not [a for a in staff.get(change_url(changes)).context["workflow_actions"]
                if a.name == "publish"]  # fmt: skip
    desk = logged_in(publisher)
    form = change_form_data(desk.get(change_url(changes)))
    form["_step"] = "publish"
    assert desk.post(change_url(changes), form).status_code == 302
    live.refresh_from_db()
    assert live.headline == "A rewrite for review" and live.status == Status.PUBLISHED
    assert not Article.objects.filter(pk=changes.pk).exists()
    assert "A rewrite for review" in client.get(url).content.decode()
    assert live.transitions.filter(comment__startswith="Published the pending changes").exists()


def test_a_contributor_proposes_changes_to_their_own_live_story(contributor, editor):
    live = make_article(status=Status.PUBLISHED, created_by=contributor, headline="Mine, live")
    writer = logged_in(contributor)
    page = writer.get(change_url(live))
    assert page.context["can_propose_changes"] and not page.context["workflow_actions"]
    response = writer.post(reverse("admin:articles_article_propose", args=[live.pk]))
    changes = live.pending_changes.get()
    assert response["Location"] == change_url(changes) and changes.created_by == contributor
    data = change_form_data(writer.get(change_url(changes)))
    data.update(dek="A better dek", _step="submit")
    assert writer.post(change_url(changes), data).status_code == 302
    changes.refresh_from_db()
    live.refresh_from_db()
    assert changes.status == Status.SUBMITTED and changes.dek == "A better dek"
    assert live.dek == ""
    # Someone else's live story: no proposal.
    other = make_article(status=Status.PUBLISHED, created_by=make_user("Contributor"))
    assert writer.post(reverse("admin:articles_article_propose", args=[other.pk])).status_code in (
        403, 404
    )  # fmt: skip


def test_discarding_pending_changes_leaves_the_live_story(editor):
    live = make_article(status=Status.PUBLISHED, headline="Stays")
    changes = services.propose_changes(article=live, user=editor)
    staff = logged_in(editor)
    response = staff.post(reverse("admin:articles_article_discard_pending", args=[changes.pk]))
    assert response["Location"] == change_url(live)
    assert not live.pending_changes.exists()
    live.refresh_from_db()
    assert live.headline == "Stays"


def test_a_correction_added_to_the_live_story_meanwhile_survives_publishing(editor, publisher):
    from articles.models import Correction

    live = make_article(status=Status.PUBLISHED, headline="Before")
    changes = services.propose_changes(article=live, user=editor)
    Correction.objects.create(article=live, text="Added to the live story meanwhile.")
    Correction.objects.create(article=changes, text="Written with the rewrite.")
    services.publish_pending_changes(changes=changes, user=publisher)
    assert sorted(live.corrections.values_list("text", flat=True)) == [
        "Added to the live story meanwhile.",
        "Written with the rewrite.",
    ]


# --- Publishing pending changes merges like any save ----------------------------------------------


@pytest.fixture
def proposal(contributor, editor):
    """A contributor's pending changes to their live story (a new headline and dek), made
    from the live story's current version; returns (live, changes)."""
    live = make_article(
        status=Status.PUBLISHED, created_by=contributor, headline="Port strike ends",
        dek="Dockers return after two weeks",
    )  # fmt: skip
    services.save_article(article=live, user=editor)  # its first revision
    changes = services.propose_changes(article=live, user=contributor)
    changes.headline = "Port strike ends after two weeks"
    changes.body = "<p>Dockers voted to end the strike.</p>"
    services.save_article(article=changes, user=contributor)
    return live, changes


def fix_live(live, publisher, **fields):
    """A publisher's save of the live story, with a correction note added."""
    from articles.changes import Relations

    for name, value in fields.items():
        setattr(live, name, value)
    corrections = Relations.of(live).corrections + [
        {"kind": "correction", "text": "An earlier version gave the wrong length."}
    ]
    services.save_article(
        article=live, user=publisher, relations=Relations(corrections=corrections)
    )


def test_a_field_only_the_live_story_changed_is_kept(proposal, publisher):
    """The bug: publishing the changes put the old dek back over the publisher's fix."""
    live, changes = proposal
    fix_live(live, publisher, dek="Dockers return after 15 days")
    services.publish_pending_changes(changes=changes, user=publisher)
    live.refresh_from_db()
    assert live.dek == "Dockers return after 15 days"  # the live fix stays
    assert live.headline == "Port strike ends after two weeks"  # the changes arrive
    assert "voted to end the strike" in live.body
    assert list(live.corrections.values_list("text", flat=True)) == [
        "An earlier version gave the wrong length."
    ]
    note = live.transitions.get().comment
    assert "headline" in note and "kept from the live story: dek" in note


def test_a_field_both_changed_waits_for_the_publishers_choice(proposal, publisher):
    live, changes = proposal
    changes.dek = "Dockers go back to work"
    services.save_article(article=changes, user=publisher)
    fix_live(live, publisher, dek="Dockers return after 15 days")
    with pytest.raises(services.PendingChangesConflict, match="Dek"):
        services.publish_pending_changes(changes=changes, user=publisher)
    assert Article.objects.filter(pk=changes.pk).exists(), "nothing was published"
    merge = services.pending_merge(changes=changes)
    assert [f.name for f in merge.conflicts] == ["dek"]
    assert {f.name for f in merge.taken("pending")} == {"headline", "body"}
    live.refresh_from_db()
    with pytest.raises(services.PendingChangesConflict, match="saved again"):
        services.publish_pending_changes(
            changes=changes, user=publisher, choices={"dek": "live"}, live_version=live.version - 1
        )
    services.publish_pending_changes(
        changes=changes, user=publisher, choices={"dek": "live"}, live_version=live.version
    )
    live.refresh_from_db()
    assert live.dek == "Dockers return after 15 days"
    assert live.headline == "Port strike ends after two weeks"
    assert live.corrections.count() == 1


def test_the_publishers_choice_can_be_the_pending_changes(proposal, publisher):
    live, changes = proposal
    changes.dek = "Dockers go back to work"
    services.save_article(article=changes, user=publisher)
    fix_live(live, publisher, dek="Dockers return after 15 days")
    services.publish_pending_changes(changes=changes, user=publisher, choices={"dek": "pending"})
    live.refresh_from_db()
    assert live.dek == "Dockers go back to work" and live.corrections.count() == 1


def test_the_merge_page_shows_the_conflict_and_publishes_the_choice(proposal, publisher):
    live, changes = proposal
    changes.dek = "Dockers go back to work"
    services.save_article(article=changes, user=publisher)
    fix_live(live, publisher, dek="Dockers return after 15 days")
    desk = logged_in(publisher)
    page = reverse("admin:articles_article_confirm_step", args=[changes.pk, "publish"])
    html = desk.get(page).content.decode()
    assert 'id="pending-conflict"' in html and 'name="choice_dek"' in html
    assert "An earlier version gave the wrong length." in html  # the correction stays
    refused = desk.post(page, {"live_version": live.pk and Article.objects.get(pk=live.pk).version})
    assert refused.status_code == 400 and Article.objects.filter(pk=changes.pk).exists()
    done = desk.post(
        page, {"live_version": Article.objects.get(pk=live.pk).version, "choice_dek": "live"}
    )
    assert done.status_code == 302 and done["Location"] == change_url(live)
    live.refresh_from_db()
    assert live.dek == "Dockers return after 15 days"


def test_the_save_and_publish_path_refuses_a_conflict_it_cannot_decide(proposal, publisher):
    live, changes = proposal
    changes.dek = "Dockers go back to work"
    services.save_article(article=changes, user=publisher)
    fix_live(live, publisher, dek="Dockers return after 15 days")
    with pytest.raises(services.PendingChangesConflict):
        services.take_step(article=changes, user=publisher, step="publish")
    live.refresh_from_db()
    assert live.dek == "Dockers return after 15 days"
