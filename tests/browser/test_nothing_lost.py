"""Nothing typed is lost in the ways staff really work: a session that ends while typing, the
same story in two tabs, two new stories in two tabs; and the sticky bar's next step, through
the real story form in Chromium."""

import pytest
from playwright.sync_api import expect

from articles.models import Article, Status
from articles.roles import CONTRIBUTOR
from desk import working_copy_views as desk_views
from desk.models import WorkingCopy
from tests.browser.staff import log_in, open_page, open_story, story_url, type_in_body, wait_until
from tests.factories import make_article, make_section, make_user

pytestmark = [pytest.mark.django_db(transaction=True)]


@pytest.fixture
def fast_desk(monkeypatch):
    """Autosave and heartbeat every second (the live server runs in this process)."""
    monkeypatch.setattr(desk_views, "AUTOSAVE_SECONDS", 1)
    monkeypatch.setattr(desk_views, "HEARTBEAT_SECONDS", 1)


@pytest.fixture
def fast_autosave(monkeypatch):
    """Autosave every second; the heartbeat at its pace, so it is typing (the autosave that
    follows it) that finds the session gone, as when someone is writing."""
    monkeypatch.setattr(desk_views, "AUTOSAVE_SECONDS", 1)


@pytest.fixture
def new_context(browser):
    """Browser contexts at 1366 px, closed when the test ends however it ends: a page left
    open would keep polling the live server through the next tests."""
    contexts = []

    def make():
        contexts.append(browser.new_context(viewport={"width": 1366, "height": 900}))
        return contexts[-1]

    yield make
    for context in contexts:
        context.close()


def end_session(context) -> None:
    """The session ends (expiry, a restart that lost sessions): its cookie is gone."""
    kept = [cookie for cookie in context.cookies() if cookie["name"] != "sessionid"]
    context.clear_cookies()
    context.add_cookies(kept)


def choose_section(page, section) -> None:
    """Pick the section in its search box, as staff do."""
    page.click(".field-section .select2-selection")
    page.keyboard.type(section.name[:4])
    page.locator(".select2-results__option", has_text=section.name).click()


def copies_hold(user, article, *phrases) -> bool:
    """Some working copy of the person's for the story holds every phrase in its body."""
    copies = WorkingCopy.objects.filter(user=user, article=article)
    bodies = ["".join(copy.data.get("body", [])) for copy in copies]
    return any(all(phrase in body for phrase in phrases) for body in bodies)


def test_a_session_that_ends_while_typing_loses_nothing(live_server, new_context, fast_autosave):
    """Signed out mid-paragraph: the bar says so and stays saying so, a sign-in dialog opens
    on the page, and after signing in there every word reaches the copy and the story."""
    writer = make_user(CONTRIBUTOR)
    story = make_article(created_by=writer, headline="Harbour plan")
    context = new_context()
    page, errors = open_page(context)
    log_in(page, live_server.url, writer)
    open_story(page, story_url(live_server.url, story))
    type_in_body(page, " Before the expiry.")
    status = page.locator("#desk-status")
    expect(status).to_contain_text("Saved to your working copy")
    wait_until(lambda: copies_hold(writer, story, "Before the expiry."))

    end_session(context)
    type_in_body(page, " Typed while signed out.")
    dialog = page.locator("#desk-signin")
    expect(dialog).to_be_visible()
    expect(status).to_contain_text("Not saved: you are signed out")
    # The status outlives the next refresh of the "saved … ago" line.
    ticks = int(page.locator("#story-desk").get_attribute("data-ticks") or 0)
    page.wait_for_function(
        f"() => Number(document.getElementById('story-desk').dataset.ticks) > {ticks}"
    )
    expect(status).to_contain_text("Not saved")
    expect(status).to_be_in_viewport()  # the sticky bar: seen while typing
    # Kept in the browser until the server has it.
    backup = page.evaluate(
        "prefix => Object.keys(localStorage).filter(k => k.startsWith(prefix))"
        ".map(k => localStorage.getItem(k)).join(' ')",
        f"newsroom-desk:{writer.pk}:",
    )
    assert "Typed while signed out." in backup

    dialog.locator("input[name=password]").fill("pw")
    dialog.locator("button[type=submit]").click()
    expect(dialog).to_be_hidden()
    expect(status).to_contain_text("Saved to your working copy")
    wait_until(lambda: copies_hold(writer, story, "Before the expiry.", "Typed while signed out."))

    type_in_body(page, " After signing in.")
    page.click("input[name=_save]")
    page.wait_for_url("**/admin/articles/article/")
    story.refresh_from_db()
    for phrase in ("Before the expiry.", "Typed while signed out.", "After signing in."):
        assert phrase in story.body
    assert errors == []


