"""The story form's side panel, as served: each field in its group, closed groups open when
they hold an error, the time zone named, and a new story's byline row filled in."""

import re

import pytest
from django.urls import reverse

from tests.admin_forms import change_form_data, change_url, logged_in
from tests.factories import make_article, make_author

pytestmark = pytest.mark.django_db


def group(page: str, name: str) -> str:
    """The HTML of the side panel's group called `name`."""
    match = re.search(
        r'<fieldset class="module aligned panel-group[^"]*"[^>]*>\s*<details( open)?>\s*'
        rf"<summary><h2[^>]*>{name}</h2></summary>.*?</fieldset>",
        page,
        re.S,
    )
    assert match, f"no group {name}"
    return match.group(0)


def test_closed_groups_open_when_they_hold_an_error(editor):
    story = make_article()
    client = logged_in(editor)
    page = client.get(change_url(story)).content.decode()
    assert "<details>" in group(page, "Search and social")  # closed
    assert "<details open>" in group(page, "Section and type")

    data = change_form_data(client.get(change_url(story)))
    data["seo_title"] = "x" * 200
    page = client.post(change_url(story), data).content.decode()

    assert "<details open>" in group(page, "Search and social")
    assert "at most 120 characters" in group(page, "Search and social")


def test_the_schedule_names_the_time_zone(editor, settings):
    settings.TIME_ZONE = "Europe/Lisbon"
    page = logged_in(editor).get(change_url(make_article())).content.decode()
    assert "Times are Lisbon time (Europe/Lisbon)." in group(page, "Schedule")


def test_a_new_storys_byline_row_holds_the_writers_name(contributor):
    make_author(name="Lena Ortiz", user=contributor)
    page = logged_in(contributor).get(reverse("admin:articles_article_add")).content.decode()
    row = re.search(r'<select name="bylines-0-author".*?</select>', page, re.S).group(0)
    assert re.search(r"<option[^>]*selected[^>]*>Lena Ortiz</option>", row)


def test_a_writer_without_an_author_page_gets_an_empty_byline_row(contributor):
    page = logged_in(contributor).get(reverse("admin:articles_article_add")).content.decode()
    row = re.search(r'<select name="bylines-0-author".*?</select>', page, re.S).group(0)
    assert "selected" not in row
