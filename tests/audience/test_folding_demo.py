"""The demo newsroom comes with four weeks of readers, folded once."""

import time

import pytest
from django.core.management import call_command

from audience.models import (
    DayBreakdown,
    DayFigures,
    DaySearch,
    DayVisitor,
    HourFigures,
    NewsletterClicks,
    SignupsFromStory,
)
from tests.audience.fold_kit import day, everything

pytestmark = pytest.mark.django_db


def test_the_demo_has_weeks_of_history_to_chart_and_a_second_load_adds_none(tmp_path):
    call_command("load_demo", logins_file=str(tmp_path / "logins.json"), verbosity=0)
    for days_ago in (0, 7, 27):
        assert DayFigures.objects.get(day=day(days_ago), kind="site").views > 0, days_ago
    assert DayFigures.objects.filter(kind="story", day=day(7), views__gt=0).exists()
    assert DayFigures.objects.filter(kind="series", engaged_seconds__gt=0).exists()
    assert DayFigures.objects.filter(kind="author", reads_to_end__gt=0).exists()
    assert HourFigures.objects.filter(kind="story").exists()
    assert set(DayBreakdown.objects.values_list("dimension", flat=True)) == {
        "referrer", "domain", "device", "country",
    }  # fmt: skip
    assert DaySearch.objects.exists()
    assert NewsletterClicks.objects.exists() and SignupsFromStory.objects.exists()
    assert not DayVisitor.objects.filter(day__lt=day(1)).exists()  # their salts are gone

    before = everything()
    call_command("load_demo", logins_file=str(tmp_path / "logins.json"), verbosity=0)
    assert everything() == before


def test_the_history_alone_loads_in_seconds(tmp_path, settings):
    """What `make run` waits for: the history of the demo's stories, made and folded."""
    from audience.models import DayFigures as Figures
    from newsroom import demo_audience

    call_command("load_demo", logins_file=str(tmp_path / "logins.json"), verbosity=0)
    Figures.objects.all().delete()
    started = time.process_time()
    made = demo_audience.load(log=lambda message: None)
    assert made > 10_000
    assert time.process_time() - started < 20  # CPU seconds: ~3 on SQLite when idle
