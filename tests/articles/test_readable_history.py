"""History people can read: Compare shows the story as rendered with its changes marked word
by word, and the fields staff know; History says who, when and what happened, in words;
a read-only story is shown as readers see it."""

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone
from reversion.models import Version
from taggit.models import Tag

from articles import services
from articles.changes import Relations
from articles.models import Status
from articles.services import original_date
from tests.admin_forms import change_form_data, change_url, logged_in
from tests.factories import make_article, make_author
from tests.images import make_image

pytestmark = pytest.mark.django_db

# What reversion, reversion-compare and the stock admin print, and staff should never read.
INTERNALS = [
    "tagged_items", "tagged item", "add: None", "None", "under reversion control", "<sup",
    "follow", "this object", "revert", "Revert", "No fields changed", "(no comment exists)",
    "Edit comment", "Go back to history list", "Date/time",
]  # fmt: skip


def named(user, first: str, last: str):
    user.first_name, user.last_name = first, last
    user.save()
    return user


def save_twice(client, story, *edits):
    for edit in edits:
        data = change_form_data(client.get(change_url(story)))
        data.update(edit)
        client.post(change_url(story), data)
    return Version.objects.get_for_object(story).order_by("pk")


def compare(client, story, first, second):
    return client.get(
        reverse("admin:articles_article_compare", args=[story.pk]),
        {"version_id1": first.pk, "version_id2": second.pk},
    ).content.decode()


def page_text(html: str) -> str:
    """What a person reads on the page: the content, without markup."""
    main = html.split('id="content-main"', 1)[1]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", main))


def assert_no_internals(html: str):
    text = page_text(html)
    for phrase in INTERNALS:
        assert phrase not in text, phrase
    assert "<sup" not in html and "tagged_items" not in html


def test_compare_shows_the_story_as_rendered_with_word_changes(editor):
    """Subheads and lists keep their structure; words changed inside them are marked; the
    bylines in their new order, the added tag and the lead picture are named, nothing else."""
    first_author, second_author = make_author(name="Ana Ruiz"), make_author(name="Tomás Novák")
    story = make_article(
        author=first_author,
        headline="Pool vote",
        body="<h2>Why it matters</h2><p>The council met on Monday.</p>"
        "<ul><li>Close the pool</li><li>Sell the land</li></ul>",
    )
    services.save_article(
        article=story,
        user=editor,
        relations=Relations(
            bylines=[
                {"author_id": first_author.pk, "role": "", "order": 0},
                {"author_id": second_author.pk, "role": "", "order": 1},
            ],
            tags=[Tag.objects.create(name="Council", slug="council").pk],
        ),
    )
    picture = make_image(caption="The old pool at dusk", credit="Jo Lee/The Courier")
    story.refresh_from_db()
    story.body = (
        "<h2>Why it really matters</h2><p>The council met on Tuesday.</p>"
        "<ul><li>Close the pool</li><li>Keep the land</li><li>Ask the town</li></ul>"
    )
    story.lead_image = picture
    services.save_article(
        article=story,
        user=editor,
        relations=Relations(
            bylines=[
                {"author_id": second_author.pk, "role": "", "order": 0},
                {"author_id": first_author.pk, "role": "", "order": 1},
            ],
            tags=[Tag.objects.get(slug="council").pk, Tag.objects.create(name="Pools").pk],
        ),
    )
    first, second = Version.objects.get_for_object(story).order_by("pk")
    html = compare(logged_in(editor), story, first, second)

    assert "<h2>Why it <ins>really</ins> matters</h2>" in html
    assert "<p>The council met on <del>Monday</del><ins>Tuesday</ins>.</p>" in html
    assert "<li>Close the pool</li><li><del>Sell</del><ins>Keep</ins> the land</li>" in html
    assert "<li><ins>Ask the town</ins></li></ul>" in html
    assert "&lt;h2&gt;" not in html and "&lt;p&gt;" not in html  # rendered, not markup
    bylines = html.split("<h2>Bylines</h2>")[1].split("</section>")[0]
    assert bylines.index("Tomás Novák") < bylines.index("Ana Ruiz")
    assert "The order was: Ana Ruiz; Tomás Novák." in bylines
    tags = html.split("<h2>Tags</h2>")[1].split("</section>")[0]
    assert "<ins>Pools</ins>" in tags and "<li>Council</li>" in tags
    lead = html.split("<h2>Lead picture</h2>")[1].split("</section>")[0]
    assert "The old pool at dusk" in lead and "Jo Lee/The Courier" in lead
    assert f'src="{picture.file.url}"' in lead
    # Only what changed: the headline did not.
    assert "<h2>Headline</h2>" not in html and "<h2>Section</h2>" not in html
    assert_no_internals(html)


