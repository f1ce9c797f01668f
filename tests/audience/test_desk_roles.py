"""Who sees which audience figures in the desk: editors, publishers and administrators the
whole site; a contributor their own stories only (another writer's story is 403); nobody
signed out."""

import pytest
from django.urls import reverse

from tests.audience import rollup_factories as rollups

pytestmark = pytest.mark.django_db

OVERVIEW = "/admin/audience/"


def test_the_pages_have_the_addresses_the_benchmark_uses():
    assert reverse("admin:audience") == OVERVIEW
    assert reverse("admin:audience-live") == "/admin/audience/live/"
    assert reverse("admin:audience-story", args=[7]) == "/admin/audience/story/7/"


@pytest.mark.parametrize("path", [OVERVIEW, "/admin/audience/live/", "/admin/audience/story/1/"])
def test_signed_out_people_are_sent_to_sign_in(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


@pytest.mark.parametrize("who", ["editor", "publisher", "superuser"])
def test_editors_and_publishers_see_the_whole_site(client, request, newsroom_read, who):
    client.force_login(request.getfixturevalue(who))
    page = client.get(OVERVIEW).content.decode()
    for shown in ["Mine: the harbour reopens", "Theirs: council budget", "Sections",
                  "Search terms", "harbour ferry", "theirs-only.example", ">87<"]:  # fmt: skip
        assert shown in page, shown


def test_a_contributor_sees_only_their_own_stories(client, contributor, newsroom_read):
    client.force_login(contributor)
    page = client.get(OVERVIEW + "?period=7d").content.decode()
    assert "Mine: the harbour reopens" in page
    assert ">30<" in page  # their total views, not the site's 87
    for hidden in ["Theirs: council budget", "theirs-only.example", "harbour ferry",
                   "Search terms", ">87<", ">57<"]:  # fmt: skip
        assert hidden not in page, hidden
    assert "Your stories only" in page


def test_a_contributor_gets_403_on_another_writers_story(client, contributor, newsroom_read):
    client.force_login(contributor)
    theirs = reverse("admin:audience-story", args=[newsroom_read["theirs"].pk])
    assert client.get(theirs).status_code == 403
    assert client.get(theirs + "?csv=sources").status_code == 403
    mine = client.get(reverse("admin:audience-story", args=[newsroom_read["mine"].pk]))
    assert mine.status_code == 200
    assert "Readers of “Mine: the harbour reopens”" in mine.content.decode()


def test_an_editor_opens_any_story(client, editor, newsroom_read):
    client.force_login(editor)
    response = client.get(reverse("admin:audience-story", args=[newsroom_read["theirs"].pk]))
    assert response.status_code == 200
    assert "social" in response.content.decode()


def test_the_live_panel_shows_a_contributor_only_readers_of_their_stories(
    client, contributor, editor, newsroom_read
):
    rollups.reading_now(newsroom_read["mine"])
    rollups.reading_now(newsroom_read["theirs"])
    rollups.reading_now(newsroom_read["theirs"], ago=6 * 60)  # left the window: not counted
    rollups.reading_now(path="/search/")
    client.force_login(contributor)
    live = client.get("/admin/audience/live/").json()
    assert live["readers"] == 1
    assert [p["title"] for p in live["pages"]] == ["Mine: the harbour reopens"]
    client.force_login(editor)
    live = client.get("/admin/audience/live/").json()
    assert live["readers"] == 3
    assert {p["title"] for p in live["pages"]} == {
        "Mine: the harbour reopens", "Theirs: council budget", "/search/",
    }  # fmt: skip


def test_every_role_finds_the_audience_page_from_the_desk(client, contributor, newsroom_read):
    client.force_login(contributor)
    home = client.get("/admin/").content.decode()
    assert 'href="/admin/audience/"' in home
