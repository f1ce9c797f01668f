"""Hostile rich text: no XSS vector saved through the admin runs on any page, with the
Content-Security-Policy turned off, so the markup itself is proven inert and the policy is a
second wall rather than the only one."""

import html
import re

import pytest

from newsroom import richtext
from tests import hostile_newsroom
from tests.browser.staff import log_in
from tests.xss_vectors import BEACON, vectors

pytestmark = [pytest.mark.django_db(transaction=True)]

# Markup that could run on a click, a hover or a later load. Allowed, because it is ours: our
# scripts (the site's, the audience beacon), the JSON-LD data blocks, the search form. Inline
# styles are returned apart and checked against richtext.allowed_style() (the page break's, an
# image's aspect ratio).
DOM_SCAN = """() => {
  const problems = [];
  const styles = [];
  const bad = /^(javascript|vbscript|data|livescript):/;
  const urlAttributes = ["href", "src", "action", "formaction", "xlink:href", "data", "srcdoc",
                         "background", "poster", "srcset", "dynsrc", "lowsrc", "url"];
  for (const el of document.querySelectorAll("*")) {
    const tag = el.localName;
    if (tag === "script" && !(el.type === "application/ld+json"
        || (el.src && /[/](newsroom[/]site|audience[/]beacon)[.]js$/
                        .test(new URL(el.src).pathname)))) {
      problems.push("script: " + el.outerHTML.slice(0, 120));
    }
    if (["iframe", "frame", "object", "embed", "base", "svg", "math", "style", "template",
         "textarea", "input", "select", "button", "video", "audio", "marquee"].includes(tag)
        && !el.closest("form.search-form")) {
      problems.push("element: " + el.outerHTML.slice(0, 120));
    }
    if (tag === "form" && !el.classList.contains("search-form")) problems.push("form");
    if (tag === "meta" && el.httpEquiv) problems.push("meta http-equiv: " + el.outerHTML);
    if (tag === "link" && el.closest("body")) problems.push("link in body: " + el.outerHTML);
    for (const attr of el.attributes) {
      const name = attr.name.toLowerCase();
      const value = attr.value.replace(/[\\u0000-\\u0020]/g, "").toLowerCase();
      if (name.startsWith("on")) problems.push(`${tag}[${name}]: ${attr.value.slice(0, 80)}`);
      if (urlAttributes.includes(name) && bad.test(value)) {
        problems.push(`${tag}[${name}=${attr.value.slice(0, 80)}]`);
      }
      if (name === "style") styles.push([tag, attr.value]);
    }
  }
  return [problems, styles];
}"""


class Witness:
    """Everything that would show a vector ran: dialogs, beacon requests, page errors,
    the window marker, a navigation away, and markup that could run on a click or hover."""

    def __init__(self, context):
        self.fired: list[str] = []
        self.inert_text: dict[str, int] = {}  # vectors on each page, shown as text
        context.on("request", self._request)

    def _request(self, request):
        if BEACON in request.url:
            self.fired.append(f"beacon {request.url}")

    def watch(self, page):
        page.on("dialog", lambda dialog: (self.fired.append(f"dialog {dialog.message}"),
                                          dialog.dismiss()))  # fmt: skip
        page.on("pageerror", lambda error: self.fired.append(f"page error {error}"))

    def visit(self, page, url: str) -> list[str]:
        """Load `url`, give timers, animations and autofocus a moment, report what ran."""
        before = len(self.fired)
        response = page.goto(url)
        assert response.status == 200, url
        assert "content-security-policy" not in response.headers, "the CSP must be off here"
        page.wait_for_load_state("networkidle")
        page.wait_for_timeout(150)
        found = self.fired[before:]
        if page.evaluate("() => window.xss !== undefined"):
            found.append(f"window.xss = {page.evaluate('() => window.xss')}")
        if page.url != url:
            found.append(f"navigated to {page.url}")
        if len(page.frames) != 1:
            found.append(f"{len(page.frames) - 1} frame(s)")
        self.inert_text[url] = page.inner_text("body").count("alert(")
        problems, styles = page.evaluate(DOM_SCAN)
        found += problems
        found += [f"{tag}[style={s}]" for tag, s in styles if not richtext.allowed_style(tag, s)]
        return found


@pytest.fixture
def without_csp(settings):
    settings.CONTENT_SECURITY_POLICY = None


def open_context(browser):
    # bypass_csp too: whatever headers the server sends, the page alone must be inert.
    context = browser.new_context(bypass_csp=True)
    witness = Witness(context)
    page = context.new_page()
    witness.watch(page)
    return context, page, witness


def test_the_witness_sees_the_corpus_run_when_it_is_not_sanitised(browser, live_server):
    """The control: served raw, the vectors do run in this Chromium and are caught, so a
    clean result on our pages means something."""
    context, page, witness = open_context(browser)
    frames = "".join(
        f'<iframe srcdoc="{html.escape(v.html)}"></iframe>' for v in vectors("/missing.jpg")
    )

    def serve_raw(route):
        route.fulfill(status=200, content_type="text/html", body=f"<!doctype html>{frames}")

    context.route("**/raw-corpus/", serve_raw)
    page.goto(f"{live_server.url}/raw-corpus/")
    page.wait_for_timeout(1000)  # not "network idle": some vectors keep the network busy
    fired = {m for entry in witness.fired for m in re.findall(r"(?:dialog |id=)(\d+)", entry)}
    context.close()
    corpus = vectors()
    print(f"{len(fired)} of {len(corpus)} vectors run when served raw, without a click")
    assert len(fired) >= 80
    # Every category has vectors that really run (javascript: links need a click, and the
    # mutation vectors target sanitisers, so not all of them run on their own).
    assert {v.category for v in corpus if str(v.number) in fired} == {v.category for v in corpus}


def test_no_vector_runs_on_any_reader_page_or_staff_preview(browser, live_server, without_csp):
    newsroom = hostile_newsroom.build()
    context, page, witness = open_context(browser)
    ran = {path: witness.visit(page, live_server.url + path) for path in newsroom.reader_paths()}
    shown = witness.inert_text
    context.close()

    context, page, witness = open_context(browser)
    log_in(page, live_server.url, newsroom.editor)
    ran |= {path: witness.visit(page, live_server.url + path) for path in newsroom.preview_paths()}
    shown |= witness.inert_text
    context.close()

    problems = {path: found for path, found in ran.items() if found}
    assert not problems, "\n".join(f"{path}: {found}" for path, found in problems.items())
    # home, section, series, two authors, two tags, two searches, corrections; each story twice
    assert len(ran) == 10 + 2 * hostile_newsroom.STORIES
    # and every page did show the hostile text, as text
    assert all(count > 0 for count in shown.values()), shown
    print(f"{len(ran)} pages, {sum(shown.values())} vectors shown as inert text, none ran")
