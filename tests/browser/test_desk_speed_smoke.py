"""The editorial-speed benchmark (`make bench-desk`) still runs against today's desk: its first
task, filing a story, done once in Chromium on the demo newsroom, counts and submits."""

import json

from django.core.management import call_command

from articles.models import Article, Status
from devtools import desk_speed, desk_speed_ours


def test_filing_a_story_is_counted_and_submits_it(browser, transactional_db, live_server, tmp_path):
    """Our side of task 1: positive whole figures, and the story is submitted for edit."""
    logins = tmp_path / "logins.json"
    call_command("load_demo", logins_file=str(logins), verbosity=0)
    password = json.loads(logins.read_text())["contributor"]
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    page = context.new_page()
    desk_speed_ours.log_in_ours(page, live_server.url, "contributor", password)
    page.close()
    headline = f"Geneva talks resume, take {desk_speed.stamp()}"
    picture = desk_speed.make_picture(tmp_path, "smoke")

    home = lambda person: desk_speed_ours.ours_home(person, live_server.url)  # noqa: E731
    figures = desk_speed.measure(
        context,
        (home, desk_speed_ours.ours_file),
        headline, picture, ["Priya Raman", "Mara Lindqvist"], "Europe", "Diplomacy Watch",
    )  # fmt: skip
    context.close()

    for name in ("clicks", "loads", "server_ms"):
        assert isinstance(figures[name], int) and figures[name] > 0, figures
    story = Article.objects.get(headline=headline)
    assert story.status == Status.SUBMITTED
    assert story.lead_image.credit == desk_speed.STORY["credit"]
    assert story.bylines.count() == 2
    assert story.lead_image.caption == desk_speed.STORY["caption"]
    assert figures["loads"] == 2, figures  # the new-story page, then Save and submit