def test_compare_puts_the_text_first_and_is_named_by_the_current_headline(client, editor):
    story = make_article(headline="Old headline")
    client.force_login(editor)
    first, second = save_twice(
        client,
        story,
        {"body": "<p>The council met on Monday.</p><p>It voted to close the pool.</p>"},
        {
            "headline": "New headline",
            "body": "<p>The council met on Tuesday.</p><p>It voted to keep the pool.</p>",
        },
    )
    html = compare(client, story, first, second)
    assert "<p>It voted to <del>close</del><ins>keep</ins> the pool.</p>" in html
    assert html.index("<h2>Body</h2>") < html.index("<del>Old</del>")
    story.refresh_from_db()
    story.headline = "Current headline"
    story.save(update_fields=["headline"])
    html = compare(client, story, first, second)
    assert "<title>Compare versions of “Current headline”" in html
    assert "Current headline</a> &rsaquo;" in html


def test_compare_shows_times_in_the_site_time_zone_and_no_none(editor, publisher):
    story = make_article(headline="A story")
    services.save_article(article=story, user=editor)
    story.refresh_from_db()
    story.unpublish_at = datetime(2026, 12, 24, 17, 30, tzinfo=ZoneInfo("UTC"))
    story.seo_title = "Pool vote"
    services.save_article(article=story, user=publisher)
    first, second = Version.objects.get_for_object(story).order_by("pk")
    html = compare(logged_in(editor), story, first, second)
    assert "<h2>Unpublish time</h2>" in html
    assert '<p class="readable-diff"><ins>24 Dec 2026, 12:30 EST</ins></p>' in html  # New York
    assert "<h2>Search title</h2>" in html and "<ins>Pool vote</ins>" in html
    assert_no_internals(html)


def test_history_says_who_did_what_in_words(editor, publisher, contributor):
    named(contributor, "Ana", "Ruiz")
    named(editor, "Ben", "Okafor")
    story = make_article(headline="Pool vote", created_by=contributor, status=Status.DRAFT)
    services.save_article(article=story, user=contributor)
    writer = logged_in(contributor)
    save_twice(writer, story, {"headline": "Pool vote tonight", "dek": "A late session."})
    services.submit(article=story, user=contributor)
    services.return_to_writer(article=story, user=editor, comment="Add the vote count.")
    html = logged_in(editor).get(reverse("admin:articles_article_history", args=[story.pk]))
    html = html.content.decode()
    text = page_text(html)
    assert "Returned to the writer : “Add the vote count.” Ben Okafor" in text
    assert "Submitted for edit Ana Ruiz" in text
    assert "Saved: headline, dek changed Ana Ruiz" in text
    assert "Created Ana Ruiz" in text
    assert re.search(r"Ana Ruiz, \d{1,2} Dec 2026, \d\d:\d\d EST", text)
    assert contributor.username not in text and editor.username not in text
    assert "America/New_York" in text
    assert text.count("Restore this version") == 1  # the older save; not the current one
    assert_no_internals(html)
    assert "→" not in text


def test_publishing_pending_changes_shows_what_changed(editor, publisher):
    """The revision of that publish used to say "No fields changed": the admin's message for
    the pending copy's own form replaced the service's words."""
    named(editor, "Ana", "Ruiz")
    live = make_article(status=Status.PUBLISHED, headline="What readers see", slug="live-one")
    services.save_article(article=live, user=editor)
    staff = logged_in(editor)
    data = change_form_data(staff.get(change_url(live)))
    data.update(headline="A rewrite for review", body="<p>New text.</p>", _pending="1")
    staff.post(change_url(live), data)
    changes = live.pending_changes.get()
    desk = logged_in(publisher)
    form = change_form_data(desk.get(change_url(changes)))
    form["_step"] = "publish"
    assert desk.post(change_url(changes), form).status_code == 302

    html = desk.get(reverse("admin:articles_article_history", args=[live.pk])).content.decode()
    text = page_text(html)
    assert "Pending changes by Ana Ruiz published : body, headline changed" in text
    assert text.count("Pending changes by Ana Ruiz published") == 1  # the step, once
    assert_no_internals(html)
    before, after = Version.objects.get_for_object(live).order_by("pk")
    shown = compare(desk, live, before, after)
    assert "<del>What readers see</del><ins>A rewrite for review</ins>" in shown


def test_the_story_form_lists_its_steps_in_words(editor, publisher):
    """The form's workflow steps used to read "editor3: Published → Published"."""
    named(editor, "Ana", "Ruiz")
    named(publisher, "Carla", "Mendes")
    live = make_article(status=Status.PUBLISHED)
    changes = services.propose_changes(article=live, user=editor)
    services.publish_pending_changes(changes=changes, user=publisher)
    services.unpublish(article=live, user=publisher, comment="Legal asked us to.")
    html = logged_in(publisher).get(change_url(live)).content.decode()
    steps = html.split('class="readonly"><ul>')[1].split("</ul>")[0]
    assert "Carla Mendes: Pending changes by Ana Ruiz published" in steps
    assert "Carla Mendes: Unpublished: “Legal asked us to.”" in steps
    assert "→" not in steps and publisher.username not in steps


