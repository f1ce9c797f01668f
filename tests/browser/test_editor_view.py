"""The story editor shows what readers will see, and history reads as text: through the
real form in Chromium, with every page's JavaScript and CSP errors failing the test."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect
from reversion.models import Version

from articles.models import Status
from articles.roles import CONTRIBUTOR, EDITOR
from tests.browser.staff import log_in, open_story, story_url, type_in_body
from tests.factories import make_article, make_user
from tests.images import make_image

pytestmark = [pytest.mark.django_db(transaction=True)]


def computed(page, selector: str) -> dict:
    return page.evaluate(
        """s => { const st = getComputedStyle(document.querySelector(s));
                  return {size: parseFloat(st.fontSize), weight: Number(st.fontWeight)}; }""",
        selector,
    )


def test_a_heading_in_the_editor_is_larger_than_the_text(live_server, tab):
    writer = make_user(CONTRIBUTOR)
    story = make_article(created_by=writer, body="<p>Some text.</p>")
    log_in(tab, live_server.url, writer)
    open_story(tab, story_url(live_server.url, story))
    type_in_body(tab, "")
    tab.keyboard.press("Enter")
    tab.evaluate("() => window.editors.id_body.execute('heading', {value: 'heading2'})")
    tab.keyboard.type("Why it matters")
    heading = computed(tab, ".field-body .ck-content h2")
    text = computed(tab, ".field-body .ck-content p")
    assert heading["size"] > text["size"] and text["size"] >= 16
    assert heading["weight"] >= 700
    expect(tab.locator("#body-word-count")).to_contain_text("5 words · about 1 min read")


def test_a_library_picture_placed_in_the_body_shows_its_credit_to_readers(live_server, tab):
    make_image(caption="The old swimming pool", credit="Jo Bloggs/Agency")
    make_image(caption="A council meeting", credit="Someone Else")
    editor = make_user(EDITOR)
    story = make_article(body="<p>The pool closes.</p>")
    log_in(tab, live_server.url, editor)
    open_story(tab, story_url(live_server.url, story))
    tab.click("#library-picture-open")
    tab.fill("#library-query", "swimming")
    results = tab.locator(".library-results button")
    expect(results).to_have_count(1)
    expect(results).to_contain_text("Jo Bloggs/Agency")
    results.click()
    figure = tab.locator(".field-body .ck-content figure.image")
    expect(figure).to_have_count(1)
    expect(figure.locator("figcaption")).to_contain_text("Jo Bloggs/Agency")
    tab.click("input[name=_continue]")
    expect(tab.locator(".messagelist")).to_be_visible()
    story.refresh_from_db()
    assert '<figure class="image"><img src="/media/images/' in story.body
    tab.goto(live_server.url + reverse("admin:articles_article_preview", args=[story.pk]))
    picture = tab.locator(".body figure.picture")
    expect(picture).to_have_count(1)
    expect(picture.locator(".credit")).to_have_text("Jo Bloggs/Agency")
    expect(picture.locator("figcaption")).to_contain_text("The old swimming pool")
    assert picture.locator("figcaption").inner_text().count("Jo Bloggs") == 1


def test_the_search_and_social_preview_follows_the_headline_and_warns(live_server, tab):
    writer = make_user(CONTRIBUTOR)
    story = make_article(created_by=writer, headline="Pool closes", dek="The council voted.")
    log_in(tab, live_server.url, writer)
    open_story(tab, story_url(live_server.url, story))
    preview = tab.locator("#social-preview")
    expect(preview.locator(".result-title")).to_have_text("Pool closes")
    expect(preview.locator(".link-card")).to_have_count(3)
    expect(preview.locator(".link-card .card-network")).to_have_text(["X", "Bluesky", "Facebook"])
    expect(preview.locator(".preview-warnings li")).to_have_count(0)
    long_title = "The council votes to close the old swimming pool after eighty years of use"
    tab.fill("#id_headline", long_title)
    expect(preview.locator(".result-title")).to_have_text(long_title[:59].rstrip() + "…")
    expect(preview.locator(".preview-warnings")).to_contain_text("cut it after 60")
    tab.fill("#id_dek", "")
    expect(preview.locator(".preview-warnings")).to_contain_text("No description")


def test_an_embed_shows_as_a_link_card_without_a_frame(live_server, tab):
    writer = make_user(CONTRIBUTOR)
    story = make_article(created_by=writer, body="<p>Watch this.</p>")
    log_in(tab, live_server.url, writer)
    open_story(tab, story_url(live_server.url, story))
    url = "https://www.youtube.com/watch?v=abc123"
    type_in_body(tab, "")
    tab.keyboard.press("Enter")
    tab.evaluate(
        """url => { const dt = new DataTransfer(); dt.setData('text/plain', url);
                    document.querySelector('.field-body .ck-editor__editable').dispatchEvent(
                      new ClipboardEvent('paste', {clipboardData: dt, bubbles: true})); }""",
        url,
    )
    card = tab.locator(".field-body .ck-content figure.media")
    expect(card).to_have_count(1, timeout=5000)
    expect(card).to_contain_text(url)
    assert tab.locator("iframe").count() == 0
    assert f'<oembed url="{url}">' in tab.evaluate("() => window.editors.id_body.getData()")


def test_compare_reads_as_text_with_the_current_headline(live_server, tab):
    editor = make_user(EDITOR)
    story = make_article(headline="First headline", body="<p>The pool closes on Monday.</p>")
    log_in(tab, live_server.url, editor)
    for headline, day in (("Second headline", "Tuesday"), ("Third headline", "Friday")):
        open_story(tab, story_url(live_server.url, story))
        tab.fill("#id_headline", headline)
        tab.evaluate(
            "day => window.editors.id_body.setData(`<p>The pool closes on ${day}.</p>`)", day
        )
        tab.click("input[name=_continue]")
        expect(tab.locator(".messagelist")).to_be_visible()
    first, second = Version.objects.get_for_object(story).order_by("pk")
    tab.goto(
        live_server.url
        + reverse("admin:articles_article_compare", args=[story.pk])
        + f"?version_id1={first.pk}&version_id2={second.pk}"
    )
    body = tab.locator(".readable-diff p").first
    expect(body.locator("del")).to_have_text("Tuesday")  # the first revision is the first save
    expect(body.locator("ins")).to_have_text("Friday")
    expect(tab).to_have_title(re.compile("^Compare versions of “Third headline”"))
    expect(tab.locator(".breadcrumbs")).to_contain_text("Third headline")


def test_a_contributor_reads_their_submitted_story_as_readers_will(live_server, tab):
    writer = make_user(CONTRIBUTOR)
    story = make_article(
        created_by=writer,
        status=Status.SUBMITTED,
        body="<h2>Why it matters</h2><p>The <strong>pool</strong> closes.</p>",
    )
    log_in(tab, live_server.url, writer)
    tab.goto(story_url(live_server.url, story))
    body = tab.locator(".field-body_as_read .as-read")
    expect(body.locator("h2")).to_have_text("Why it matters")
    expect(body.locator("strong")).to_have_text("pool")
    assert "<p>" not in tab.locator("#content-main").inner_text()
