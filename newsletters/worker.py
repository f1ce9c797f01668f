"""What the background worker does before it runs queued tasks: pick up after workers that
died and start the digest clock (docs/newsletters.md, "The worker"). `manage.py db_worker`
(newsroom/management/commands/db_worker.py) calls `prepare()` first."""

from . import resuming, tasks


def prepare() -> None:
    """Close the task rows dead workers left running, resume every issue still sending (a
    run whose worker died is never run again), and start the digest clock."""
    resuming.fail_abandoned_tasks()
    resuming.resume_sends(stalled_only=False)
    if not resuming.waiting(tasks.send_due_digests):
        tasks.send_due_digests.enqueue()
