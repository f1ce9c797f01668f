"""The audience figures in Chromium: a story's desk page shows its readers and links to its
full figures; at 390 px nothing scrolls sideways (the live panel, with a real reader's beacon:
test_audience_end_to_end.py). Console errors and CSP violations fail every test."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from articles.models import Status
from articles.roles import CONTRIBUTOR, EDITOR
from audience.models import Dimension, Kind
from tests.audience import rollup_factories as rollups
from tests.browser.staff import log_in, open_page, open_story, story_url
from tests.factories import make_article, make_author, make_user

pytestmark = [pytest.mark.django_db(transaction=True)]


def read_story(**fields):
    story = make_article(status=Status.PUBLISHED, **fields)
    hour = timezone.now().replace(minute=0, second=0, microsecond=0)
    rollups.story_read(story, views=1234, visitors=900, engaged_seconds=4000, engagements=40,
                       reads_to_end=617, hour=hour)  # fmt: skip
    rollups.came_from(Kind.STORY, story.pk, Dimension.REFERRER, "newsletter", 800)
    rollups.came_from(Kind.STORY, story.pk, Dimension.DOMAIN,
                      "a-very-long-referring-site-name-that-could-push-a-phone-sideways.example",
                      400)  # fmt: skip
    return story


def test_a_storys_desk_page_shows_its_readers(live_server, context):
    editor = make_user(EDITOR)
    story = read_story(headline="Ferry timetable changes")
    page, errors = open_page(context)
    log_in(page, live_server.url, editor)
    open_story(page, story_url(live_server.url, story))
    group = page.locator("#readers-group")
    expect(group).to_contain_text("1,234")
    expect(group).to_contain_text("1 min 40 s")
    expect(group).to_contain_text("50%")
    expect(group.locator("svg[role=img]")).to_have_count(1)
    group.get_by_role("link", name="All its figures").click()
    expect(page.locator("h1")).to_contain_text("Readers of “Ferry timetable changes”")
    expect(page.locator("#audience-chart svg > title")).to_contain_text("Views per hour")
    expect(page.locator("#table-sources")).to_contain_text("newsletter")
    page.close()
    assert errors == []


@pytest.mark.parametrize("role", [EDITOR, CONTRIBUTOR])
def test_nothing_scrolls_sideways_on_a_phone(live_server, browser, role):
    user = make_user(role)
    story = read_story(
        headline="A headline long enough to wrap over several lines on a phone's narrow screen",
        author=make_author(user=user), created_by=user,
    )  # fmt: skip
    rollups.searched("a-search-term-without-spaces-that-is-very-long-indeed", 4)
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    page, errors = open_page(context)
    log_in(page, live_server.url, user)
    for path in ["/admin/audience/", "/admin/audience/?period=30d",
                 f"/admin/audience/story/{story.pk}/"]:  # fmt: skip
        page.goto(live_server.url + path)
        expect(page.locator("#audience-totals")).to_contain_text("1,234")
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px"
    context.close()
    assert errors == []
