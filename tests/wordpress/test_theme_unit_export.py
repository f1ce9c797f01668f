"""Importing WordPress's own theme unit test export: deliberately awkward content (no titles,
markup in titles, nested lists, galleries, captions, embeds, a password-protected post, a
scheduled one), two generations of the editor, and 37 attachments."""

import io
import re
import shutil
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

from django.core.management import call_command
from django.test import TestCase
from reversion.models import Version
from taggit.models import Tag

from articles.models import Article, Author, FrontPageSlot, Status
from media.models import Image
from newsroom import richtext
from sections.models import Section
from tests.images import jpeg_bytes
from wordpress import wxr
from wordpress.importer import import_wordpress
from wordpress.models import ImportedItem, LegacyURL
from wordpress.uploads import IMAGE_EXTENSIONS, uploads_relative_path

EXPORT = Path(__file__).parent / "data" / "themeunittestdata.wordpress.xml"  # see data/SOURCE.md
LIVE_POSTS = 55  # 56 published, less the password-protected one
PICTURES = 35  # 37 attachments, less an .mp3 and a .mov


def media_dir_for(export: Path) -> Path:
    """A stand-in for the site's wp-content/uploads: a distinct small JPEG at every path the
    export's picture attachments name."""
    root = Path(tempfile.mkdtemp(prefix="wp-uploads-"))
    for n, record in enumerate(wxr.records(export)):
        if isinstance(record, wxr.Item) and record.post_type == "attachment":
            relative = uploads_relative_path(record)
            if Path(relative).suffix.lower() in IMAGE_EXTENSIONS:
                target = root / relative
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(jpeg_bytes(size=(64, 48), colour=(n * 7 % 256, n % 256, 90)))
    return root


def snapshot() -> dict:
    """What a re-run must leave exactly as it was."""
    return {
        "articles": list(Article.objects.values_list("pk", "modified_at", "version")),
        "versions": Version.objects.count(),
        "images": Image.objects.count(),
        "tags": Tag.objects.count(),
        "urls": LegacyURL.objects.count(),
        "slots": FrontPageSlot.objects.count(),
    }


def run_command(*args) -> str:
    out = io.StringIO()
    call_command("import_wordpress", str(EXPORT), *args, stdout=out)
    return out.getvalue()


class ThemeUnitExportTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.uploads = media_dir_for(EXPORT)
        cls.output = run_command("--media-dir", str(cls.uploads), "--no-fetch")

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.uploads, ignore_errors=True)
        super().tearDownClass()

    def imported(self, post_id: int) -> Article:
        item = ImportedItem.objects.get(kind="article", wp_key=str(post_id))
        return Article.objects.get(pk=item.object_id)

    def test_counts_of_everything_imported(self):
        self.assertEqual(Article.objects.count(), 58)
        self.assertEqual(Article.objects.live().count(), LIVE_POSTS)
        self.assertEqual(Article.objects.scheduled().count(), 1)
        self.assertEqual(Article.objects.filter(status=Status.DRAFT).count(), 2)
        self.assertEqual(Section.objects.count(), 68)
        self.assertEqual(ImportedItem.objects.filter(kind="tag").count(), 110)
        self.assertEqual(Author.objects.count(), 2)
        self.assertEqual(Image.objects.count(), PICTURES)

    def test_report_counts_and_names_what_was_left_behind(self):
        rows = {line.split()[0]: line.split()[1:] for line in self.output.splitlines()[3:11]}
        self.assertEqual(rows["posts"][:2], ["58", "0"])  # imported, updated
        self.assertEqual(rows["pages"][:4], ["21", "0", "0", "0"])  # imported … skipped
        self.assertEqual(rows["menus"][3], "70")
        self.assertEqual(rows["comments"][3], "33")
        self.assertNotIn("pages are not imported", self.output)
        self.assertIn("posts 358 “Post Format: Standard”: unknown shortcode [simple]", self.output)
        self.assertIn("posts 1168", self.output)  # password-protected: named in the report
        self.assertIn("294 imported, 0 updated, 0 unchanged, 105 skipped, 0 missing", self.output)

    def test_status_mapping(self):
        scheduled = self.imported(1153)
        self.assertTrue(scheduled.is_scheduled)
        self.assertEqual(scheduled.publish_at.isoformat(), "2030-01-01T19:00:18+00:00")
        self.assertEqual(self.imported(1164).status, Status.DRAFT)
        protected = self.imported(1168)
        self.assertEqual(protected.status, Status.DRAFT)
        self.assertIn("password-protected", protected.transitions.get().comment)
        sticky = self.imported(1241)
        self.assertTrue(FrontPageSlot.objects.filter(article=sticky).exists())

    def test_dates_come_from_the_gmt_column(self):
        # post_date 2013-01-11 20:22:19 in the site's zone, post_date_gmt 2013-01-12 03:22:19.
        story = self.imported(1178)
        self.assertEqual(story.publish_at.isoformat(), "2013-01-12T03:22:19+00:00")
        self.assertEqual(story.first_published_at, story.publish_at)

    def test_titles_are_text_and_an_empty_title_gets_a_headline(self):
        self.assertEqual(self.imported(1173).headline, "Markup: Title With Markup")
        self.assertEqual(self.imported(1169).headline, "(untitled)")

    def test_more_tag_becomes_the_keep_reading_break(self):
        body = self.imported(996).body
        self.assertTrue(richtext.has_break(body))
        before, after = richtext.split_at_break(body)
        self.assertIn("before the", before)
        self.assertIn("after the more tag", after)

    def test_excerpt_becomes_the_teaser(self):
        self.assertIn("<p>", self.imported(993).teaser)
        self.assertTrue(richtext.plain_text(self.imported(993).teaser))

    def test_category_hierarchy_is_kept(self):
        grandchild = Section.objects.get(name="Grandchild Category")
        self.assertEqual(grandchild.parent.name, "Child Category 03")
        self.assertEqual(grandchild.parent.parent.name, "Parent Category")

    def test_featured_images_become_lead_images_and_body_pictures_the_library(self):
        story = self.imported(1011)  # featured image: attachment 1022
        image = Image.objects.get(
            pk=ImportedItem.objects.get(kind="image", wp_key="1022").object_id
        )
        self.assertEqual(story.lead_image, image)
        bell = self.imported(1163).body  # [caption] around attachment 754
        bell_image = Image.objects.get(
            pk=ImportedItem.objects.get(kind="image", wp_key="754").object_id
        )
        self.assertIn(f'<img src="{bell_image.file.url}"', bell)
        self.assertIn("<figcaption>Bell on wharf in San Francisco</figcaption>", bell)
        self.assertNotIn("wordpress.com", bell)

    def test_gallery_shows_the_library_pictures(self):
        body = self.imported(1031).body  # [gallery ids="755,757,758,760,766,763"]; no 763
        self.assertEqual(body.count('<figure class="image">'), 5)

    def test_every_live_post_renders_sanitised(self):
        allowed_scripts = re.compile(r'<script (type="application/ld\+json"|src="[^"]+" defer)')
        for story in Article.objects.live().select_related("section"):
            with self.subTest(story=story.headline):
                self.assertEqual(story.body, richtext.sanitize(story.body))
                response = self.client.get(story.get_absolute_url())
                self.assertEqual(response.status_code, 200)
                page = response.content.decode()
                for tag in re.findall(r"<script[^>]*>", page):
                    self.assertRegex(tag, allowed_scripts)
                self.assertNotIn("<!-- wp:", page)
                self.assertNotIn("[caption", page)
                self.assertNotRegex(page, r"<(iframe|object|embed|style)\b")
                self.assertNotRegex(page, r"\son\w+=")

    def test_old_addresses_redirect_to_the_story(self):
        for record in wxr.records(EXPORT):
            if not isinstance(record, wxr.Item) or record.post_type != "post":
                continue
            story = self.imported(int(record.post_id))
            with self.subTest(post=record.post_id):
                for path in (urlsplit(record.link).path, f"/?p={record.post_id}"):
                    if path == "/":
                        continue
                    response = self.client.get(path)
                    if story.is_live():
                        self.assertRedirects(
                            response, story.get_absolute_url(), status_code=301,
                            fetch_redirect_response=False,
                        )  # fmt: skip
                    else:  # a draft, scheduled or protected story is not revealed
                        self.assertIn(response.status_code, (200, 404))  # /?? is the home page
                        self.assertNotIn(story.get_absolute_url(), response.content.decode())

    def test_dated_permalink_and_old_image_addresses_redirect(self):
        story = self.imported(163)  # its <link> has no date; the dated form still works
        response = self.client.get("/2023/01/16/wp-6-1-font-size-scale/")
        self.assertRedirects(
            response, story.get_absolute_url(), status_code=301, fetch_redirect_response=False
        )
        image = Image.objects.get(pk=ImportedItem.objects.get(kind="image", wp_key="611").object_id)
        for old in ("/2008/06/canola2.jpg", "/2008/06/canola2-300x200.jpg"):
            response = self.client.get(old)
            self.assertEqual(response.status_code, 301, old)
            self.assertEqual(response["Location"], image.file.url)
        self.assertEqual(self.client.get("/2099/01/01/no-such-post/").status_code, 404)

    def test_a_second_run_changes_nothing(self):
        before = snapshot()
        output = run_command("--media-dir", str(self.uploads), "--no-fetch")
        self.assertIn("0 imported, 0 updated, 294 unchanged", output)
        self.assertEqual(snapshot(), before)

    def test_a_changed_post_is_updated_in_place(self):
        item = ImportedItem.objects.get(kind="article", wp_key="1178")
        item.fingerprint = "changed in WordPress since"
        item.save()
        output = run_command("--media-dir", str(self.uploads), "--no-fetch")
        self.assertIn("0 imported, 1 updated", output)
        self.assertEqual(Article.objects.count(), 58)


