"""The audience task the background worker runs (`manage.py db_worker`): the fold's clock.
Its path (audience.tasks.fold_audience) is what the queue stores, so it stays put."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django_tasks import task

from . import folding


@task()
def fold_audience() -> int:
    """Fold what the beacon buffered, then come back in AUDIENCE_FOLD_INTERVAL seconds
    (queued first, so a failure, a Redis down say, does not stop the clock). How many
    events were folded."""
    if not waiting():
        later = timezone.now() + timedelta(seconds=settings.AUDIENCE_FOLD_INTERVAL)
        fold_audience.using(run_after=later).enqueue()
    return folding.fold_pending()


def waiting() -> bool:
    """Whether the next fold is already queued (whenever it is due)."""
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(status="READY", task_path=fold_audience.module_path).exists()
