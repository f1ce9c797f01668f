"""axe-core scans of the main page types: no serious or critical violations."""

from datetime import date

import pytest
from axe_playwright_python.sync_playwright import Axe

from articles.models import Status
from articles.roles import PUBLISHER
from tests.browser.staff import log_in
from tests.factories import make_page, make_user

pytestmark = [pytest.mark.django_db(transaction=True)]

PAGES = [
    "/",
    "/europe/diplomacy-watch-ukraine-and-russia-are-quietly-talking/",
    "/sections/europe/",
    "/authors/mara-lindqvist/",
    "/europe/how-ports-are-cutting-their-emissions/",  # sponsored: label and disclosure
    "/search/?q=peace",
    "/contact/",
]


def serious_violations(page, base_url: str, paths) -> dict:
    """The serious and critical axe findings on each of `paths`, by path."""
    axe = Axe()
    problems = {}
    for path in paths:
        page.goto(base_url + path)
        results = axe.run(page, options={"runOnly": ["wcag2a", "wcag2aa", "wcag21aa",
                                                     "wcag22aa", "best-practice"]})  # fmt: skip
        serious = [
            (v["id"], v["help"], [n["target"] for n in v["nodes"]][:3])
            for v in results.response["violations"]
            if v["impact"] in ("serious", "critical")
        ]
        if serious:
            problems[path] = serious
    return problems


def test_main_pages_have_no_serious_accessibility_violations(demo_site, desktop):
    assert serious_violations(desktop, demo_site, PAGES) == {}


def test_a_page_and_its_desk_form_have_no_serious_accessibility_violations(demo_site, desktop):
    """The newsroom's own pages (pages/), as readers see one and as staff write one."""
    policies = make_page(status=Status.PUBLISHED, slug="policies", title="Policies")
    make_page(status=Status.PUBLISHED, slug="corrections", parent=policies,
              title="Corrections policy", body="<h2>When we correct</h2><p>At once.</p>",
              last_reviewed=date(2026, 11, 2))  # fmt: skip
    assert serious_violations(desktop, demo_site, ["/policies/corrections/"]) == {}
    log_in(desktop, demo_site, make_user(PUBLISHER))
    desk = [f"/admin/pages/page/{policies.pk}/change/", "/admin/pages/page/"]
    assert serious_violations(desktop, demo_site, desk) == {}
