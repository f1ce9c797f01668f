"""The real CKEditor 5 gives back, unchanged, every piece of tests/articles/test_editor_output.py:
so that corpus is what our editor produces, and the sanitiser keeps all of it."""

import pytest

from articles.roles import CONTRIBUTOR
from tests.articles.test_editor_output import EDITOR_OUTPUT
from tests.browser.staff import log_in
from tests.factories import make_user

pytestmark = [pytest.mark.django_db(transaction=True)]


def test_the_editor_produces_exactly_the_formatting_the_sanitiser_keeps(live_server, desktop):
    writer = make_user(CONTRIBUTOR)
    log_in(desktop, live_server.url, writer)
    desktop.goto(f"{live_server.url}/admin/articles/article/add/")
    desktop.wait_for_function("() => window.editors && window.editors.id_body")
    round_trip = (
        "html => { const e = window.editors.id_body; e.setData(html); return e.getData(); }"
    )
    given_back = {name: desktop.evaluate(round_trip, html) for name, html in EDITOR_OUTPUT.items()}
    assert given_back == EDITOR_OUTPUT
    # Tables come from the toolbar, not only from pasting.
    assert desktop.locator(".field-body .ck-toolbar [data-cke-tooltip-text='Insert table']").count()
    # Nothing in the editor produces what the sanitiser would silently drop on save.
    loaded = desktop.evaluate(
        "() => Array.from(window.editors.id_body.plugins).map(([k]) => k.pluginName)"
    )
    for dropped in ("HtmlEmbed", "SourceEditing", "GeneralHtmlSupport", "FontColor", "CodeBlock"):
        assert dropped not in loaded
