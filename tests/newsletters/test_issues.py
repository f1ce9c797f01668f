"""Issues are made when a story of a newsletter's source goes live and the publisher chose to
email it (publish(email=True)): once per story and newsletter, whatever happens to the story
afterwards, and never at the cost of publishing."""

import logging
from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from articles import services
from articles.models import Status
from newsletters import issue_making
from newsletters.models import Cadence, Issue, IssueStory, Source
from tests.factories import make_article, make_section

from .issue_factories import approved_story, make_newsletter, make_series

pytestmark = pytest.mark.django_db


def test_publishing_an_installment_makes_a_draft_issue_of_its_series_newsletter(publisher):
    series = make_series()
    letter = make_newsletter(series=series)
    other = make_newsletter(series=make_series())
    story = approved_story(series=series, headline="Talks resume")
    services.publish(article=story, user=publisher, email=True)
    [issue] = Issue.objects.all()
    assert issue.newsletter == letter and issue.state == Issue.State.DRAFT
    assert (issue.number, issue.subject) == (1, "Talks resume")
    assert list(issue.stories.all()) == [story]
    assert not other.issues.exists()


def test_a_story_lands_in_one_issue_however_often_it_is_published(publisher):
    series = make_series()
    letter = make_newsletter(series=series)
    story = approved_story(series=series)
    services.publish(article=story, user=publisher, email=True)
    services.unpublish(article=story, user=publisher)
    services.publish_again(article=story, user=publisher)
    issue_making.issues_for_scheduled(story.pk)  # a late task changes nothing either
    assert letter.issues.count() == 1
    assert IssueStory.objects.filter(article=story).count() == 1


def test_section_and_site_newsletters_are_fed_too_and_numbers_follow_on(publisher):
    regions = make_section(name="Regions", slug="regions")
    europe = make_section(name="Europe", slug="europe", parent=regions)
    by_section = make_newsletter(source=Source.SECTION, section=regions)
    whole_site = make_newsletter(source=Source.SITE)
    make_newsletter(source=Source.SITE, is_active=False)
    make_newsletter(source=Source.SITE, cadence=Cadence.DAILY, send_time=time(7))
    for headline in ("One", "Two"):
        services.publish(
            article=approved_story(section=europe, headline=headline), user=publisher, email=True
        )
    assert [i.subject for i in by_section.issues.order_by("number")] == ["One", "Two"]
    assert list(whole_site.issues.values_list("number", flat=True)) == [2, 1]
    assert Issue.objects.count() == 4


def test_a_scheduled_story_is_left_to_the_worker_at_its_time(publisher):
    series = make_series()
    letter = make_newsletter(series=series)
    story = approved_story(series=series)
    at = timezone.now() + timedelta(hours=3)
    services.publish(article=story, user=publisher, at=at, email=True)
    assert not letter.issues.exists(), "nothing before its time"
    [task] = DBTaskResult.objects.filter(task_path="newsletters.tasks.story_went_live")
    assert task.args_kwargs["args"] == [story.pk] and task.run_after == at
    assert issue_making.issues_for_scheduled(story.pk) == [], "run early (rescheduled): nothing yet"
    story.refresh_from_db()
    type(story).objects.filter(pk=story.pk).update(publish_at=timezone.now())
    [issue] = issue_making.issues_for_scheduled(story.pk)
    assert issue.newsletter == letter and list(issue.stories.all()) == [story]


def test_a_story_unpublished_before_its_time_makes_no_issue(publisher):
    series = make_series()
    letter = make_newsletter(series=series)
    story = make_article(status=Status.UNPUBLISHED, series=series)
    assert issue_making.issues_for_scheduled(story.pk) == []
    assert not letter.issues.exists()


def test_a_failure_in_the_newsletters_never_undoes_the_publication(publisher, caplog, monkeypatch):
    series = make_series()
    letter = make_newsletter(series=series)
    story = approved_story(series=series)

    def broken(*args, **kwargs):
        raise RuntimeError("the newsletter tables are on fire")

    monkeypatch.setattr(issue_making, "create_issue", broken)
    with caplog.at_level(logging.ERROR, logger="newsletters.issues"):
        services.publish(article=story, user=publisher, email=True)
    story.refresh_from_db()
    assert story.is_live()
    assert "Could not make newsletter issues" in caplog.text
    assert not letter.issues.exists()


def test_publishing_costs_one_query_more_when_no_newsletter_is_fed(
    publisher, django_assert_max_num_queries
):
    make_newsletter(series=make_series())
    story = approved_story()
    with django_assert_max_num_queries(40) as captured:
        services.publish(article=story, user=publisher, email=True)
    newsletter_queries = [q for q in captured if "newsletters_" in q["sql"]]
    assert len(newsletter_queries) == 1


def at_local(day: datetime, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day.date(), time(hour)))


def test_a_daily_digest_gathers_the_live_stories_since_the_last_one_at_its_local_time():
    section = make_section()
    letter = make_newsletter(
        source=Source.SECTION, section=section, cadence=Cadence.DAILY, send_time=time(7)
    )
    today_7 = at_local(timezone.localtime(), 7)
    older = make_article(status=Status.PUBLISHED, section=section,
                         publish_at=today_7 - timedelta(days=2))  # fmt: skip
    first = make_article(status=Status.PUBLISHED, section=section,
                         publish_at=today_7 - timedelta(hours=20))  # fmt: skip
    second = make_article(status=Status.PUBLISHED, section=section,
                          publish_at=today_7 - timedelta(hours=2))  # fmt: skip
    make_article(status=Status.DRAFT, section=section)
    make_article(status=Status.PUBLISHED)  # another section
    [digest] = issue_making.make_due_digests(now=today_7 + timedelta(minutes=5))
    assert [item.article for item in digest.items.all()] == [first, second]
    assert digest.newsletter == letter and digest.state == Issue.State.DRAFT
    assert older not in digest.stories.all()
    assert issue_making.make_due_digests(now=today_7 + timedelta(minutes=10)) == [], "once a slot"
    assert letter.issues.count() == 1


def test_a_weekly_digest_waits_for_its_weekday_and_skips_an_empty_week():
    section = make_section()
    now = timezone.localtime()
    letter = make_newsletter(
        source=Source.SECTION, section=section, cadence=Cadence.WEEKLY, send_time=time(7),
        weekday=(now.weekday() + 1) % 7,
    )  # fmt: skip
    slot = issue_making.last_slot(letter, now)
    assert slot.weekday() == letter.weekday and now - timedelta(days=7) < slot <= now
    assert issue_making.make_due_digests(now=now) == []  # nothing new in the section this week
    assert not letter.issues.exists()


@pytest.mark.django_db(transaction=True)
def test_two_workers_making_the_same_issue_at_once_make_one(settings):
    """The newsletter's row is the lock: a publish and a late task, or two workers, racing to
    make a story's issue make one (PostgreSQL: real row locks, real concurrent connections)."""
    import threading

    from django.db import connection, connections

    if connection.vendor != "postgresql":
        pytest.skip("Concurrent transactions need a real server (PostgreSQL).")
    series = make_series()
    letter = make_newsletter(series=series)
    story = make_article(status=Status.PUBLISHED, series=series)
    barrier, made, errors = threading.Barrier(4), [], []

    def worker():
        try:
            barrier.wait()
            made.extend(issue_making.issues_for_scheduled(story.pk))
        except Exception as error:  # a duplicate issue number, a deadlock: all are failures
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == [] and len(made) == 1
    assert letter.issues.count() == 1 and IssueStory.objects.filter(article=story).count() == 1