class MissingFilesTests(TestCase):
    def test_without_the_files_attachments_are_recorded_missing_and_posts_still_import(self):
        report = import_wordpress(EXPORT, fetch=False)
        self.assertEqual(report.counts["images"]["missing"], PICTURES)
        self.assertEqual(report.counts["posts"]["imported"], 58)
        self.assertEqual(Image.objects.count(), 0)
        self.assertIsNone(
            Article.objects.get(headline="Template: Featured Image (Vertical)").lead_image
        )
        self.assertTrue(any("file missing" in str(p) for p in report.problems))
        # A later run with the files finds them.
        uploads = media_dir_for(EXPORT)
        try:
            again = import_wordpress(EXPORT, media_dir=uploads, fetch=False)
        finally:
            shutil.rmtree(uploads)
        self.assertEqual(again.counts["images"]["imported"], PICTURES)
        self.assertGreater(again.counts["posts"]["updated"], 0)

    def test_dry_run_changes_nothing_and_reports_the_same(self):
        dry = import_wordpress(EXPORT, fetch=False, dry_run=True)
        self.assertEqual(Article.objects.count() + Section.objects.count(), 0)
        self.assertEqual(ImportedItem.objects.count() + LegacyURL.objects.count(), 0)
        real = import_wordpress(EXPORT, fetch=False)
        self.assertEqual(dry.counts, real.counts)
        self.assertEqual([str(p) for p in dry.problems], [str(p) for p in real.problems])

    def test_dry_run_with_the_files_reports_what_the_import_will(self):
        uploads = media_dir_for(EXPORT)
        try:
            dry = import_wordpress(EXPORT, media_dir=uploads, fetch=False, dry_run=True)
            self.assertEqual(Image.objects.count() + Article.objects.count(), 0)
            real = import_wordpress(EXPORT, media_dir=uploads, fetch=False)
        finally:
            shutil.rmtree(uploads)
        self.assertEqual(dry.counts, real.counts)
        self.assertEqual([str(p) for p in dry.problems], [str(p) for p in real.problems])
