"""Hand-made exports for what the theme unit data does not have: co-authors, credits in
captions, files fetched from the old site, bad files and bad items, interrupted runs."""

import io
import threading
from functools import partial
from http.server import HTTPServer, SimpleHTTPRequestHandler

import pytest
from django.core.management import CommandError, call_command

from articles.models import Article, Author, Byline, Status
from media.models import Image
from tests.images import jpeg_bytes
from wordpress import posts as wordpress_posts
from wordpress.importer import import_wordpress
from wordpress.models import ImportedItem, LegacyURL
from wordpress.sample import Post, write_wxr

pytestmark = pytest.mark.django_db


def export(tmp_path, name="export.xml", **content):
    path = tmp_path / name
    with path.open("w", encoding="utf-8") as stream:
        write_wxr(stream, **content)
    return path


def story(post_id=10, **fields):
    defaults = {
        "title": f"Diplomacy Watch {post_id}",
        "slug": f"diplomacy-watch-{post_id}",
        "content": "First paragraph.\n\nSecond paragraph.",
        "categories": [("world", "World")],
    }
    return Post(post_id=post_id, **{**defaults, **fields})


def test_co_authors_become_ordered_bylines_and_guest_bios_are_kept(tmp_path):
    guest = Post(
        post_id=90, title="Jane Guest", slug="cap-jguest", post_type="guest-author",
        status="publish",
        meta={
            "cap-user_login": "jguest", "cap-display_name": "Jane Guest",
            "cap-description": "Jane covers the Caucasus.",
            "cap-user_email": "jane@private.example",
        },
    )  # fmt: skip
    post = story(coauthors=[("cap-jguest", "Jane Guest"), ("cap-editor", "Ed Itor")])
    import_wordpress(export(tmp_path, items=[guest, post]), fetch=False)
    article = Article.objects.get()
    names = [b.author.name for b in Byline.objects.filter(article=article).order_by("order")]
    assert names == ["Jane Guest", "Ed Itor"]
    jane = Author.objects.get(name="Jane Guest")
    assert jane.bio == "Jane covers the Caucasus."
    assert jane.email == ""  # a login email is private: kept with the import record only
    assert ImportedItem.objects.get(kind="author", wp_key="jguest").details["email"]


def test_credit_in_an_attachment_caption_becomes_the_image_credit(tmp_path):
    uploads = tmp_path / "uploads" / "2022" / "06"
    uploads.mkdir(parents=True)
    (uploads / "summit.jpg").write_bytes(jpeg_bytes(size=(80, 60)))
    picture = Post(
        post_id=20, title="Summit", slug="summit", post_type="attachment", status="inherit",
        excerpt="Leaders arrive at the summit. Alex Edelman/Pool via REUTERS",
        attachment_url="https://old.example.org/wp-content/uploads/2022/06/summit.jpg",
        meta={"_wp_attachment_image_alt": "Leaders on a red carpet"},
    )  # fmt: skip
    body = (
        '[caption id="attachment_20" width="600"]<img class="wp-image-20" '
        'src="https://old.example.org/wp-content/uploads/2022/06/summit-600x400.jpg" /> '
        "Leaders arrive. (Photo: Alex Edelman/Pool via REUTERS)[/caption]\n\nText."
    )
    post = story(content=body, meta={"_thumbnail_id": "20"})
    import_wordpress(export(tmp_path, items=[picture, post]), media_dir=tmp_path / "uploads")
    image = Image.objects.get()
    assert image.credit == "Alex Edelman/Pool via REUTERS"
    assert image.caption == "Leaders arrive at the summit."
    assert image.alt_text == "Leaders on a red carpet"
    article = Article.objects.get()
    assert article.lead_image == image
    assert f'<img src="{image.file.url}" alt="Leaders on a red carpet">' in article.body
    assert "<figcaption>Leaders arrive.</figcaption>" in article.body


