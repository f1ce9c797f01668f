"""Hand-made exports for the pages the theme unit data does not have: drafts and private
pages, addresses that are taken here, a parent missing from the export, a dry run."""

import pytest

from articles.models import Status
from pages.models import Page
from sections.models import Section
from wordpress.importer import import_wordpress
from wordpress.models import ImportedItem, LegacyURL
from wordpress.sample import Post, write_wxr

pytestmark = pytest.mark.django_db
SITE = "https://old.example.org"


def export(tmp_path, items, **content):
    path = tmp_path / "export.xml"
    with path.open("w", encoding="utf-8") as stream:
        write_wxr(stream, items=items, **content)
    return path


def wp_page(page_id, slug, *, parent_id=0, path=None, **fields):
    defaults = {
        "title": slug.replace("-", " ").title(), "content": f"The {slug} page.",
        "link": f"{SITE}/{path or slug}/", "guid": f"{SITE}/?page_id={page_id}",
    }  # fmt: skip
    return Post(
        post_id=page_id, slug=slug, post_type="page", parent_id=parent_id,
        **{**defaults, **fields},
    )  # fmt: skip


def imported(page_id) -> Page:
    return Page.objects.get(pk=ImportedItem.objects.get(kind="page", wp_key=str(page_id)).object_id)


@pytest.mark.parametrize("status", ["draft", "pending", "private"])
def test_an_unpublished_wordpress_page_is_a_draft_no_reader_can_reach(tmp_path, client, status):
    moved = wp_page(5, "staff-handbook", status=status, guid=f"{SITE}/old-handbook/")
    import_wordpress(export(tmp_path, [moved]), fetch=False)
    page = imported(5)
    assert page.status == Status.DRAFT and page.publish_at is None
    assert not Page.objects.live().exists()
    assert LegacyURL.objects.filter(path="/old-handbook", page=page).exists()
    for address in ("/staff-handbook/", "/old-handbook/", "/?p=5", "/?page_id=5"):
        response = client.get(address)
        assert response.status_code in (200, 404), address  # /?p=5: the home page, as is
        assert "The staff-handbook page." not in response.content.decode()


def test_a_password_protected_page_is_a_draft_and_the_report_says_why(tmp_path):
    report = import_wordpress(
        export(tmp_path, [wp_page(5, "members", password="secret")]), fetch=False
    )
    assert imported(5).status == Status.DRAFT
    assert any("password-protected" in str(problem) for problem in report.problems)


def test_a_scheduled_page_goes_live_at_its_time(tmp_path):
    future = wp_page(5, "election-guide", status="future", date="2099-03-01 08:00:00",
                     date_gmt="2099-03-01 07:00:00")  # fmt: skip
    import_wordpress(export(tmp_path, [future]), fetch=False)
    page = imported(5)
    assert page.status == Status.PUBLISHED
    assert page.publish_at.isoformat() == "2099-03-01T07:00:00+00:00"
    assert not Page.objects.live().exists()


def test_a_slug_taken_by_a_section_or_by_the_site_is_renamed_and_reported(tmp_path, client):
    pages = [wp_page(5, "world"), wp_page(6, "feeds"), wp_page(7, "search"), wp_page(8, "preview")]
    report = import_wordpress(
        export(tmp_path, pages, categories=[("world", "World", "")]), fetch=False
    )
    assert Section.objects.filter(slug="world").exists()
    assert [imported(n).path for n in (5, 6, 7, 8)] == [
        "world-2", "feeds-2", "search-2", "preview-2"
    ]  # fmt: skip
    problems = [str(problem) for problem in report.problems]
    assert (
        "pages 6 “Feeds”: the address “feeds” is taken here (by the site, a section or a "
        "page): imported as “feeds-2”"
    ) in problems
    # The old address still leads to the page, wherever the site's own page is.
    assert LegacyURL.objects.get(path="/world").page == imported(5)
    response = client.get("/?page_id=6")
    assert response.status_code == 301 and response["Location"] == "/feeds-2/"


def test_a_slug_is_free_under_a_parent_even_when_taken_at_the_top(tmp_path):
    pages = [wp_page(5, "policies"), wp_page(6, "corrections", parent_id=5,
                                             path="policies/corrections")]  # fmt: skip
    import_wordpress(export(tmp_path, pages), fetch=False)
    assert imported(6).path == "policies/corrections"  # /corrections/ is the site's own


def test_a_child_whose_parent_is_not_in_the_export_goes_to_the_top(tmp_path):
    report = import_wordpress(export(tmp_path, [wp_page(6, "orphan", parent_id=99)]), fetch=False)
    assert imported(6).path == "orphan" and imported(6).parent is None
    assert any("parent page 99 was not imported" in str(p) for p in report.problems)


def test_a_loop_of_parents_is_cut_and_a_second_run_keeps_it_cut(tmp_path):
    path = export(tmp_path, [wp_page(5, "one", parent_id=6), wp_page(6, "two", parent_id=5)])
    import_wordpress(path, fetch=False)
    paths = sorted(Page.objects.values_list("path", flat=True))
    assert paths == ["two", "two/one"]
    again = import_wordpress(path, fetch=False)
    assert again.counts["pages"]["unchanged"] == 2
    assert sorted(Page.objects.values_list("path", flat=True)) == paths


def test_a_page_unpublished_in_wordpress_is_taken_down_on_the_next_run(tmp_path):
    import_wordpress(export(tmp_path, [wp_page(5, "about")]), fetch=False)
    assert Page.objects.live().filter(pk=imported(5).pk).exists()
    report = import_wordpress(export(tmp_path, [wp_page(5, "about", status="draft")]), fetch=False)
    assert report.counts["pages"]["updated"] == 1
    assert imported(5).status != Status.PUBLISHED and not Page.objects.live().exists()


def test_a_dry_run_saves_no_page_and_reports_what_the_import_will(tmp_path):
    path = export(tmp_path, [wp_page(5, "about"), wp_page(6, "team", parent_id=5)])
    dry = import_wordpress(path, fetch=False, dry_run=True)
    assert not Page.objects.exists() and not ImportedItem.objects.exists()
    real = import_wordpress(path, fetch=False)
    assert dry.counts == real.counts and real.counts["pages"]["imported"] == 2
    assert "pages" in "\n".join(real.lines())
