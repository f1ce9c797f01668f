"""`manage.py db_worker`: django-tasks-db's worker, which first lets each app that runs on it
get ready: newsletters resume the sends a killed worker left half done and start the digest
clock (newsletters.worker); audience figures start the fold's clock (audience.worker)."""

from django_tasks_db.management.commands.db_worker import Command as WorkerCommand

from audience import worker as audience_worker
from newsletters import worker as newsletters_worker


class Command(WorkerCommand):
    help = WorkerCommand.help + "; resumes interrupted newsletter sends and folds audience figures"

    def handle(self, *args, **options):
        newsletters_worker.prepare()
        audience_worker.prepare()
        return super().handle(*args, **options)