@pytest.fixture
def old_site(tmp_path):
    """The old WordPress site, still up: a static server on loopback with one upload."""
    root = tmp_path / "site"
    (root / "wp-content" / "uploads" / "2022").mkdir(parents=True)
    (root / "wp-content" / "uploads" / "2022" / "map.png").write_bytes(
        jpeg_bytes(size=(50, 40), colour=(10, 200, 30))
    )
    handler = partial(SimpleHTTPRequestHandler, directory=str(root))
    handler.log_message = lambda *args: None
    server = HTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


def test_attachments_are_fetched_from_the_old_site_when_it_answers(tmp_path, old_site, settings):
    settings.WORDPRESS_FETCH_PRIVATE_ADDRESSES = True  # the "old site" here is on loopback
    items = [
        Post(
            post_id=30, title="Map", slug="map", post_type="attachment", status="inherit",
            attachment_url=f"{old_site}/wp-content/uploads/2022/map.png",
        ),
        Post(
            post_id=31, title="Gone", slug="gone", post_type="attachment", status="inherit",
            attachment_url=f"{old_site}/wp-content/uploads/2022/gone.jpg",
        ),
    ]  # fmt: skip
    report = import_wordpress(export(tmp_path, items=items))
    assert report.counts["images"]["imported"] == 1
    assert report.counts["images"]["missing"] == 1
    assert any("31" == p.wp_id and "file missing" in p.message for p in report.problems)
    assert Image.objects.get().title == "Map"


def test_a_file_that_is_not_a_valid_image_is_reported_not_imported(tmp_path):
    (tmp_path / "uploads").mkdir()
    (tmp_path / "uploads" / "fake.jpg").write_bytes(b"<?php system($_GET['c']); ?>")
    item = Post(
        post_id=40, title="Fake", slug="fake", post_type="attachment", status="inherit",
        attachment_url="https://old.example.org/wp-content/uploads/fake.jpg",
    )  # fmt: skip
    report = import_wordpress(export(tmp_path, items=[item]), media_dir=tmp_path / "uploads")
    assert report.counts["images"]["failed"] == 1
    assert Image.objects.count() == 0


def test_media_dir_cannot_be_escaped_by_a_hostile_path(tmp_path):
    (tmp_path / "secret.jpg").write_bytes(jpeg_bytes())
    (tmp_path / "uploads").mkdir()
    item = Post(
        post_id=41, title="Escape", slug="escape", post_type="attachment", status="inherit",
        attachment_url="https://old.example.org/wp-content/uploads/../../secret.jpg",
        meta={"_wp_attached_file": "../secret.jpg"},
    )  # fmt: skip
    report = import_wordpress(
        export(tmp_path, items=[item]), media_dir=tmp_path / "uploads", fetch=False
    )
    assert report.counts["images"]["missing"] == 1
    assert Image.objects.count() == 0


def test_a_bad_item_is_reported_and_skipped_and_never_half_imported(tmp_path, monkeypatch):
    original = Byline.objects.bulk_create

    def failing_bulk_create(objs, *args, **kwargs):
        objs = list(objs)
        if objs and objs[0].article.headline == "Diplomacy Watch 11":
            raise RuntimeError("disk full")
        return original(objs, *args, **kwargs)

    monkeypatch.setattr(Byline.objects, "bulk_create", failing_bulk_create)
    path = export(tmp_path, items=[story(10), story(11), story(12)])
    report = import_wordpress(path, fetch=False)
    assert report.counts["posts"]["imported"] == 2
    assert report.counts["posts"]["failed"] == 1
    failure = next(p for p in report.problems if p.wp_id == "11")
    assert failure.title == "Diplomacy Watch 11" and "disk full" in failure.message
    # Nothing of post 11 was left behind: no story, no record, no redirect.
    assert not Article.objects.filter(headline="Diplomacy Watch 11").exists()
    assert not ImportedItem.objects.filter(kind="article", wp_key="11").exists()
    assert not LegacyURL.objects.filter(path__contains="diplomacy-watch-11").exists()
    monkeypatch.undo()
    again = import_wordpress(path, fetch=False)
    assert (again.counts["posts"]["imported"], again.counts["posts"]["unchanged"]) == (1, 2)


