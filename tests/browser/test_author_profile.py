"""A contributor edits their own author profile in Chromium; it waits for an editor, who
approves it from the desk home's queue; readers see it then. No console errors or CSP
violations on the way."""

import pytest
from playwright.sync_api import expect

from articles.roles import CONTRIBUTOR, EDITOR
from tests.browser.staff import log_in, open_page
from tests.factories import make_author, make_user

pytestmark = [pytest.mark.django_db(transaction=True)]


def test_a_contributor_edits_their_profile_and_an_editor_approves_it(
    live_server, context, settings
):
    settings.ROOT_URLCONF = "tests.articles.contact_urls"  # a contact form at /contact/
    writer, editor = make_user(CONTRIBUTOR), make_user(EDITOR)
    make_author(name="Priya Raman", slug="priya", bio="Priya writes about the Gulf.", user=writer)
    reader, reader_errors = open_page(context)
    page, errors = open_page(context)

    log_in(page, live_server.url, writer)
    page.get_by_role("link", name="My profile").click()
    expect(page.locator("#id_bio")).to_have_value("Priya writes about the Gulf.")
    page.fill("#id_bio", "Priya writes about the Gulf states and mediation.")
    page.fill("#id_expertise", "the Gulf states, mediation")
    page.fill("#id_languages", "English, Arabic")
    page.fill("#id_contact_email", "priya.private@example.org")
    page.click("input[name=_save]")
    expect(page.locator(".messagelist")).to_contain_text("sent to the editors")
    expect(page.locator("#profile-approval-note")).to_contain_text("waiting for an editor")
    expect(page.locator("#id_bio")).to_have_value(
        "Priya writes about the Gulf states and mediation."
    )

    reader.goto(f"{live_server.url}/authors/priya/")
    expect(reader.locator("h1")).to_have_text("Priya Raman")
    expect(reader.locator("header.author")).to_contain_text("Priya writes about the Gulf.")
    expect(reader.locator(".author-expertise")).to_have_count(0)

    page.goto("about:blank")
    context.clear_cookies()
    log_in(page, live_server.url, editor)
    queue = page.locator("#queue-profiles")
    expect(queue).to_contain_text("Priya Raman")
    queue.get_by_role("link", name="Priya Raman").click()
    expect(page.locator(".desk-profile-diff ins").first).to_have_text("states and mediation")
    page.get_by_role("button", name="Approve").click()
    expect(page.locator(".messagelist")).to_contain_text("The profile of Priya Raman is updated")
    expect(page.locator("#queue-profiles")).to_contain_text("None waiting.")

    reader.goto(f"{live_server.url}/authors/priya/")
    expect(reader.locator("header.author")).to_contain_text("the Gulf states and mediation.")
    expect(reader.locator(".author-expertise li")).to_have_text(["the Gulf states", "mediation"])
    expect(reader.get_by_role("link", name="Write to Priya Raman")).to_have_attribute(
        "href", "/contact/?author=priya"
    )
    assert "priya.private@example.org" not in reader.content()
    assert errors == [] and reader_errors == []
