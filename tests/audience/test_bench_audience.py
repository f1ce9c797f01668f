"""`make bench-audience`'s pieces that need no server: a year of rollups made in SQL shaped as
a newsroom's (each story read for a while after it is published, the sections, authors and site
adding up their stories), the wrk reader's script, and the desk part run in its quick mode."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import Sum

from articles.models import Status
from audience.models import DayBreakdown, DayFigures, HourFigures, LiveReader
from devtools import audience_bench
from tests.factories import make_article

pytestmark = pytest.mark.django_db
postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the rollups are made in PostgreSQL's SQL"
)


@pytest.fixture
def stories():
    return [make_article(status=Status.PUBLISHED) for _ in range(12)]


@postgresql
def test_a_year_of_rollups_is_shaped_as_a_newsroom_s(stories):
    found = audience_bench.make_rollups(days=60)
    assert found["audience_dayfigures"] == DayFigures.objects.count() > 12 * 4
    for story in stories:
        days = DayFigures.objects.filter(kind="story", object_id=story.pk).order_by("day")
        views = list(days.values_list("views", flat=True))
        assert views and views == sorted(views, reverse=True), "most on its first day"
    story_views = DayFigures.objects.filter(kind="story").aggregate(v=Sum("views"))["v"]
    by_section = DayFigures.objects.filter(kind="section").aggregate(v=Sum("views"))["v"]
    by_site = DayFigures.objects.filter(kind="site").aggregate(v=Sum("views"))["v"]
    assert by_section == story_views and by_site >= story_views
    assert DayFigures.objects.filter(kind="author").exists()
    assert DayBreakdown.objects.filter(kind="site", dimension="referrer").exists()
    assert HourFigures.objects.filter(kind="site").exists()
    audience_bench.refresh_live_readers(readers=20)
    assert LiveReader.objects.count() == 20


def test_the_reader_s_script_gets_the_page_then_posts_the_beacon():
    script = audience_bench.page_and_beacon_script("/world/a/", "/a/e", '{"u":"/world/a/"}')
    assert 'wrk.format("GET", page)' in script and 'wrk.format("POST", beacon' in script
    line = "PEER_RESULT requests=500 duration_us=2000000 non2xx3xx=3 errors=1"
    assert audience_bench.read_wrk(line) == {"rps": 250.0, "bad": 4}


@postgresql
def test_the_desk_part_runs_quick_or_says_why_it_cannot(stories, capsys):
    call_command("bench_audience", "--desk-only", "--quick")
    out = capsys.readouterr().out
    assert "desk: skipped, the desk's audience pages" in out or "worst p95" in out
