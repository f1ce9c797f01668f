"""What the background worker does for audience figures before it runs queued tasks: start
the fold's clock (audience.tasks.fold_audience) unless it is already waiting. `manage.py
db_worker` (newsroom/management/commands/db_worker.py) calls `prepare()` first."""

from datetime import timedelta

from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from . import tasks

# Longer than any fold runs (a million-event backlog folds in about a minute).
ABANDONED_AFTER = timedelta(minutes=15)
ABANDONED = (
    "The worker running this fold stopped (killed, or its machine lost) before it finished. "
    "Nothing of its unfinished batch was kept: the next fold reads on from the cursor."
)


def prepare() -> None:
    """Close the fold rows dead workers left "running" long ago, and start the clock."""
    now = timezone.now()
    DBTaskResult.objects.filter(
        status="RUNNING",
        task_path=tasks.fold_audience.module_path,
        started_at__lt=now - ABANDONED_AFTER,
    ).update(
        status="FAILED",
        finished_at=now,
        exception_class_path="audience.worker.WorkerStopped",
        traceback=ABANDONED,
    )
    if not tasks.waiting():
        tasks.fold_audience.enqueue()
