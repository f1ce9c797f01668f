"""A story's chart keeps a few hundred bars however old the story is: a bar a day for its
first three months, then a bar a week (from Monday), then a month, each the sum of its days."""

from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import Status
from audience import figures
from audience.models import Kind
from tests.audience import rollup_factories as rollups
from tests.factories import make_article

pytestmark = pytest.mark.django_db


def story_published(days_ago: int):
    when = timezone.now() - timedelta(days=days_ago)
    story = make_article(status=Status.PUBLISHED, publish_at=when)
    type(story).objects.filter(pk=story.pk).update(first_published_at=when, publish_at=when)
    story.refresh_from_db()
    return story


@pytest.mark.parametrize(
    "days_ago, per, most_bars",
    [(30, "day", 31), (91, "day", 92), (200, "week", 30), (2000, "month", 67)],
)
def test_the_chart_steps_up_from_days_to_weeks_to_months(days_ago, per, most_bars):
    story = story_published(days_ago)
    today = timezone.localdate()
    for back in (0, 1, days_ago // 2, days_ago - 1):
        rollups.read(Kind.STORY, story.pk, day=today - timedelta(days=back), views=3)

    found = figures.story_figures(story)

    assert found.per == per
    assert len(found.chart) <= most_bars
    assert sum(views for _, views in found.chart) == 12  # every day's views in some bar
    if per == "week":
        assert all(start.weekday() == 0 for start, _ in found.chart[1:])
    if per == "month":
        assert all(start.day == 1 for start, _ in found.chart[1:])
