"""axe-core scans of the main page types: no serious or critical violations."""

import pytest
from axe_playwright_python.sync_playwright import Axe

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


def test_main_pages_have_no_serious_accessibility_violations(demo_site, desktop):
    axe = Axe()
    problems = {}
    for path in PAGES:
        desktop.goto(demo_site + path)
        results = axe.run(desktop, options={"runOnly": ["wcag2a", "wcag2aa", "wcag21aa",
                                                        "wcag22aa", "best-practice"]})  # fmt: skip
        serious = [
            (v["id"], v["help"], [n["target"] for n in v["nodes"]][:3])
            for v in results.response["violations"]
            if v["impact"] in ("serious", "critical")
        ]
        if serious:
            problems[path] = serious
    assert problems == {}