def test_scheduling_unpublishing_and_publishing_again_read_as_words(publisher):
    named(publisher, "Carla", "Mendes")
    story = make_article(status=Status.APPROVED)
    services.save_article(article=story, user=publisher)
    at = timezone.now() + timedelta(days=1)
    services.publish(article=story, user=publisher, at=at)
    story.refresh_from_db()
    story.publish_at = timezone.now() - timedelta(minutes=1)  # as if the time had come
    type(story).objects.filter(pk=story.pk).update(publish_at=story.publish_at)
    services.unpublish(article=story, user=publisher)
    services.publish_again(article=story, user=publisher)
    html = logged_in(publisher).get(reverse("admin:articles_article_history", args=[story.pk]))
    text = page_text(html.content.decode())
    when = f"{timezone.localtime(at):%Y-%m-%d %H:%M}"
    assert f"Scheduled for {when} (America/New_York) Carla Mendes" in text
    assert "Unpublished Carla Mendes" in text
    assert f"Published again : with its original date, {original_date(story.publish_at)}" in text
    assert "“" not in text  # no empty or automatic comments quoted


def test_compare_names_corrections_and_related_stories(editor):
    story = make_article(headline="A story")
    other = make_article(headline="The council's budget, explained")
    services.save_article(article=story, user=editor)
    story.refresh_from_db()
    services.save_article(
        article=story,
        user=editor,
        relations=Relations(
            related=[{"related_id": other.pk, "order": 0}],
            corrections=[
                {
                    "kind": "correction",
                    "text": "An earlier version misspelt the mayor's name.",
                    "published_at": datetime(2026, 12, 5, 15, 0, tzinfo=ZoneInfo("UTC")),
                }
            ],
        ),
    )
    first, second = Version.objects.get_for_object(story).order_by("pk")
    html = compare(logged_in(editor), story, first, second)
    related = html.split("<h2>Related stories</h2>")[1].split("</section>")[0]
    assert "<ins>The council&#x27;s budget, explained</ins>" in related
    corrections = html.split("<h2>Corrections and updates</h2>")[1].split("</section>")[0]
    assert (
        "5 Dec 2026, 10:00 EST: An earlier version misspelt the mayor&#x27;s name." in corrections
    )
    assert_no_internals(html)


def test_a_discarded_proposal_is_named_in_the_history(editor, publisher):
    named(editor, "Ana", "Ruiz")
    live = make_article(status=Status.PUBLISHED)
    changes = services.propose_changes(article=live, user=editor)
    services.discard_pending_changes(changes=changes, user=publisher)
    html = logged_in(publisher).get(reverse("admin:articles_article_history", args=[live.pk]))
    assert "Pending changes by Ana Ruiz discarded" in page_text(html.content.decode())


def test_restoring_says_what_will_happen(client, editor):
    named(editor, "Ben", "Okafor")
    story = make_article(status=Status.DRAFT, headline="Alpha")
    client.force_login(editor)
    first, _ = save_twice(client, story, {"headline": "Beta"}, {"headline": "Gamma"})
    html = client.get(reverse("admin:articles_article_revision", args=[story.pk, first.pk]))
    text = page_text(html.content.decode())
    assert "Restore this version" in html.content.decode()
    assert "as Ben Okafor saved them on" in text
    assert "status, publish time and address stay as they are now" in text
    assert "current version stays in the history" in text
    # What restoring changes, from the story as last saved: the first save's headline.
    assert "<del>Gamma</del><ins>Beta</ins>" in html.content.decode()


def test_a_contributor_reads_their_submitted_story_as_readers_will(client, contributor):
    story = make_article(
        status=Status.SUBMITTED,
        created_by=contributor,
        body="<h2>Why it matters</h2><p>The <strong>pool</strong> closes.</p>",
        teaser="<p>A short <em>teaser</em>.</p>",
    )
    client.force_login(contributor)
    html = client.get(change_url(story)).content.decode()
    assert '<div class="as-read"><h2>Why it matters</h2><p>The <strong>pool</strong>' in html
    assert "<p>A short <em>teaser</em>.</p>" in html
    assert "&lt;p&gt;" not in html and "&lt;h2&gt;" not in html


def test_the_read_only_body_is_sanitised(client, contributor):
    story = make_article(status=Status.SUBMITTED, created_by=contributor)
    # Written around the model's own sanitising, as an old row or a bad import might be.
    type(story).objects.filter(pk=story.pk).update(body="<p>Hi<script>alert(1)</script></p>")
    client.force_login(contributor)
    html = client.get(change_url(story)).content.decode()
    assert "alert(1)" not in html
