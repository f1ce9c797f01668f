"""The story editor built for writing, in Chromium as staff use it: the text beside a side
panel of groups that open and close, one column on a phone, the preview of what is typed in a
new tab (nothing saved), the time zone named beside every time, and the lead picture chosen
by its thumbnail, caption and credit."""

import pytest
from playwright.sync_api import expect

from articles.models import Article, Status
from articles.roles import CONTRIBUTOR, EDITOR, PUBLISHER
from tests.browser.staff import log_in, open_page, open_story, story_url, type_in_body
from tests.factories import make_article, make_author, make_section, make_user
from tests.images import make_image

pytestmark = [pytest.mark.django_db(transaction=True)]

ZONE = "New York time (America/New_York)"


def box(page, selector: str) -> dict:
    return page.locator(selector).first.bounding_box()


def scrolls_sideways(page) -> bool:
    return page.evaluate(
        "() => document.documentElement.scrollWidth > document.documentElement.clientWidth"
    )


def test_at_1366_the_text_and_the_side_panel_sit_side_by_side(live_server, tab):
    editor = make_user(EDITOR)
    story = make_article(headline="Ferry strike", body="<p>Long text.</p>" * 40)
    log_in(tab, live_server.url, editor)
    open_story(tab, story_url(live_server.url, story))

    body, panel = box(tab, ".field-body .ck-editor"), box(tab, "#story-panel")
    headline = box(tab, "#id_headline")
    assert panel["x"] >= body["x"] + body["width"]  # beside the text, not below it
    assert panel["y"] < body["y"] + body["height"]
    assert body["width"] >= 700 and headline["width"] >= 700  # a wide column to write in
    # Save and Preview are in view on arrival, above the fold, without scrolling past the text.
    for button in ("#story-actions input[name=_save]", "#story-preview"):
        expect(tab.locator(button)).to_be_in_viewport()
    # Bylines, section and the schedule are in the panel too.
    for group in ("#bylines-group", ".field-section", ".field-publish_at"):
        assert tab.locator(f"#story-panel {group}").count() == 1, group
    assert not scrolls_sideways(tab)
    tab.screenshot(path="/tmp/g/editor-1366.png", full_page=True)


def test_at_1366_a_short_story_fits_in_little_more_than_a_screen(live_server, tab):
    """The form was 3,500 px tall for a three-paragraph story, everything in one column."""
    editor = make_user(EDITOR)
    story = make_article()  # three short paragraphs
    log_in(tab, live_server.url, editor)
    open_story(tab, story_url(live_server.url, story))
    height = tab.evaluate("() => document.getElementById('article_form').offsetHeight")
    print(f"story form height at 1366 px: {height}")
    assert height < 1400, f"the story form is {height} px tall at 1366 px"


def test_the_panel_groups_open_and_close(live_server, tab):
    writer = make_user(CONTRIBUTOR)
    story = make_article(created_by=writer)
    log_in(tab, live_server.url, writer)
    open_story(tab, story_url(live_server.url, story))
    seo = tab.locator("#story-panel summary", has_text="Search and social")
    expect(tab.locator("#id_seo_title")).to_be_hidden()  # closed until wanted
    seo.click()
    expect(tab.locator("#id_seo_title")).to_be_visible()
    expect(tab.locator("#story-panel #social-preview")).to_be_visible()  # inside its group
    tab.fill("#id_seo_title", "Ferries stop")
    seo.click()
    expect(tab.locator("#id_seo_title")).to_be_hidden()
    section = tab.locator("#story-panel summary", has_text="Section and type")
    expect(tab.locator(".field-section")).to_be_visible()  # open from the start
    section.click()
    expect(tab.locator(".field-section")).to_be_hidden()
    tab.click("#story-actions input[name=_continue]")
    expect(tab.locator(".messagelist")).to_be_visible()
    story.refresh_from_db()
    assert story.seo_title == "Ferries stop"  # a closed group's fields are still saved


def test_at_390_one_column_and_no_sideways_scroll(live_server, browser):
    writer = make_user(CONTRIBUTOR)
    story = make_article(created_by=writer)
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    page, errors = open_page(context)
    log_in(page, live_server.url, writer)
    for url in (
        story_url(live_server.url, story),
        f"{live_server.url}/admin/articles/article/add/",
    ):
        page.goto(url)
        expect(page.locator("#story-panel")).to_be_visible()
        body, panel = box(page, ".field-body"), box(page, "#story-panel")
        assert panel["y"] >= body["y"] + body["height"]  # under the text
        assert panel["x"] + panel["width"] <= 390
        assert not scrolls_sideways(page), url
    context.close()
    assert errors == []


