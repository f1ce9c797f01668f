"""Publishing says what it does to readers and subscribers: "Publish again" keeps a story's
original date; a story is emailed to its newsletters only when the publisher chose it, and
the publish step names them and how many people they reach."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from articles import services
from articles.models import Article, Status
from newsletters import issue_making, publish_effects
from newsletters.models import Cadence, Delivery, Issue
from tests.admin_forms import change_form_data, change_url, logged_in
from tests.factories import make_article
from tests.newsletters.issue_factories import make_newsletter, make_series
from tests.newsletters.sending_kit import add_subscribers

pytestmark = pytest.mark.django_db

FIFTH = datetime(2026, 12, 5, 14, 0, tzinfo=ZoneInfo("America/New_York"))


def test_publish_again_restores_the_original_publish_time(publisher):
    story = make_article(status=Status.PUBLISHED, publish_at=FIFTH)
    newer = make_article(status=Status.PUBLISHED, publish_at=FIFTH + timedelta(days=1))
    services.unpublish(article=story, user=publisher)
    services.publish_again(article=story, user=publisher)
    story.refresh_from_db()
    assert story.is_live() and story.publish_at == FIFTH and story.first_published_at == FIFTH
    assert list(Article.objects.live()) == [newer, story]
    assert story.transitions.filter(
        comment="Published again with its original date, 5 December 2026 14:00"
    ).exists()


def test_publish_again_says_so(publisher):
    story = make_article(status=Status.UNPUBLISHED, publish_at=FIFTH)
    desk = logged_in(publisher)
    form = desk.get(change_url(story)).content.decode()
    assert "With its original date, 5 December 2026 14:00; no email is sent." in form
    response = desk.post(f"/admin/articles/article/{story.pk}/workflow/republish/", follow=True)
    assert "Published again with its original date, 5 December 2026 14:00" in (
        response.content.decode()
    )


def test_a_story_unpublished_before_its_time_is_scheduled_again_for_it(publisher):
    at = timezone.now() + timedelta(days=2)
    story = make_article(status=Status.UNPUBLISHED, publish_at=at)
    services.publish_again(article=story, user=publisher)
    story.refresh_from_db()
    assert story.is_scheduled and story.publish_at == at


@pytest.fixture
def installment():
    series = make_series(name="Diplomacy Watch")
    letter = make_newsletter(series=series, name="Diplomacy Watch", send_automatically=True)
    add_subscribers(letter, 3)
    add_subscribers(letter, 2, prefix="unconfirmed", confirmed=False)
    return make_article(status=Status.APPROVED, series=series, headline="Envoys meet")


def test_the_publish_step_names_the_newsletter_and_its_subscribers(installment, publisher):
    page = logged_in(publisher).get(change_url(installment)).content.decode()
    assert "Publish and email 3 subscribers of Diplomacy Watch" in page
    assert "Publish without email" in page
    assert "Schedule; emails 3 subscribers of Diplomacy Watch when it goes live" in page
    assert "Schedule without email" in page


def test_other_newsletters_are_named_for_what_they_do(installment):
    make_newsletter(series=installment.series, name="Desk Picks")  # waits on the desk
    make_newsletter(source="site", name="Morning Brief", cadence=Cadence.DAILY, send_time=time(7))
    said = publish_effects.describe(publish_effects.mailings_for(installment))
    assert said == (
        "make an email to 0 subscribers of Desk Picks for the desk to send, "
        "email 3 subscribers of Diplomacy Watch "
        "and add it to the next daily digest to 0 subscribers of Morning Brief"
    )


def test_publish_without_email_queues_nothing(installment, publisher):
    services.publish(article=installment, user=publisher, email=False)
    installment.refresh_from_db()
    assert installment.is_live() and installment.publish_without_email
    assert not Issue.objects.exists() and not Delivery.objects.exists()
    assert not DBTaskResult.objects.exists()
    assert issue_making.issues_for_scheduled(installment.pk) == []
    assert publish_effects.mailings_for(installment) != [], "nothing was carried"


def test_publish_by_default_emails_no_one(installment):
    """Commands, the importer and bulk steps never mail readers by accident."""
    services.publish(article=installment, user=services.SYSTEM)
    assert not Issue.objects.exists() and not DBTaskResult.objects.exists()


def test_publish_and_email_queues_the_issue_to_every_subscriber(installment, publisher):
    desk = logged_in(publisher)
    data = change_form_data(desk.get(change_url(installment)))
    data["_step"] = "publish-and-email"
    assert desk.post(change_url(installment), data).status_code == 302
    [issue] = Issue.objects.all()
    assert issue.state == Issue.State.SENDING and issue.deliveries.count() == 3
    assert publish_effects.mailings_for(installment) == [], "it will not be mailed twice"


def test_a_schedule_without_email_is_kept_until_its_time(installment, publisher):
    desk = logged_in(publisher)
    data = change_form_data(desk.get(change_url(installment)))
    data.update(_step="schedule", _step_at="2030-01-02T08:00")
    assert desk.post(change_url(installment), data).status_code == 302
    installment.refresh_from_db()
    assert installment.is_scheduled and installment.publish_without_email
    Article.objects.filter(pk=installment.pk).update(publish_at=timezone.now())
    assert issue_making.issues_for_scheduled(installment.pk) == []
    assert not Issue.objects.exists()


def test_a_story_published_without_email_stays_out_of_digests(publisher):
    digest = make_newsletter(source="site", cadence=Cadence.DAILY, send_time=time(7))
    quiet = make_article(status=Status.APPROVED)
    loud = make_article(status=Status.APPROVED)
    services.publish(article=quiet, user=publisher, email=False)
    services.publish(article=loud, user=publisher, email=True)
    since = timezone.now() - timedelta(hours=1)
    stories = issue_making.stories_for_digest(digest, since=since, now=timezone.now())
    assert list(stories) == [loud]
