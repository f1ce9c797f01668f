"""The newsletter tasks the background worker runs (`manage.py db_worker`, django-tasks'
database backend). Web requests never send mail: they enqueue one of these, inside
`transaction.on_commit`, and the worker does the sending.

Their paths (newsletters.tasks.<name>) are what the queue stores, so they stay put. The send
itself, `send_issue`, lives with its loop (newsletters.delivering) and is named here too, so a
row queued under this module's name still runs.
"""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django_tasks import task

from . import issue_making, resuming, sending
from .delivering import send_issue, suppress
from .emails import confirmation_message
from .issue_email import issue_message
from .mail import Outcome, classify, is_suppressing, newsletter_connection
from .models import Issue, Newsletter, Subscriber

__all__ = [
    "mail_test_copy",
    "send_confirmation",
    "send_due_digests",
    "send_issue",
    "send_scheduled_issue",
    "story_went_live",
]

# A reader waiting for a confirmation email, or an editor for a test, does not wait for a
# 50,000-address send to finish: those tasks outrank it (the worker takes the highest
# priority first, and a send hands over between slices: newsletters.delivering).


@task()
def send_scheduled_issue(issue_id: int) -> int:
    """A scheduled issue's time came: start its send (if it is still scheduled)."""
    return sending.send_scheduled(issue_id)


@task(priority=10)
def send_confirmation(subscriber_id: int, newsletter_ids: list[int], source: str = "") -> bool:
    """Mail the double opt-in confirmation for these newsletters; nothing for an address
    erased or suppressed since. A 5xx suppresses the address; a temporary failure is raised
    (the task fails, and the reader can ask again)."""
    subscriber = Subscriber.objects.filter(pk=subscriber_id, suppressed_at__isnull=True).first()
    newsletters = list(Newsletter.objects.filter(pk__in=newsletter_ids))
    if subscriber is None or not newsletters:
        return False
    try:
        newsletter_connection().send_messages(
            [confirmation_message(subscriber, newsletters, source)]
        )
    except Exception as error:
        if classify(error) is Outcome.REJECTED and is_suppressing(error):
            suppress(subscriber, f"Refused by the mail server: {error}")
            return False
        raise
    return True


@task(priority=10)
def mail_test_copy(issue_id: int, email: str) -> None:
    """Mail one test copy of an issue to a member of staff (no delivery is recorded)."""
    issue = Issue.objects.select_related("newsletter").get(pk=issue_id)
    newsletter_connection().send_messages([issue_message(issue, None, test=True, to=email)])


@task(priority=5)
def story_went_live(article_id: int) -> None:
    """A scheduled story's publish time came: make the issues it feeds, if it is live."""
    issue_making.issues_for_scheduled(article_id)


@task()
def send_due_digests() -> None:
    """The worker's clock: come back in NEWSLETTER_DIGEST_INTERVAL seconds (scheduled first,
    so a failure does not stop the clock), pick up after dead workers, and make the daily
    and weekly digests whose time has come."""
    if not resuming.waiting(send_due_digests):
        later = timezone.now() + timedelta(seconds=settings.NEWSLETTER_DIGEST_INTERVAL)
        send_due_digests.using(run_after=later).enqueue()
    resuming.fail_abandoned_tasks()
    resuming.resume_sends(stalled_only=True)
    issue_making.make_due_digests()
