"""Picking up after workers that died (killed, or their machine lost): a send left half done
gets a new run, and the task rows they left "running" are closed (docs/newsletters.md, "The
worker"). Run when a worker starts and on the worker's clock."""

import logging
from datetime import timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from .delivering import send_issue
from .models import Delivery, Issue

logger = logging.getLogger(__name__)

ABANDONED = (
    "The worker running this task stopped (killed, or its machine lost) before it finished. "
    "Marked failed by newsletters.resuming; an interrupted send was resumed by a new run."
)


def _quiet_since():
    """Longer ago than any newsletter task runs or a live send goes without a claim: two
    claim lifetimes and a send's slice."""
    return timezone.now() - timedelta(
        seconds=2 * settings.NEWSLETTER_CLAIM_TIMEOUT + settings.NEWSLETTER_SLICE_SECONDS
    )


def waiting(task, first_arg=None) -> bool:
    """Whether this task (for this issue, say) is already queued and not yet run, whenever
    it is due (a send waiting out a backoff counts)."""
    rows = DBTaskResult.objects.filter(status="READY", task_path=task.module_path)
    if first_arg is not None:
        rows = rows.filter(args_kwargs__args__0=first_arg)
    return rows.exists()


def fail_abandoned_tasks() -> int:
    """Mark failed the newsletter task rows still "running" long after any could: their
    worker died (django-tasks-db has no lease, so they would say running for ever). A run
    that is only slow and finishes after all writes its own result over this. How many."""
    return DBTaskResult.objects.filter(
        status="RUNNING", task_path__startswith="newsletters.", started_at__lt=_quiet_since()
    ).update(
        status="FAILED",
        finished_at=timezone.now(),
        exception_class_path="newsletters.resuming.WorkerStopped",
        traceback=ABANDONED,
    )


def resume_sends(*, stalled_only: bool = True) -> list[int]:
    """Give a new run to each issue still sending that has none waiting; the ones resumed are
    returned. When a worker starts, that is every such issue (a run whose worker died is
    never run again). With `stalled_only` (the worker's clock), only those nothing is
    working on: no delivery claimed or sent for two claim lifetimes and a slice (a run that
    failed on a lost database connection leaves its send so, and the database may come back
    without a worker restart); a send in progress renews a claim per message."""
    quiet_since = _quiet_since()
    sending = Issue.objects.filter(state=Issue.State.SENDING)
    if stalled_only:
        sending = sending.filter(sending_started_at__lt=quiet_since)
    resumed = []
    for issue_id in sending.values_list("pk", flat=True):
        if waiting(send_issue, issue_id):
            continue
        busy = Delivery.objects.filter(
            Q(claimed_at__gte=quiet_since) | Q(sent_at__gte=quiet_since), issue_id=issue_id
        )
        if stalled_only and busy.exists():
            continue
        send_issue.enqueue(issue_id)
        logger.warning("Resuming the send of issue %s", issue_id)
        resumed.append(issue_id)
    return resumed
