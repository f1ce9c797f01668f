"""Each audience table downloads as CSV: a file with a name, the same rows as the page (and
the same scoping), and cells a spreadsheet would run as a formula written as text."""

import csv
import io

import pytest

from articles.models import Status
from audience.models import Dimension, Kind
from tests.audience import rollup_factories as rollups
from tests.factories import make_article, make_author

pytestmark = pytest.mark.django_db

OVERVIEW = "/admin/audience/"


def table(response) -> list[list[str]]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith('attachment; filename="audience-')
    assert response["Content-Disposition"].endswith('.csv"')
    return list(csv.reader(io.StringIO(response.content.decode())))


@pytest.mark.parametrize(
    "key, first_row",
    [
        ("stories", ["Theirs: council budget", "57", "40", "30", "0.0"]),
        ("sections", ["57", "", "0.0"]),  # no visitors: counted for stories only
        ("series", None),
        ("authors", None),
        ("sources", ["social", "57"]),
        ("sites", ["theirs-only.example", "57"]),
        ("search", ["harbour ferry", "7"]),
        ("devices", ["mobile", "87"]),
    ],
)
def test_each_overview_table_downloads(client, editor, newsroom_read, key, first_row):
    client.force_login(editor)
    rows = table(client.get(OVERVIEW, {"period": "30d", "csv": key}))
    assert rows[0][0] in {"Name", "Source", "Site", "Term", "Device"}
    if first_row is None:
        assert len(rows) == 1  # the heading only: nothing read in that table
    elif key == "stories":
        name, address, *figures = rows[1]
        assert [name, *figures] == first_row
        assert address == newsroom_read["theirs"].get_absolute_url()
        assert rows[2][0] == "Mine: the harbour reopens"
        assert rows[2][4:] == ["30", "40.0"]  # 600 s over 20 reports; 12 of 30 to the end
    else:
        assert rows[1][-len(first_row) :] == first_row


def test_the_filename_names_the_table_and_period(client, editor, newsroom_read):
    client.force_login(editor)
    response = client.get(OVERVIEW, {"period": "7d", "csv": "devices"})
    assert 'filename="audience-devices-7d-' in response["Content-Disposition"]


def test_a_contributors_csv_holds_their_own_stories_only(client, contributor, newsroom_read):
    client.force_login(contributor)
    stories = table(client.get(OVERVIEW, {"csv": "stories"}))
    assert [row[0] for row in stories[1:]] == ["Mine: the harbour reopens"]
    sources = table(client.get(OVERVIEW, {"csv": "sources"}))
    assert sources[1:] == [["search", "30"]]
    for sitewide in ["search", "sections", "series", "authors", "nonsense"]:
        assert client.get(OVERVIEW, {"csv": sitewide}).status_code == 404, sitewide


def test_cells_that_would_start_a_formula_are_text(client, editor):
    hostile = make_article(status=Status.PUBLISHED, headline='=HYPERLINK("http://x.example")')
    rollups.story_read(hostile, views=5)
    rollups.searched("@SUM(A1)", 3)
    rollups.searched("+1 555", 2)
    rollups.came_from(Kind.SITE, 0, Dimension.DOMAIN, "-2+3.example", 1)
    client.force_login(editor)
    stories = table(client.get(OVERVIEW, {"csv": "stories"}))
    assert stories[1][0] == '\'=HYPERLINK("http://x.example")'
    terms = table(client.get(OVERVIEW, {"csv": "search"}))
    assert [row[0] for row in terms[1:]] == ["'@SUM(A1)", "'+1 555"]
    sites = table(client.get(OVERVIEW, {"csv": "sites"}))
    assert sites[1][0] == "'-2+3.example"


def test_a_storys_tables_download(client, editor, newsroom_read):
    from newsletters.models import Issue, IssueStory, Newsletter

    story = newsroom_read["theirs"]
    letter = Newsletter.objects.create(name="Morning Brief", slug="morning")
    issue = Issue.objects.create(newsletter=letter, number=4, subject="=Budget day")
    IssueStory.objects.create(issue=issue, article=story)
    rollups.clicked(issue, story, 9)
    rollups.signed_up(story, letter, 2)
    client.force_login(editor)
    url = f"/admin/audience/story/{story.pk}/"
    assert table(client.get(url, {"csv": "issues"}))[1] == [
        "Morning Brief #4: =Budget day", "", "9"
    ]  # fmt: skip
    assert table(client.get(url, {"csv": "signups"}))[1:] == [["Morning Brief", "2"]]
    assert table(client.get(url, {"csv": "sources"}))[1:] == [["social", "57"]]
    days = table(client.get(url, {"csv": "days"}))
    assert days[0] == ["When", "Views"]
    assert days[-1][1] == "57"  # by the hour: the story is an hour old


def test_a_writers_byline_is_enough_to_see_a_story(client, contributor):
    """A story someone else started but the contributor is in the byline of is theirs."""
    story = make_article(status=Status.PUBLISHED, author=make_author(user=contributor))
    rollups.story_read(story, views=3)
    client.force_login(contributor)
    assert client.get(f"/admin/audience/story/{story.pk}/").status_code == 200
