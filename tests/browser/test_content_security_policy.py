"""Nothing on the public pages or in the story editor breaks the Content-Security-Policy."""

import pytest

from articles.roles import EDITOR
from tests.browser.staff import log_in
from tests.factories import make_user

pytestmark = [pytest.mark.django_db(transaction=True)]


def violations_on(page, url) -> list[str]:
    found = []
    page.on("console", lambda m: found.append(m.text) if "Content Security Policy" in m.text
            else None)  # fmt: skip
    page.goto(url)
    page.wait_for_load_state("networkidle")
    return found


def test_public_pages_run_under_the_strict_policy(demo_site, desktop):
    for path in ("/", "/europe/diplomacy-watch-ukraine-and-russia-are-quietly-talking/",
                 "/search/?q=peace"):  # fmt: skip
        assert violations_on(desktop, demo_site + path) == [], path


def test_the_story_editor_works_under_the_admin_policy(demo_site, desktop):
    editor = make_user(EDITOR)
    log_in(desktop, demo_site, editor)
    found = violations_on(desktop, f"{demo_site}/admin/articles/article/add/")
    assert desktop.locator(".ck-editor").count() == 2  # body and teaser editors loaded
    assert found == []
