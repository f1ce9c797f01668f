"""Newsletters built in code, and the confirmation emails a test makes the worker send."""

from django_tasks_db.models import DBTaskResult

from newsletters.models import Newsletter
from sections.models import Series

CONFIRMATION_TASK = "newsletters.tasks.send_confirmation"


def make_newsletter(**fields) -> Newsletter:
    n = Newsletter.objects.count() + 1
    if "series" not in fields and fields.get("source", "series") == "series":
        fields["series"] = Series.objects.create(name=f"Series {n}", slug=f"series-{n}")
    defaults = {
        "name": f"Newsletter {n}",
        "slug": f"newsletter-{n}",
        "sender_name": "The Desk",
        "sender_email": "desk@newsroom.example",
        "reply_to": "letters@newsroom.example",
    }
    return Newsletter.objects.create(**{**defaults, **fields})


def queued_confirmations() -> list[list]:
    """The arguments of every confirmation the web requests enqueued, oldest first."""
    return [
        row.args_kwargs["args"]
        for row in DBTaskResult.objects.filter(task_path=CONFIRMATION_TASK).order_by("enqueued_at")
    ]


def send_queued_confirmations() -> int:
    """Do what the worker does with each queued confirmation (run the task's function), then
    drop the row. How many were sent."""
    from newsletters import tasks

    rows = list(DBTaskResult.objects.filter(task_path=CONFIRMATION_TASK).order_by("enqueued_at"))
    for row in rows:
        tasks.send_confirmation.call(*row.args_kwargs["args"])
        row.delete()
    return len(rows)
