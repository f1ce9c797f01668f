"""A picture uploaded in the story editor carries its credit: a contributor in Chromium
uploads a real file, cannot place it without a credit, places it with credit, caption and
alt text, edits the alt text in the editor, and readers see the credit and that alt text."""

import base64

import pytest
from playwright.sync_api import expect

from articles import services
from articles.roles import CONTRIBUTOR, EDITOR, PUBLISHER
from media.models import Image
from tests import images
from tests.browser.staff import (
    between_requests,
    log_in,
    open_page,
    open_story,
    story_url,
    type_in_body,
)
from tests.factories import make_article, make_user

pytestmark = [pytest.mark.django_db(transaction=True)]

BODY = ".field-body .ck-content"


@pytest.fixture
def desk_tab(browser):
    """A 1366 px desk tab whose errors, CSP violations and editor warnings fail the test."""
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    page, errors = open_page(context)
    warnings: list[str] = []
    page.on(
        "console",
        lambda message: warnings.append(message.text) if message.type == "warning" else None,
    )
    yield page
    context.close()
    assert errors == []
    assert not [text for text in warnings if "widget-toolbar-no-items" in text], warnings


def choose_file(page, name: str, data: bytes, mime: str) -> None:
    """Upload through the editor's own picture button, as a writer does."""
    with page.expect_file_chooser() as chooser:
        page.locator(
            ".field-body .ck-toolbar [data-cke-tooltip-text^='Upload image']"
        ).first.click()
    chooser.value.set_files({"name": name, "mimeType": mime, "buffer": data})


def test_an_uploaded_picture_is_placed_only_with_its_credit(live_server, desk_tab):
    tab = desk_tab
    writer = make_user(CONTRIBUTOR)
    story = make_article(created_by=writer, headline="Pool closes", body="<p>The pool.</p>")
    log_in(tab, live_server.url, writer)
    open_story(tab, story_url(live_server.url, story))
    type_in_body(tab, "")

    choose_file(tab, "upload.png", images.png_bytes((60, 40), mode="RGB"), "image/png")
    dialog = tab.locator("#picture-credit-dialog")
    expect(dialog).to_be_visible()
    expect(dialog.locator(".picture-credit-error")).to_be_hidden()
    expect(tab.locator(f"{BODY} figure.image")).to_have_count(0)  # not placed yet

    dialog.get_by_role("button", name="Place the picture").click()  # no credit: refused
    expect(dialog).to_be_visible()
    assert dialog.locator("#picture-credit").evaluate("input => !input.validity.valid")
    expect(tab.locator(f"{BODY} figure.image")).to_have_count(0)
    with between_requests():
        assert not Image.objects.exists()

    # The server refuses an uncredited upload sent directly, too.
    token = tab.locator("input[name=csrfmiddlewaretoken]").first.input_value()
    direct = tab.request.post(
        live_server.url + "/media-library/editor-upload/",
        headers={"X-CSRFToken": token, "Referer": live_server.url + "/admin/"},
        multipart={
            "upload": {"name": "x.png", "mimeType": "image/png", "buffer": images.png_bytes()}
        },
    )
    assert direct.status == 400 and "credit" in direct.json()["error"]["message"]
    with between_requests():
        assert not Image.objects.exists()

    dialog.locator("#picture-credit").fill("Jo Bloggs/Agency")
    dialog.locator("#picture-caption").fill("The old swimming pool")
    dialog.locator("#picture-alt").fill("An empty pool")
    dialog.get_by_role("button", name="Place the picture").click()
    expect(dialog).to_be_hidden()
    figure = tab.locator(f"{BODY} figure.image")
    expect(figure).to_have_count(1)
    expect(figure.locator("figcaption")).to_contain_text("The old swimming pool")
    expect(figure.locator("figcaption")).to_contain_text("Jo Bloggs/Agency")
    expect(figure.locator("img")).to_have_attribute("alt", "An empty pool")
    with between_requests():
        image = Image.objects.get()
    assert image.credit == "Jo Bloggs/Agency" and image.alt_text == "An empty pool"
    assert image.title == "The old swimming pool"

    # The alt text is editable in the editor: the picture's own toolbar.
    figure.locator("img").click()
    tab.locator(".ck-toolbar [data-cke-tooltip-text='Change image text alternative']").click()
    alt = tab.locator(".ck-text-alternative-form input")
    alt.fill("An empty pool behind a fence")
    alt.press("Enter")
    expect(figure.locator("img")).to_have_attribute("alt", "An empty pool behind a fence")

    tab.click("input[name=_continue]")
    expect(tab.locator(".messagelist")).to_be_visible()
    # The story's tab still polls its comments and beats its heartbeat: the test's own
    # database work waits between its requests (see tests.browser.staff._Gate).
    with between_requests():
        story.refresh_from_db()
        assert 'alt="An empty pool behind a fence"' in story.body
        services.submit(article=story, user=writer)
        services.approve(article=story, user=make_user(EDITOR))
        services.publish(article=story, user=make_user(PUBLISHER))
    tab.goto(live_server.url + story.get_absolute_url())
    picture = tab.locator("figure.picture")
    expect(picture).to_have_count(1)
    expect(picture.locator(".credit")).to_have_text("Jo Bloggs/Agency")
    expect(picture.locator("figcaption")).to_contain_text("The old swimming pool")
    expect(picture.locator("img")).to_have_attribute("alt", "An empty pool behind a fence")


