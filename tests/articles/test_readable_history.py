"""Revisions compared as the text readers get, and a read-only story shown as readers see it."""

import pytest
from django.urls import reverse
from reversion.models import Version

from articles.models import Status
from tests.admin_forms import change_form_data
from tests.factories import make_article

pytestmark = pytest.mark.django_db


def change_url(story):
    return reverse("admin:articles_article_change", args=[story.pk])


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


def test_compare_shows_the_text_word_by_word_in_paragraphs(client, editor):
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
    assert "<p>The council met on <del>Monday</del><ins>Tuesday</ins>.</p>" in html
    assert "<p>It voted to <del>close</del><ins>keep</ins> the pool.</p>" in html
    assert "&lt;p&gt;" not in html  # rendered text, not markup
    # The text comes first, then the headline; the page is named by the current headline.
    assert html.index("readable-diff") < html.index("<del>Old</del>")
    story.refresh_from_db()
    story.headline = "Current headline"
    story.save(update_fields=["headline"])
    html = compare(client, story, first, second)
    assert "<title>Compare versions of “Current headline”" in html
    assert "Current headline</a> &rsaquo;" in html


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
