"""A page's address and a section's share the site's root with the site's own URLs: a slug
that collides is refused with a message naming the clash, and a system check finds the
collisions that got in some other way."""

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.urls import URLPattern, URLResolver, get_resolver

from articles.models import Status
from pages import services
from pages.models import Page
from sections.addresses import reserved_prefixes, used_by_site
from sections.checks import taken_twice
from sections.models import Section
from tests.factories import make_article, make_page, make_section

pytestmark = pytest.mark.django_db


def _literal_prefixes() -> set[str]:
    """Every literal first segment of the URLconf, read here independently of the code."""
    found = set()

    def walk(patterns):
        for entry in patterns:
            route = str(entry.pattern).lstrip("^")
            if isinstance(entry, URLResolver) and route == "":
                walk(entry.url_patterns)
                continue
            assert isinstance(entry, URLPattern | URLResolver)
            first = route.split("/", 1)[0]
            if first and not any(c in first for c in "<(.*?[") or first in (
                "robots.txt", "sitemap.xml", "news-sitemap.xml",
            ):  # fmt: skip
                found.add(first)

    walk(get_resolver().url_patterns)
    return found


def test_the_site_prefixes_come_from_the_urlconf():
    literal = _literal_prefixes()
    assert {"admin", "feeds", "sections", "corrections", "search", "preview"} <= literal
    assert literal <= reserved_prefixes()
    assert {"static", "media"} <= reserved_prefixes()  # STATIC_URL, MEDIA_URL
    if apps.is_installed("devtools"):
        assert "_bench" in reserved_prefixes()
    # Whatever fits a pattern of the site's own (sitemap-<section>.xml) is taken too.
    assert used_by_site("sitemap-pages.xml")
    # The dead entries of the old hand-kept list are not there.
    assert not {"ckeditor5", "accounts"} & reserved_prefixes()


@pytest.mark.parametrize("prefix", sorted(_literal_prefixes() | {"static", "media"}))
def test_every_site_prefix_is_refused_as_a_section_and_as_a_page(prefix, editor):
    section = Section(name="Odd", slug=prefix)
    with pytest.raises(ValidationError) as refused:
        section.full_clean()
    assert "used by the site itself" in str(refused.value)
    page = Page(title="Odd", slug=prefix, body="<p>x</p>")
    with pytest.raises(ValidationError) as refused:
        services.save_page(page=page, user=editor)
    assert f"“{prefix}” is an address the site itself uses" in str(refused.value)
    assert not Page.objects.exists()


def test_a_top_level_page_may_not_take_a_sections_slug(editor):
    make_section(name="Europe", slug="europe")
    with pytest.raises(ValidationError, match="the address of the section “Europe”"):
        services.save_page(page=Page(title="Europe", slug="europe"), user=editor)
    page = Page(title="Europe", slug="europe")
    with pytest.raises(ValidationError, match="section “Europe”"):
        page.full_clean()
    # Under another page it is a different address.
    about = services.save_page(page=Page(title="About", slug="about"), user=editor)
    child = services.save_page(page=Page(title="Europe", slug="europe", parent=about), user=editor)
    assert child.get_absolute_url() == "/about/europe/"


def test_a_section_may_not_take_a_top_level_pages_slug(editor):
    make_page(title="About us", slug="about")
    section = Section(name="About", slug="about")
    with pytest.raises(ValidationError, match="the address of the page “About us”"):
        section.full_clean()


def test_two_pages_at_one_address_are_refused(editor):
    policies = make_page(title="Policies", slug="policies")
    make_page(title="Ethics", slug="ethics", parent=policies)
    with pytest.raises(ValidationError, match="“Ethics” is already at /policies/ethics/"):
        services.save_page(page=Page(title="Ethics 2", slug="ethics", parent=policies), user=editor)
    with pytest.raises(ValidationError, match="the address of the page “Policies”"):
        services.save_page(page=Page(title="Policies 2", slug="policies"), user=editor)


def test_a_page_may_not_be_under_itself(editor):
    parent = make_page(slug="policies")
    child = make_page(slug="corrections", parent=parent)
    parent.parent = child
    with pytest.raises(ValidationError, match="cannot be under itself"):
        services.save_page(page=parent, user=editor)


def test_the_desk_form_names_the_clash(client, publisher):
    make_section(name="Europe", slug="europe")
    client.force_login(publisher)
    response = client.post(
        "/admin/pages/page/add/", {"title": "Europe", "slug": "europe", "body": "<p>x</p>"}
    )
    assert response.status_code == 200
    assert "the address of the section “Europe”" in response.content.decode()
    assert not Page.objects.exists()


def test_the_system_check_finds_collisions_already_stored():
    make_section(name="Europe", slug="europe")
    Section.objects.filter(slug="europe").update(slug="feeds")  # past the validation
    make_section(name="World", slug="world")
    Page.objects.bulk_create([Page(title="World", slug="world", path="world")])
    ids = sorted(error.id for error in taken_twice())
    assert ids == ["sections.E001", "sections.E003"]


def test_a_story_with_the_slug_of_a_nested_page_does_not_shadow_it(client):
    policies = make_page(status=Status.PUBLISHED, slug="policies")
    make_page(status=Status.PUBLISHED, slug="corrections", parent=policies, title="Corrections")
    story = make_article(status=Status.PUBLISHED, slug="corrections")
    response = client.get("/policies/corrections/")
    assert response.status_code == 200
    assert "<h1>Corrections</h1>" in response.content.decode()
    # The story keeps its own address; a wrong section still leads to it.
    assert client.get(story.get_absolute_url()).status_code == 200
    assert client.get(f"/elsewhere/{story.slug}/").status_code == 301