def test_cancelling_the_credit_places_and_keeps_nothing(live_server, desk_tab):
    tab = desk_tab
    writer = make_user(CONTRIBUTOR)
    story = make_article(created_by=writer, body="<p>The pool.</p>")
    log_in(tab, live_server.url, writer)
    open_story(tab, story_url(live_server.url, story))
    type_in_body(tab, "")
    choose_file(tab, "pool.jpg", images.jpeg_bytes((50, 30)), "image/jpeg")
    dialog = tab.locator("#picture-credit-dialog")
    expect(dialog).to_be_visible()
    dialog.get_by_role("button", name="Cancel").click()
    expect(dialog).to_be_hidden()
    expect(tab.locator(f"{BODY} figure.image")).to_have_count(0)
    with between_requests():
        assert not Image.objects.exists()
    assert "<img" not in tab.evaluate("() => window.editors.id_body.getData()")


def paste(page, html: str = "", png: bytes = b"") -> None:
    """Paste into the body, as the clipboard does: some HTML, or a PNG file."""
    page.evaluate(
        """([html, png]) => { const dt = new DataTransfer();
             if (html) dt.setData("text/html", html);
             if (png) dt.items.add(new File([Uint8Array.from(atob(png), c => c.charCodeAt(0))],
                                            "image.png", {type: "image/png"}));
             document.querySelector(".field-body .ck-editor__editable").dispatchEvent(
               new ClipboardEvent("paste", {clipboardData: dt, bubbles: true})); }""",
        [html, base64.b64encode(png).decode()],
    )


def test_a_pasted_picture_asks_for_its_credit_too_and_one_inside_html_is_refused(
    live_server, desk_tab
):
    tab = desk_tab
    writer = make_user(CONTRIBUTOR)
    story = make_article(created_by=writer, body="<p>The pool.</p>")
    log_in(tab, live_server.url, writer)
    open_story(tab, story_url(live_server.url, story))
    type_in_body(tab, "")

    # A picture inside pasted HTML (from a web page or a document) comes with no credit: the
    # text is pasted, the picture is not (and CKEditor never fetches it: no CSP violation).
    pixel = "data:image/png;base64," + base64.b64encode(images.png_bytes()).decode()
    paste(tab, html=f'<p>Look at this</p><img src="{pixel}">')
    expect(tab.locator(".picture-upload-notice")).to_contain_text("upload its file")
    expect(tab.locator(BODY)).to_contain_text("Look at this")
    expect(tab.locator(f"{BODY} img")).to_have_count(0)

    # A pasted file asks for its credit; Escape places nothing.
    picture = images.png_bytes((30, 20), mode="RGB")
    paste(tab, png=picture)
    dialog = tab.locator("#picture-credit-dialog")
    expect(dialog).to_be_visible()
    expect(tab.locator(f"{BODY} figure.image")).to_have_count(0)
    dialog.press("Escape")
    expect(dialog).to_be_hidden()
    expect(tab.locator(f"{BODY} figure.image")).to_have_count(0)
    with between_requests():
        assert not Image.objects.exists()

    paste(tab, png=picture)
    expect(dialog).to_be_visible()
    dialog.locator("#picture-credit").fill("Staff")
    dialog.get_by_role("button", name="Place the picture").click()
    expect(tab.locator(f"{BODY} figure.image figcaption")).to_have_text("Staff")
    with between_requests():
        assert Image.objects.get().title == "Picture by Staff"  # not "image"


def test_a_library_picture_is_placed_with_its_credit_and_one_without_cannot_be(
    live_server, desk_tab
):
    tab = desk_tab
    images.make_image(caption="The old swimming pool at dawn", credit="Jo Bloggs/Agency")
    images.make_image(caption="The old swimming pool at dusk", credit="")
    writer = make_user(CONTRIBUTOR)
    story = make_article(created_by=writer, body="<p>The pool.</p>")
    log_in(tab, live_server.url, writer)
    open_story(tab, story_url(live_server.url, story))
    tab.click("#library-picture-open")
    tab.fill("#library-query", "swimming")
    results = tab.locator(".library-results button")
    expect(results).to_have_count(2)
    uncredited = results.filter(has_text="at dusk")
    expect(uncredited).to_be_disabled()
    expect(uncredited).to_contain_text("No credit yet")
    results.filter(has_text="at dawn").click()
    figure = tab.locator(f"{BODY} figure.image")
    expect(figure).to_have_count(1)
    expect(figure.locator("figcaption")).to_contain_text("Jo Bloggs/Agency")


def test_signed_out_while_crediting_keeps_the_dialog_and_what_was_typed(live_server, desk_tab):
    tab = desk_tab
    writer = make_user(CONTRIBUTOR)
    story = make_article(created_by=writer, body="<p>The pool.</p>")
    log_in(tab, live_server.url, writer)
    open_story(tab, story_url(live_server.url, story))
    type_in_body(tab, "")
    choose_file(tab, "pool.jpg", images.jpeg_bytes((50, 30)), "image/jpeg")
    dialog = tab.locator("#picture-credit-dialog")
    dialog.locator("#picture-credit").fill("Jo Bloggs/Agency")
    tab.context.clear_cookies(name="sessionid")  # the session ends while the writer types
    dialog.get_by_role("button", name="Place the picture").click()
    expect(dialog.locator(".picture-credit-error")).to_contain_text("You are signed out")
    expect(dialog).to_be_visible()
    expect(dialog.locator("#picture-credit")).to_have_value("Jo Bloggs/Agency")
    expect(tab.locator(f"{BODY} figure.image")).to_have_count(0)
    with between_requests():
        assert not Image.objects.exists()