def test_signing_in_again_in_another_tab_lets_the_first_tab_save(
    live_server, new_context, fast_autosave
):
    """The advice people follow (sign in elsewhere) renews the first tab's CSRF token: Save
    works there, with what was typed while signed out."""
    writer = make_user(CONTRIBUTOR)
    story = make_article(created_by=writer, headline="Harbour plan")
    context = new_context()
    page, errors = open_page(context)
    log_in(page, live_server.url, writer)
    open_story(page, story_url(live_server.url, story))
    end_session(context)
    type_in_body(page, " Typed while signed out.")
    expect(page.locator("#desk-signin")).to_be_visible()

    other, other_errors = open_page(context)
    log_in(other, live_server.url, writer)
    expect(other.locator("#content")).to_be_visible()
    other.close()

    page.bring_to_front()
    expect(page.locator("#desk-signin")).to_be_hidden(timeout=15000)
    expect(page.locator("#desk-status")).to_contain_text("Saved to your working copy")
    page.click("input[name=_save]")
    page.wait_for_url("**/admin/articles/article/")
    story.refresh_from_db()
    assert "Typed while signed out." in story.body
    assert errors + other_errors == []


def test_two_tabs_of_one_story_keep_two_copies_and_say_so(live_server, new_context, fast_desk):
    writer = make_user(CONTRIBUTOR)
    story = make_article(created_by=writer, headline="Harbour plan")
    url = story_url(live_server.url, story)
    context = new_context()
    first, errors = open_page(context)
    log_in(first, live_server.url, writer)
    open_story(first, url)
    second, more_errors = open_page(context)
    open_story(second, url)
    for page in (first, second):
        expect(page.locator("#desk-presence")).to_contain_text(
            "You have this story open in another tab"
        )

    type_in_body(first, " Alpha words.")
    type_in_body(second, " Bravo words.")
    wait_until(lambda: copies_hold(writer, story, "Alpha words."))
    wait_until(lambda: copies_hold(writer, story, "Bravo words."))
    dialogs: list[str] = []
    for page in (first, second):
        page.on("dialog", lambda dialog: (dialogs.append(dialog.type), dialog.accept()))
        page.close(run_before_unload=True)
    assert dialogs == []

    page, last_errors = open_page(context)
    open_story(page, url)
    offers = page.locator("#desk-offer .desk-copy")
    expect(offers).to_have_count(2)
    expect(offers.locator("ins", has_text="Alpha words.")).to_have_count(1)
    expect(offers.locator("ins", has_text="Bravo words.")).to_have_count(1)

    offers.filter(has_text="Alpha words.").locator("button.desk-restore").click()
    expect(page.locator(".errorlist.nonfield")).to_contain_text("Restored your unsaved changes")
    page.wait_for_function("() => window.editors && window.editors.id_body")
    assert "Alpha words." in page.evaluate("() => window.editors.id_body.getData()")
    page.on("dialog", lambda dialog: dialog.accept())
    page.click("input[name=_save]")
    page.wait_for_url("**/admin/articles/article/")
    # The other tab's copy is still there, and still offered.
    assert copies_hold(writer, story, "Bravo words.")
    open_story(page, url)
    expect(page.locator("#desk-offer .desk-copy")).to_have_count(1)
    expect(page.locator("#desk-offer .desk-copy ins", has_text="Bravo")).to_have_count(1)
    assert errors + more_errors + last_errors == []


