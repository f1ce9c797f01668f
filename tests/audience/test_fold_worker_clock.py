"""The worker folds by itself: `manage.py db_worker` starts the fold's clock once, each fold
queues the next, and `manage.py fold_audience` folds on demand."""

import pytest
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from audience import buffer as buffering
from audience import worker
from audience.tasks import fold_audience
from tests.audience.fold_kit import figures, view

pytestmark = pytest.mark.django_db


def waiting_folds():
    return DBTaskResult.objects.filter(status="READY", task_path=fold_audience.module_path)


@pytest.mark.django_db(transaction=True)  # the worker takes its tasks in transactions of its own
def test_the_worker_folds_what_was_buffered_and_queues_the_next_fold(settings):
    settings.AUDIENCE_FOLD_INTERVAL = 3600
    for _ in range(3):
        buffering.append(view("other"))
    worker.prepare()
    worker.prepare()  # a second worker starting: still one clock
    assert waiting_folds().count() == 1

    call_command("db_worker", batch=True, no_startup_delay=True, interval=0, verbosity=0)
    assert figures("site")["views"] == 3
    assert len(buffering.buffer()) == 0
    [later] = waiting_folds()  # the next fold, an interval away
    assert DBTaskResult.objects.filter(task_path=fold_audience.module_path,
                                       status="SUCCESSFUL").count() == 1  # fmt: skip
    assert later.run_after is not None


def test_fold_audience_folds_everything_pending_and_says_how_many(capsys):
    for _ in range(4):
        buffering.append(view("other"))
    call_command("fold_audience", batch=3)
    assert "Folded 4 audience events." in capsys.readouterr().out
    assert figures("site")["views"] == 4
