"""The theme unit test export's 21 pages become the newsroom's own pages: their hierarchy
(three levels, a child listed before its parent, Greek slugs), their old addresses, and a
second run that changes nothing."""

import re

from django.contrib.contenttypes.models import ContentType
from django.test import TestCase
from django.utils.html import escape
from reversion.models import Version

from articles.models import Status
from newsroom import richtext
from pages.models import Page
from tests.wordpress.test_theme_unit_export import EXPORT
from wordpress.importer import import_wordpress
from wordpress.models import ImportedItem, LegacyURL

PAGES = 21


def page_snapshot() -> dict:
    return {
        "pages": list(Page.objects.values_list("pk", "path", "modified_at", "version")),
        "versions": Version.objects.filter(
            content_type=ContentType.objects.get_for_model(Page)
        ).count(),
        "urls": list(LegacyURL.objects.values_list("path", "page_id", "article_id")),
    }


class ThemeUnitPagesTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.report = import_wordpress(EXPORT, fetch=False)

    def imported(self, page_id: int) -> Page:
        item = ImportedItem.objects.get(kind="page", wp_key=str(page_id))
        return Page.objects.get(pk=item.object_id)

    def test_every_page_is_imported_and_published_at_its_date(self):
        self.assertEqual(self.report.counts["pages"]["imported"], PAGES)
        self.assertEqual(Page.objects.live().count(), PAGES)
        about = self.imported(2)
        self.assertEqual(about.title, "About The Tests")
        self.assertEqual(about.publish_at.isoformat(), "2010-07-26T02:40:01+00:00")
        self.assertEqual(about.first_published_at, about.publish_at)
        self.assertIn("<p>", about.body)

    def test_the_hierarchy_is_kept_whatever_the_order_in_the_file(self):
        # Level 3 (172) comes before its parent Level 2 (173) and grandparent Level 1 (174).
        expected = {
            2: "about",
            155: "about/page-with-comments",
            1134: "about/page-markup-and-formatting",
            174: "level-1",
            173: "level-1/level-2",
            172: "level-1/level-2/level-3",
            746: "level-1/level-2/level-3a",
            744: "level-1/level-2b",
            1809: "greek",
            1813: "greek/epipedo-2/epipedo-3",  # percent-encoded Greek slugs, transliterated
        }
        for page_id, path in expected.items():
            with self.subTest(page=page_id):
                self.assertEqual(self.imported(page_id).path, path)
        self.assertEqual(self.imported(172).parent, self.imported(173))
        self.assertEqual(self.imported(172).parent.parent, self.imported(174))

    def test_a_top_level_page_is_served_at_its_address(self):
        response = self.client.get("/level-1/")
        self.assertContains(response, "<h1>Level 1</h1>", html=False)

    def test_every_live_page_renders_sanitised(self):
        for page in Page.objects.live():
            with self.subTest(page=page.path):
                self.assertEqual(page.body, richtext.sanitize(page.body))
                html = self.client.get(page.get_absolute_url()).content.decode()
                self.assertIn(f"<h1>{escape(page.title)}</h1>", html)
                for tag in re.findall(r"<script[^>]*>", html):
                    self.assertRegex(
                        tag, r'<script (type="application/ld\+json"|src="[^"]+" defer)'
                    )
                self.assertNotIn("<!-- wp:", html)
                self.assertNotRegex(html, r"<(iframe|object|embed|style)\b")
                self.assertNotRegex(html, r"\son\w+=")

    def test_old_addresses_redirect_to_the_new_pages(self):
        moved = {  # the guid kept the address the page had before it was put under About
            "/page-with-comments/": self.imported(155),
            "/?page_id=701": self.imported(701),
            "/?page_id=1811": self.imported(1811),
            "/?p=746": self.imported(746),  # WordPress answers ?p= for a page too
        }
        for old, page in moved.items():
            with self.subTest(old=old):
                response = self.client.get(old)
                self.assertRedirects(
                    response, page.get_absolute_url(), status_code=301,
                    fetch_redirect_response=False,
                )  # fmt: skip

    def test_an_old_address_that_is_the_new_one_does_not_redirect_to_itself(self):
        # /level-1/level-2/ is the page's WordPress permalink and its address here.
        page = self.imported(173)
        self.assertEqual(page.get_absolute_url(), "/level-1/level-2/")
        self.assertFalse(LegacyURL.objects.filter(path="/level-1/level-2").exists())
        self.assertNotEqual(self.client.get("/level-1/level-2/").status_code, 301)

    def test_a_second_run_changes_nothing(self):
        before = page_snapshot()
        again = import_wordpress(EXPORT, fetch=False)
        self.assertEqual(again.counts["pages"]["unchanged"], PAGES)
        self.assertEqual(again.counts["pages"]["imported"] + again.counts["pages"]["updated"], 0)
        self.assertEqual(page_snapshot(), before)

    def test_a_page_changed_in_wordpress_is_updated_in_place(self):
        # As if WordPress had it as "Lorem Ipsum" only since the last run.
        ImportedItem.objects.filter(kind="page", wp_key="146").update(fingerprint="older")
        Page.objects.filter(pk=self.imported(146).pk).update(title="Lorem")
        version = self.imported(146).version
        again = import_wordpress(EXPORT, fetch=False)
        self.assertEqual(again.counts["pages"]["updated"], 1)
        self.assertEqual(Page.objects.count(), PAGES)
        page = self.imported(146)
        self.assertEqual((page.title, page.version), ("Lorem Ipsum", version + 1))
        self.assertEqual(page.status, Status.PUBLISHED)
