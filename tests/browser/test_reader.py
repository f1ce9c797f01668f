"""A reader's path through the demo site in a real browser, by touch and by keyboard."""

import pytest

pytestmark = [pytest.mark.django_db(transaction=True)]


def test_expand_and_collapse_a_preview_then_read_the_story(demo_site, phone):
    phone.goto(demo_site + "/")
    teaser = phone.locator("article.teaser").filter(has=phone.locator("details.keep-reading"))
    teaser = teaser.first
    details, summary = teaser.locator("details"), teaser.locator("summary")
    more = teaser.locator(".more")
    assert not more.is_visible()
    assert summary.locator(".when-closed").is_visible()

    summary.click()
    assert details.get_attribute("open") is not None
    assert more.is_visible()
    assert summary.locator(".when-open").is_visible()  # "Show less"
    assert not summary.locator(".when-closed").is_visible()

    summary.click()
    assert details.get_attribute("open") is None and not more.is_visible()

    headline = teaser.locator("h3").inner_text()
    teaser.locator("p.full-story a").click()
    phone.wait_for_load_state()
    assert phone.locator("h1").inner_text() == headline
    shares = phone.locator("section.share a")
    hrefs = [shares.nth(i).get_attribute("href") for i in range(shares.count())]
    assert any(h.startswith("https://x.com/intent/post?") for h in hrefs)
    assert any(h.startswith("https://www.facebook.com/sharer/") for h in hrefs)
    assert any(h.startswith("https://www.linkedin.com/sharing/") for h in hrefs)
    assert any(h.startswith("https://bsky.app/intent/compose?") for h in hrefs)
    assert any(h.startswith("mailto:") for h in hrefs)
    assert phone.js_errors == []


def test_the_keyboard_alone_reaches_and_opens_a_preview(demo_site, desktop):
    desktop.goto(demo_site + "/")
    desktop.keyboard.press("Tab")
    focused = desktop.evaluate("document.activeElement.className")
    assert focused == "skip-link"
    desktop.keyboard.press("Enter")
    assert desktop.evaluate("location.hash") == "#main"

    for _ in range(40):  # Tab until a "keep reading" control has focus
        desktop.keyboard.press("Tab")
        if desktop.evaluate("document.activeElement.tagName") == "SUMMARY":
            break
    else:
        pytest.fail("No keep-reading control reachable with Tab")
    desktop.keyboard.press("Enter")
    assert desktop.evaluate("document.activeElement.parentElement.open") is True
    desktop.keyboard.press("Space")
    assert desktop.evaluate("document.activeElement.parentElement.open") is False
    outline = desktop.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"  # focus is visible


def test_no_horizontal_scrolling_at_320px_or_200_percent_zoom(demo_site, browser):
    context = browser.new_context(viewport={"width": 320, "height": 700})
    page = context.new_page()
    for path in ("/", "/europe/diplomacy-watch-ukraine-and-russia-are-quietly-talking/"):
        page.goto(demo_site + path)
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, path
    context.close()