def test_an_interrupted_import_keeps_what_it_finished_and_resumes(tmp_path, monkeypatch):
    path = export(tmp_path, items=[story(n) for n in range(10, 16)])
    original, seen = wordpress_posts.PostImporter.post, []

    def interrupted(self, record):
        if len(seen) == 3:
            raise KeyboardInterrupt  # Ctrl-C, or the machine going down
        seen.append(record.post_id)
        original(self, record)

    monkeypatch.setattr(wordpress_posts.PostImporter, "post", interrupted)
    with pytest.raises(KeyboardInterrupt):
        import_wordpress(path, fetch=False)
    assert Article.objects.count() == 3
    monkeypatch.undo()
    report = import_wordpress(path, fetch=False)
    assert (report.counts["posts"]["unchanged"], report.counts["posts"]["imported"]) == (3, 3)
    assert Article.objects.count() == 6


def test_truncated_export_is_refused_naming_the_line_before_anything_is_imported(tmp_path):
    whole = export(tmp_path, items=[story(n) for n in range(10, 30)]).read_text()
    truncated = tmp_path / "truncated.xml"
    truncated.write_text(whole[: len(whole) * 2 // 3])
    with pytest.raises(CommandError, match=r"not well-formed XML at line \d+, column \d+"):
        call_command("import_wordpress", str(truncated), stdout=io.StringIO())
    assert Article.objects.count() + ImportedItem.objects.count() + Author.objects.count() == 0


def test_malformed_markup_is_refused_with_its_line(tmp_path):
    broken = tmp_path / "broken.xml"
    broken.write_text(
        export(tmp_path, items=[story(10)]).read_text().replace("</title>", "</titel>", 2)
    )
    with pytest.raises(CommandError, match="line 7"):
        call_command("import_wordpress", str(broken), stdout=io.StringIO())


@pytest.mark.parametrize(
    "text, message",
    [
        ('<?xml version="1.0"?><feed><entry/></feed>', "not a WordPress export"),
        ('<?xml version="1.0"?><rss><channel><title>x</title></channel></rss>', "wxr_version"),
        (
            '<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "aaaaaaaaaa">'
            '<!ENTITY b "&a;&a;&a;&a;&a;&a;">]><rss><channel>&b;</channel></rss>',
            "DTD or entities",
        ),
        ("", "not well-formed XML at line 1"),
    ],
)
def test_files_that_are_not_wordpress_exports_are_refused(tmp_path, text, message):
    path = tmp_path / "not-wxr.xml"
    path.write_text(text)
    with pytest.raises(CommandError, match=message):
        call_command("import_wordpress", str(path), stdout=io.StringIO())


def test_a_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="No such file"):
        call_command("import_wordpress", str(tmp_path / "nope.xml"), stdout=io.StringIO())


def test_sticky_posts_become_front_page_picks_once(tmp_path):
    from articles.models import FrontPageSlot

    path = export(tmp_path, items=[story(10, sticky=True), story(11)])
    import_wordpress(path, fetch=False)
    import_wordpress(path, fetch=False)
    assert list(FrontPageSlot.objects.values_list("position", "article__headline")) == [
        (1, "Diplomacy Watch 10")
    ]


def test_local_dates_use_the_sites_time_zone_when_gmt_is_missing(tmp_path):
    from zoneinfo import ZoneInfo

    post = story(date="2022-06-24 09:30:00", date_gmt="0000-00-00 00:00:00")
    import_wordpress(export(tmp_path, items=[post]), fetch=False, tz=ZoneInfo("America/New_York"))
    assert Article.objects.get().publish_at.isoformat() == "2022-06-24T13:30:00+00:00"


def test_old_category_tag_and_author_archives_redirect(client, tmp_path):
    post = story(tags=[("iran", "Iran")])
    import_wordpress(export(tmp_path, items=[post]), fetch=False)
    for old, new in (
        ("/category/world/", "/sections/world/"),
        ("/tag/iran/", "/tags/iran/"),
        ("/author/editor/", Author.objects.get().get_absolute_url()),
        ("/2022/06/24/diplomacy-watch-10/", Article.objects.get().get_absolute_url()),
        ("/2022/06/diplomacy-watch-10", Article.objects.get().get_absolute_url()),
    ):
        response = client.get(old)
        assert (response.status_code, response["Location"]) == (301, new), old


def test_a_post_changed_in_wordpress_is_updated_and_its_old_address_kept(client, tmp_path):
    import_wordpress(export(tmp_path, items=[story(10)]), fetch=False)
    first = Article.objects.get()
    old_url = first.get_absolute_url()
    changed = story(10, title="Diplomacy Watch: the talks resume", slug="talks-resume")
    report = import_wordpress(export(tmp_path, items=[changed]), fetch=False)
    assert report.counts["posts"]["updated"] == 1
    article = Article.objects.get()
    assert (article.pk, article.headline, article.slug) == (
        first.pk,
        "Diplomacy Watch: the talks resume",
        "talks-resume",
    )
    assert article.version == first.version + 1  # a form opened before is refused
    assert client.get(old_url)["Location"] == article.get_absolute_url()
    assert client.get("/2022/06/24/diplomacy-watch-10/")["Location"] == article.get_absolute_url()


@pytest.mark.parametrize(
    "address",
    [
        "/%00/",
        "/2022/06/24/%00x/",
        "/?p=%00",
        "/?p=²",
        "/?p=99999999999999999999999",
        "/" + "a" * 5000,
    ],
)
def test_hostile_old_addresses_are_a_plain_not_found(client, tmp_path, address):
    import_wordpress(export(tmp_path, items=[story(10)]), fetch=False)
    assert client.get(address).status_code in (200, 404)


def test_attachments_on_private_addresses_are_not_fetched(tmp_path, old_site):
    item = Post(
        post_id=30, title="Map", slug="map", post_type="attachment", status="inherit",
        attachment_url=f"{old_site}/wp-content/uploads/2022/map.png",
    )  # fmt: skip
    report = import_wordpress(export(tmp_path, items=[item]))
    assert report.counts["images"]["missing"] == 1
    assert "private network address" in report.problems[0].message


def test_non_latin_categories_and_tags_stay_apart(client, tmp_path):
    items = [
        story(10, categories=[("%d1%81%d0%bf%d0%be%d1%80%d1%82", "Спорт")],
              tags=[("%d1%84%d1%83%d1%82%d0%b1%d0%be%d0%bb", "футбол")]),
        story(11, categories=[("%d0%bf%d0%be%d0%bb%d0%b8%d1%82%d0%b8%d0%ba%d0%b0", "Политика")],
              tags=[("%d0%b2%d1%8b%d0%b1%d0%be%d1%80%d1%8b", "выборы")]),
    ]  # fmt: skip
    report = import_wordpress(export(tmp_path, items=items), fetch=False)
    assert not report.problems
    sport = Article.objects.get(headline="Diplomacy Watch 10")
    politics = Article.objects.get(headline="Diplomacy Watch 11")
    assert (sport.section.slug, sport.section.name) == ("sport", "Спорт")
    assert (politics.section.slug, politics.section.name) == ("politika", "Политика")
    assert list(sport.tags.names()) == ["футбол"] and list(politics.tags.names()) == ["выборы"]
    # A browser asks for the decoded address; WordPress kept it percent-encoded.
    assert client.get("/category/спорт/")["Location"] == "/sections/sport/"
    assert client.get("/category/спорт/feed/")["Location"] == "/feeds/sections/sport/rss/"


def test_old_plain_permalinks_pass_the_page_cache(client, tmp_path, settings):
    settings.PAGE_CACHE = True
    import_wordpress(export(tmp_path, items=[story(10)]), fetch=False)
    client.get("/")  # the home page is now cached
    response = client.get("/?p=10")
    assert (response.status_code, response["Location"]) == (
        301,
        Article.objects.get().get_absolute_url(),
    )
    assert client.get("/?s=talks")["Location"] == "/search/?q=talks"
    assert client.get("/feed/")["Location"] == "/feeds/rss/"


def test_an_original_whose_name_looks_resized_keeps_its_own_address(client, tmp_path):
    uploads = tmp_path / "uploads"
    uploads.mkdir()
    items = []
    for n, name in enumerate(["chart.jpg", "chart-580x300.jpg"]):
        (uploads / name).write_bytes(jpeg_bytes(colour=(n * 90, 10, 10)))
        items.append(
            Post(
                post_id=50 + n,
                title=name,
                slug=f"chart-{n}",
                post_type="attachment",
                status="inherit",
                attachment_url=f"https://old.example.org/wp-content/uploads/{name}",
            )  # fmt: skip
        )
    import_wordpress(export(tmp_path, items=items), media_dir=uploads)
    chart, wide = (Image.objects.get(title=name) for name in ("chart.jpg", "chart-580x300.jpg"))
    for old, image in (
        ("/wp-content/uploads/chart-580x300.jpg", wide),
        ("/wp-content/uploads/chart.jpg", chart),
        ("/wp-content/uploads/chart-150x150.jpg", chart),  # a resized copy: the original
    ):
        assert client.get(old)["Location"] == image.file.url, old


def test_a_post_without_a_usable_date_is_a_draft_and_stays_unchanged(tmp_path):
    path = export(
        tmp_path, items=[story(10, date="2021-02-30 10:00:00", date_gmt="0000-00-00 00:00:00")]
    )
    first = import_wordpress(path, fetch=False)
    assert Article.objects.get().status == Status.DRAFT
    assert "no usable date" in first.problems[0].message
    assert import_wordpress(path, fetch=False).counts["posts"]["unchanged"] == 1


def test_a_story_deleted_here_is_not_made_again_by_the_next_import(tmp_path):
    path = export(tmp_path, items=[story(10)])
    import_wordpress(path, fetch=False)
    Article.objects.get().delete()
    again = import_wordpress(path, fetch=False)
    assert Article.objects.count() == 0
    assert any("deleted here" in p.message for p in again.problems)


def test_posts_without_an_id_are_imported_once_by_their_guid_or_link(tmp_path):
    """WordPress's own importer takes items without <wp:post_id>; so do we, and a second run
    finds them again instead of making copies."""
    items = [
        story(None, title="By guid id", slug="by-guid-id", guid="https://old.example.org/?p=77"),
        story(None, title="By guid", slug="by-guid", guid="urn:uuid:6f1e-talks"),
        story(None, title="By link", slug="by-link", link="https://old.example.org/by-link/"),
        story(None, title="Nothing", slug="nothing", link=" "),
    ]
    path = export(tmp_path, items=items)
    first = import_wordpress(path, fetch=False)
    assert (first.counts["posts"]["imported"], first.counts["posts"]["skipped"]) == (3, 1)
    assert sorted(Article.objects.values_list("headline", flat=True)) == [
        "By guid", "By guid id", "By link",
    ]  # fmt: skip
    keys = set(ImportedItem.objects.filter(kind="article").values_list("wp_key", flat=True))
    assert "77" in keys and {k.split(":")[0] for k in keys - {"77"}} == {"guid", "link"}
    assert any("no post id, guid or link" in p.message for p in first.problems)

    second = import_wordpress(path, fetch=False)
    assert (second.counts["posts"]["unchanged"], second.counts["posts"]["imported"]) == (3, 0)
    assert Article.objects.count() == 3


def test_a_missing_media_dir_is_refused_up_front(tmp_path):
    with pytest.raises(CommandError, match="is not a folder"):
        call_command(
            "import_wordpress", str(export(tmp_path, items=[story(10)])),
            "--media-dir", str(tmp_path / "uplaods"), stdout=io.StringIO(),
        )  # fmt: skip
    assert Article.objects.count() == 0


def test_a_draft_without_a_slug_gets_one_from_its_headline(tmp_path):
    import_wordpress(export(tmp_path, items=[story(10, slug="", status="draft")]), fetch=False)
    assert Article.objects.get().slug == "diplomacy-watch-10"
