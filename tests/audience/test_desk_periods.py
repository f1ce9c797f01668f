"""The periods count what they say: today by the hour so far, 7 and 30 days by the day
ending today, and nothing from before the period."""

from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import Status
from audience import figures
from tests.audience import rollup_factories as rollups
from tests.factories import make_article

pytestmark = pytest.mark.django_db


def test_each_period_sums_its_own_days(editor):
    story = make_article(status=Status.PUBLISHED)
    today = timezone.localdate()
    for back, views in [(0, 1), (6, 10), (7, 100), (29, 1000), (30, 10000)]:
        rollups.story_read(story, views=views, day=today - timedelta(days=back))
    totals = {key: figures.totals(editor, figures.period(key)).views for key in figures.PERIODS}
    assert totals == {"today": 1, "7d": 11, "30d": 1111}
    assert figures.top_stories(editor, figures.period("7d"))[0].views == 11


def test_the_day_chart_has_every_day_of_the_period_in_order(editor):
    today = timezone.localdate()
    rollups.read("site", 0, views=5, day=today - timedelta(days=2))
    chart = figures.chart(editor, figures.period("7d"))
    assert [day for day, _ in chart] == [today - timedelta(days=n) for n in range(6, -1, -1)]
    assert [views for _, views in chart] == [0, 0, 0, 0, 5, 0, 0]


def test_todays_chart_runs_by_the_hour_up_to_now(editor):
    now = timezone.localtime()
    rollups.read("site", 0, views=7, hour=now.replace(minute=0, second=0, microsecond=0))
    chart = figures.chart(editor, figures.period("today"))
    assert len(chart) == now.hour + 1
    assert chart[-1][1] == 7 and sum(views for _, views in chart) == 7


def test_an_unknown_period_is_today():
    assert figures.period("'; DROP TABLE").key == "today"
    assert figures.period(None).first_day == timezone.localdate()
