"""Folding events into the rollups: what each kind of event adds, and to which rows."""

from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import Byline, Status
from audience.events import CLICK, ENGAGED, MAX_SECONDS, SIGNUP, Event
from audience.folding import fold_events, tidy
from audience.models import (
    DayBreakdown,
    DaySearch,
    DayVisitor,
    LiveReader,
    NewsletterClicks,
    SignupsFromStory,
)
from sections.models import Series
from tests import factories
from tests.audience.fold_kit import at, day, figures, hour_figures, view

pytestmark = pytest.mark.django_db


@pytest.fixture
def story():
    """A live story in a series, with two authors in its byline."""
    series = Series.objects.create(name="Diplomacy Watch", slug="diplomacy-watch")
    story = factories.make_article(status=Status.PUBLISHED, series=series)
    Byline.objects.create(article=story, author=factories.make_author(), order=1)
    return story


def test_a_storys_views_count_for_the_site_the_story_its_section_series_and_authors(story):
    fold_events([view("story", story.pk, visitor="a"), view("story", story.pk, visitor="b")])
    for kind, pk in [
        ("site", 0),
        ("story", story.pk),
        ("section", story.section_id),
        ("series", story.series_id),
        *[("author", author.pk) for author in story.authors.all()],
    ]:
        assert figures(kind, pk)["views"] == 2, (kind, pk)
    assert figures("site")["visitors"] == figures("story", story.pk)["visitors"] == 2
    assert hour_figures("story", story.pk, at()) == {"views": 2, "visitors": 2}


def test_other_pages_count_for_the_site_only():
    page = factories.make_page(status=Status.PUBLISHED)
    fold_events([view("other", path="/"), view("page", page.pk, path="/about/")])
    assert figures("site")["views"] == 2
    assert figures("page", page.pk)["views"] == 1
    assert figures("other")["views"] == 0


def test_a_visitor_counts_once_a_day_on_each_thing_read(story):
    other = factories.make_article(status=Status.PUBLISHED)
    fold_events([view("story", story.pk, visitor="a", at=at(hours=h)) for h in (0, 1, 2)])
    fold_events([view("story", other.pk, visitor="a")])  # a later batch, another story
    assert figures("story", story.pk) | {"views": 3, "visitors": 1} == figures("story", story.pk)
    assert figures("story", other.pk)["visitors"] == 1
    assert figures("site") | {"views": 4, "visitors": 1} == figures("site")
    # An hour's visitors are the day's new visitors in that hour: the hours add up to the day.
    assert hour_figures("story", story.pk, at()) == {"views": 1, "visitors": 1}
    assert hour_figures("story", story.pk, at(hours=1)) == {"views": 1, "visitors": 0}


def test_the_same_hash_on_two_days_counts_on_each_day(story):
    fold_events([view("story", story.pk, visitor="a", at=at(days_ago=d)) for d in (1, 0)])
    assert figures("story", story.pk, day(1))["visitors"] == 1
    assert figures("story", story.pk, day(0))["visitors"] == 1


def test_readers_who_ask_not_to_be_tracked_add_views_only(story):
    fold_events([view("story", story.pk), view("story", story.pk)])  # no hash: Sec-GPC or DNT
    assert figures("story", story.pk) | {"views": 2, "visitors": 0} == figures("story", story.pk)
    assert not DayVisitor.objects.exists()


def test_engaged_time_and_reads_to_the_end_count_for_the_same_rows_as_views(story):
    fold_events(
        [
            Event(at=at(), kind=ENGAGED, target="story", target_id=story.pk, seconds=40),
            Event(at=at(), kind=ENGAGED, target="story", target_id=story.pk, seconds=80,
                  ended=True),
            # A tab left open for a day is four hours at most.
            Event(at=at(), kind=ENGAGED, target="story", target_id=story.pk, seconds=10**6),
        ]
    )  # fmt: skip
    expected = {"views": 0, "visitors": 0, "engaged_seconds": 120 + MAX_SECONDS,
                "engagements": 3, "reads_to_end": 1}  # fmt: skip
    for kind, pk in [("site", 0), ("story", story.pk), ("series", story.series_id)]:
        assert figures(kind, pk) == expected, kind


def test_newsletter_clicks_and_signups_are_counted_per_story_and_day(story):
    fold_events(
        [
            Event(at=at(), kind=CLICK, target="story", target_id=story.pk, issue_id=7),
            Event(at=at(), kind=CLICK, target="story", target_id=story.pk, issue_id=7),
            Event(at=at(), kind=SIGNUP, target="story", target_id=story.pk, newsletter_id=3),
        ]
    )
    assert NewsletterClicks.objects.get(day=day(), issue_id=7, story_id=story.pk).clicks == 2
    assert SignupsFromStory.objects.get(day=day(), story_id=story.pk, newsletter_id=3).signups == 1
    assert figures("site")["views"] == 0  # neither is a view


def test_sources_devices_countries_and_search_terms_are_broken_down(story):
    fold_events(
        [
            view("story", story.pk, referrer="search", domain="duckduckgo.com", device="mobile",
                 country="DE"),
            view("story", story.pk, device="desktop"),
            view("other", path="/search/", term="  Gaza   CEASEFIRE "),
            view("other", path="/search/", term="gaza ceasefire"),
        ]
    )  # fmt: skip
    story_rows = dict(
        DayBreakdown.objects.filter(kind="story", object_id=story.pk).values_list("value", "views")
    )
    # Countries are counted for the site only: no page shows a story's countries.
    assert story_rows == {"search": 1, "direct": 1, "duckduckgo.com": 1, "mobile": 1,
                          "desktop": 1}  # fmt: skip
    assert DayBreakdown.objects.get(kind="site", dimension="country", value="DE").views == 1
    assert DayBreakdown.objects.get(kind="site", dimension="referrer", value="direct").views == 3
    assert list(DaySearch.objects.values_list("term", "searches")) == [("gaza ceasefire", 2)]


def test_readers_of_the_last_five_minutes_are_live_with_their_last_page(story):
    now = timezone.now().timestamp()
    fold_events(
        [
            view("other", path="/", visitor="a", at=now - 30),
            view("story", story.pk, path=story.get_absolute_url(), visitor="a", at=now - 10),
            view("story", story.pk, path="/x/", at=now - 5),  # no hash: a reader of its own
            view("story", story.pk, path="/y/", visitor="b", at=now - 600),  # gone
        ]
    )
    live = set(LiveReader.objects.values_list("kind", "object_id", "path"))
    assert live == {("story", story.pk, "/x/"), ("story", story.pk, story.get_absolute_url())}


def test_visitor_hashes_and_live_readers_are_forgotten_when_they_mean_nothing(story):
    now = timezone.now().timestamp()
    fold_events([view("story", story.pk, visitor="a", at=at(days_ago=d)) for d in (2, 1, 0)])
    fold_events([view("story", story.pk, visitor="c", at=now)])
    LiveReader.objects.update(seen_at=timezone.now() - timedelta(minutes=6))
    tidy()
    assert sorted(DayVisitor.objects.values_list("day", flat=True).distinct()) == [day(1), day(0)]
    assert not LiveReader.objects.exists()
    assert figures("story", story.pk, day(2))["visitors"] == 1  # the figures stay
