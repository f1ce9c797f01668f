"""What the background worker does besides running queued tasks: on start, pick up sends a
dead worker left half done, and keep the digest clock ticking (docs/newsletters.md, "The
worker"). `manage.py db_worker` (newsletters/management/commands/db_worker.py) calls
`prepare()` before it starts working."""

import logging
from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from .models import Issue

logger = logging.getLogger(__name__)


def _waiting(task, first_arg=None) -> bool:
    """Whether this task (for this issue, say) is already queued and not yet run, whenever
    it is due (a send waiting out a backoff counts)."""
    waiting = DBTaskResult.objects.filter(status="READY", task_path=task.module_path)
    if first_arg is not None:
        waiting = waiting.filter(args_kwargs__args__0=first_arg)
    return waiting.exists()


def prepare() -> None:
    """Resume every issue still sending (its worker may have died mid-send: a RUNNING task
    whose process is gone is never run again) and start the digest cycle."""
    from . import tasks

    for issue_id in Issue.objects.filter(state=Issue.State.SENDING).values_list("pk", flat=True):
        if not _waiting(tasks.send_issue, issue_id):
            tasks.send_issue.enqueue(issue_id)
            logger.info("Resuming the send of issue %s", issue_id)
    if not _waiting(tasks.send_due_digests):
        tasks.send_due_digests.enqueue()


def run_digests_and_reschedule() -> None:
    """Make the digests that are due, and come back in NEWSLETTER_DIGEST_INTERVAL seconds
    (scheduled first, so a failing digest does not stop the clock)."""
    from . import issues, tasks

    if not _waiting(tasks.send_due_digests):
        later = timezone.now() + timedelta(seconds=settings.NEWSLETTER_DIGEST_INTERVAL)
        tasks.send_due_digests.using(run_after=later).enqueue()
    issues.send_due_digests()