def test_two_new_stories_in_two_tabs_keep_their_own_copies(live_server, new_context, fast_desk):
    writer = make_user(CONTRIBUTOR)
    section = make_section()
    add_url = f"{live_server.url}/admin/articles/article/add/"
    context = new_context()
    first, errors = open_page(context)
    log_in(first, live_server.url, writer)
    open_story(first, add_url)
    second, more_errors = open_page(context)
    open_story(second, add_url)

    first.fill("#id_headline", "Ferries return")
    second.fill("#id_headline", "Bridge closes")
    type_in_body(second, "The bridge closes on Monday.")
    wait_until(lambda: WorkingCopy.objects.filter(user=writer, article=None).count() == 2)
    wait_until(
        lambda: (
            {c.data["headline"][0] for c in WorkingCopy.objects.filter(user=writer)}
            == {"Ferries return", "Bridge closes"}
        )
    )

    choose_section(first, section)
    type_in_body(first, "The ferries are back.")
    first.click("input[name=_save]")
    first.wait_for_url("**/admin/articles/article/")
    assert Article.objects.get().headline == "Ferries return"
    copy = WorkingCopy.objects.get(user=writer)
    assert copy.article is None and copy.data["headline"] == ["Bridge closes"]

    second.close(run_before_unload=False)
    open_story(first, add_url)
    expect(first.locator("#desk-offer .desk-copy")).to_have_count(1)
    expect(first.locator("#desk-offer")).to_contain_text("Bridge closes")
    assert errors + more_errors == []


def test_a_contributor_files_a_new_story_with_save_and_submit(live_server, tab):
    """One click from the sticky bar: the new story is saved and submitted."""
    writer = make_user(CONTRIBUTOR)
    section = make_section()
    log_in(tab, live_server.url, writer)
    open_story(tab, f"{live_server.url}/admin/articles/article/add/")
    tab.fill("#id_headline", "Ferries return")
    choose_section(tab, section)
    type_in_body(tab, "The ferries are back.")
    bar = tab.locator("#desk-bar")
    expect(bar).to_contain_text("New story")
    bar.locator("button[name=_step][value=submit]").click()
    expect(tab.locator(".messagelist")).to_contain_text("is now submitted")
    story = Article.objects.get()
    assert story.status == Status.SUBMITTED and "The ferries are back." in story.body
    assert story.created_by == writer
    assert not WorkingCopy.objects.filter(user=writer).exists()


def test_a_tab_closed_while_signed_out_is_offered_after_signing_in(
    live_server, new_context, fast_autosave
):
    """The words typed after the session ended were only in the browser: the next time the
    story is opened, they reach the server and are offered for restore."""
    writer = make_user(CONTRIBUTOR)
    story = make_article(created_by=writer, headline="Harbour plan")
    url = story_url(live_server.url, story)
    context = new_context()
    page, errors = open_page(context)
    log_in(page, live_server.url, writer)
    open_story(page, url)
    end_session(context)
    type_in_body(page, " Closed while signed out.")
    expect(page.locator("#desk-signin")).to_be_visible()
    assert not copies_hold(writer, story, "Closed while signed out.")
    page.on("dialog", lambda dialog: dialog.accept())  # "leave the page?": yes
    page.close(run_before_unload=True)

    page, more_errors = open_page(context)
    log_in(page, live_server.url, writer)
    open_story(page, url)
    page.locator("#desk-recovered a", has_text="Review them").click()
    expect(page.locator("#desk-offer ins", has_text="Closed while signed out.")).to_have_count(1)
    assert copies_hold(writer, story, "Closed while signed out.")
    assert errors + more_errors == []
