"""A story is mailed to its newsletter's subscribers only when the publisher chose it: the
worker (`manage.py db_worker`, run here until its queue is empty) and a real SMTP server on
127.0.0.1 receive nothing for a story published without email, and one message per
subscriber for one published with it."""

import pytest
from django.core.management import call_command

from articles import services
from newsletters.models import Issue

from .issue_factories import approved_story, make_newsletter, make_series
from .sending_kit import add_subscribers

pytestmark = pytest.mark.django_db(transaction=True)


def run_the_worker() -> None:
    """What `manage.py db_worker` does with everything queued, then stop."""
    call_command("db_worker", batch=True, no_startup_delay=True, interval=0, verbosity=0)


def test_the_worker_mails_subscribers_only_when_the_publisher_chose_it(smtp, publisher):
    series = make_series()
    letter = make_newsletter(series=series, send_automatically=True)
    add_subscribers(letter, 3)
    quiet, loud = approved_story(series=series), approved_story(series=series)

    services.publish(article=quiet, user=publisher, email=False)
    run_the_worker()
    assert smtp.sink.messages == [] and not Issue.objects.exists()

    services.publish(article=loud, user=publisher, email=True)
    run_the_worker()
    [issue] = Issue.objects.all()
    assert issue.state == Issue.State.SENT and list(issue.stories.all()) == [loud]
    assert sorted(smtp.sink.per_recipient()) == [f"reader{n}@example.org" for n in range(3)]
