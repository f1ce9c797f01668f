"""`manage.py db_worker`: django-tasks-db's worker, which first resumes the newsletter sends a
killed worker left half done and starts the digest clock (newsletters.worker)."""

from django_tasks_db.management.commands.db_worker import Command as WorkerCommand

from newsletters import worker


class Command(WorkerCommand):
    help = WorkerCommand.help + "; resumes interrupted newsletter sends first"

    def handle(self, *args, **options):
        worker.prepare()
        return super().handle(*args, **options)
