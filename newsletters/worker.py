"""What the background worker does besides running queued tasks: on start, pick up sends a
dead worker left half done, and keep the digest clock ticking (docs/newsletters.md, "The
worker"). `manage.py db_worker` (newsletters/management/commands/db_worker.py) calls
`prepare()` before it starts working."""

import logging
from datetime import timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from .models import Delivery, Issue

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

    resume_sends(stalled_only=False)
    if not _waiting(tasks.send_due_digests):
        tasks.send_due_digests.enqueue()


def resume_sends(*, stalled_only: bool = True) -> list[int]:
    """Give a new run to each issue still sending that has none waiting; the ones resumed are
    returned. With `stalled_only` (the worker's clock), only those nothing is working on:
    no delivery claimed or sent for two claim lifetimes and a slice (a run that failed on a
    lost database connection leaves its send so, and the database may come back without a
    worker restart). A send in progress always shows a claim renewed per message, or a task
    waiting out a backoff, so it is left alone."""
    from . import tasks

    quiet_since = timezone.now() - timedelta(
        seconds=2 * settings.NEWSLETTER_CLAIM_TIMEOUT + settings.NEWSLETTER_SLICE_SECONDS
    )
    sending = Issue.objects.filter(state=Issue.State.SENDING)
    if stalled_only:
        sending = sending.filter(sending_started_at__lt=quiet_since)
    resumed = []
    for issue_id in sending.values_list("pk", flat=True):
        if _waiting(tasks.send_issue, issue_id):
            continue
        if (
            stalled_only
            and Delivery.objects.filter(
                Q(claimed_at__gte=quiet_since) | Q(sent_at__gte=quiet_since), issue_id=issue_id
            ).exists()
        ):
            continue
        tasks.send_issue.enqueue(issue_id)
        logger.warning("Resuming the send of issue %s", issue_id)
        resumed.append(issue_id)
    return resumed


def run_digests_and_reschedule() -> None:
    """Make the digests that are due and resume stalled sends, and come back in
    NEWSLETTER_DIGEST_INTERVAL seconds (scheduled first, so a failure does not stop the
    clock)."""
    from . import issues, tasks

    if not _waiting(tasks.send_due_digests):
        later = timezone.now() + timedelta(seconds=settings.NEWSLETTER_DIGEST_INTERVAL)
        tasks.send_due_digests.using(run_after=later).enqueue()
    resume_sends(stalled_only=True)
    issues.send_due_digests()