def test_preview_shows_what_is_typed_in_a_new_tab_and_saves_nothing(live_server, tab):
    writer = make_user(CONTRIBUTOR)
    story = make_article(created_by=writer, headline="Ferry strike", body="<p>Saved text.</p>")
    before = Article.objects.values("version", "modified_at", "headline", "body").get(pk=story.pk)
    log_in(tab, live_server.url, writer)
    open_story(tab, story_url(live_server.url, story))
    tab.fill("#id_headline", "Ferry strike ends after a week")
    type_in_body(tab, " Words typed and not saved.")

    with tab.context.expect_page() as opened:
        tab.click("#story-preview")
    preview = opened.value
    errors = []
    preview.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    preview.wait_for_load_state()
    expect(preview.locator("h1")).to_have_text("Ferry strike ends after a week")
    expect(preview.locator(".body")).to_contain_text("Words typed and not saved.")
    expect(preview.locator(".preview-banner")).to_be_visible()
    assert errors == []
    assert (
        Article.objects.values("version", "modified_at", "headline", "body").get(pk=story.pk)
        == before
    )
    # The form tab is still the form, with the text still in it, and saves as usual.
    expect(tab.locator("#id_headline")).to_have_value("Ferry strike ends after a week")
    tab.click("#story-actions input[name=_continue]")
    expect(tab.locator(".messagelist")).to_be_visible()
    story.refresh_from_db()
    assert "Words typed and not saved." in story.body


def test_the_time_zone_is_named_beside_the_schedule(live_server, tab):
    publisher = make_user(PUBLISHER)
    story = make_article(status=Status.APPROVED)
    log_in(tab, live_server.url, publisher)
    open_story(tab, story_url(live_server.url, story))
    schedule = tab.locator("#story-panel fieldset", has_text="Schedule")
    expect(schedule.locator(".description")).to_have_text(f"Times are {ZONE}.")
    expect(schedule.locator(".field-publish_at")).to_be_visible()
    expect(tab.locator("#workflow-panel label", has_text="When")).to_contain_text(ZONE)


def test_the_lead_picture_is_chosen_by_its_thumbnail_caption_and_credit(live_server, tab):
    other = make_image(caption="The old swimming pool", credit="Jo Bloggs/Agency")
    wanted = make_image(caption="The harbour at dawn", credit="Ana Núñez/Wire")
    writer = make_user(CONTRIBUTOR)
    story = make_article(created_by=writer)
    log_in(tab, live_server.url, writer)
    open_story(tab, story_url(live_server.url, story))
    expect(tab.locator(".lead-picture-chosen")).to_contain_text("No lead picture")
    tab.click("#id_lead_image_choose")
    results = tab.locator(".lead-picture-results button")
    expect(results).to_have_count(2)
    expect(results.first.locator("img")).to_have_js_property("complete", True)
    for index in range(2):
        assert results.nth(index).locator("img").evaluate("img => img.naturalWidth") > 0
    tab.fill(".lead-picture-query", "harbour")
    expect(results).to_have_count(1)
    expect(results).to_contain_text("The harbour at dawn")
    expect(results).to_contain_text("Ana Núñez/Wire")
    results.click()
    expect(tab.locator("#id_lead_image")).to_have_value(str(wanted.pk))
    expect(tab.locator(".lead-picture-chosen")).to_contain_text("Ana Núñez/Wire")
    expect(tab.locator(".lead-picture-chosen img")).to_have_count(1)
    tab.click("#story-actions input[name=_continue]")
    expect(tab.locator(".messagelist")).to_be_visible()
    story.refresh_from_db()
    assert story.lead_image_id == wanted.pk
    expect(tab.locator(".lead-picture-chosen")).to_contain_text("The harbour at dawn")
    # "Use theirs" after a conflict sets the field as articles/static/articles/conflicts.js
    # does: the picker draws the picture it now names.
    tab.evaluate(
        """id => { const field = document.getElementById("id_lead_image"); field.value = id;
                   field.dispatchEvent(new Event("change", { bubbles: true })); }""",
        str(other.pk),
    )
    expect(tab.locator(".lead-picture-chosen")).to_contain_text("Jo Bloggs/Agency")


def test_a_writer_files_a_story_in_five_clicks_with_their_byline_filled_in(live_server, tab):
    """Headline, text, section, save: the byline row starts with the writer's own name."""
    writer = make_user(CONTRIBUTOR)
    make_author(name="Lena Ortiz", user=writer)
    make_section(name="Harbour news")
    log_in(tab, live_server.url, writer)
    clicks = 0

    def click(selector: str) -> None:
        nonlocal clicks
        clicks += 1
        tab.click(selector)

    open_story(tab, f"{live_server.url}/admin/articles/article/add/")
    expect(tab.locator("#bylines-group .select2-selection")).to_contain_text("Lena Ortiz")
    click("#id_headline")
    tab.keyboard.type("Ferries stop for the winter")
    click(".field-body .ck-editor__editable")
    tab.keyboard.type("The last ferry leaves on Friday.")
    click("#story-panel .field-section .select2-selection")
    tab.keyboard.type("Harbour")
    click(".select2-results__option:has-text('Harbour news')")
    click("#story-actions input[name=_save]")
    expect(tab.locator(".messagelist")).to_be_visible()
    story = Article.objects.get(headline="Ferries stop for the winter")
    assert [b.author.name for b in story.bylines.all()] == ["Lena Ortiz"]
    assert story.section.name == "Harbour news"
    assert "The last ferry leaves on Friday." in story.body
    assert clicks == 5
