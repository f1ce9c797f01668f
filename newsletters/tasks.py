"""The newsletter tasks: what web requests and the desk hand to the background worker
(`manage.py db_worker`, django-tasks' database backend). Web requests never send mail: they
enqueue one of these, inside `transaction.on_commit`, and the worker does the sending.

Each task is a thin wrapper; the work lives in the module that owns it (imported inside the
function, so a module that is not there yet fails only the task that needs it).
"""

from django_tasks import task

# A reader waiting for a confirmation email, or an editor for a test, does not wait for a
# 50,000-address send to finish: those tasks outrank it (the worker takes the highest
# priority first, and a send hands over between slices: newsletters.sending).


@task()
def send_issue(issue_id: int, attempt: int = 0) -> dict:
    """Send an issue's queued deliveries, in batches, at NEWSLETTER_RATE; resumable.
    `attempt` counts the consecutive temporary failures (for the backoff)."""
    from newsletters import sending

    return sending.send_issue(issue_id, attempt=attempt)


@task()
def send_scheduled_issue(issue_id: int) -> int:
    """A scheduled issue's time came: start its send (if it is still scheduled)."""
    from newsletters import sending

    return sending.send_scheduled(issue_id)


@task(priority=10)
def send_confirmation(subscriber_id: int, newsletter_ids: list[int], source: str = "") -> None:
    """Mail the double opt-in confirmation for these newsletters to one subscriber."""
    from newsletters import sending

    sending.send_confirmation(subscriber_id, newsletter_ids, source)


@task(priority=10)
def send_test(issue_id: int, email: str) -> None:
    """Mail one test copy of an issue to a member of staff (no delivery is recorded)."""
    from newsletters import sending

    sending.send_test_copy(issue_id, email)


@task(priority=5)
def story_went_live(article_id: int) -> None:
    """A scheduled story's publish time came: make the issue it feeds (newsletters.issues)."""
    from newsletters import issues

    issues.story_went_live(article_id)


@task()
def send_due_digests() -> None:
    """Make and send the daily and weekly digests whose time has come, then come back in
    NEWSLETTER_DIGEST_INTERVAL seconds (the worker starts the cycle: newsletters.worker)."""
    from newsletters import worker

    worker.run_digests_and_reschedule()
