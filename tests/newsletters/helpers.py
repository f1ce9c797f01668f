"""Newsletters built in code, and the confirmation emails a test makes the worker send."""

from django_tasks_db.models import DBTaskResult

from newsletters import emails
from newsletters.models import Newsletter, Subscriber
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
    """Do what the worker does with each queued confirmation: run the task's function (its
    sending half comes from newsletters.sending; before that branch is merged, send the
    message the task would send), then drop the row. How many were sent."""
    from newsletters import tasks

    rows = list(DBTaskResult.objects.filter(task_path=CONFIRMATION_TASK).order_by("enqueued_at"))
    for row in rows:
        subscriber_id, newsletter_ids, source = row.args_kwargs["args"]
        try:
            from newsletters.sending import send_confirmation  # noqa: F401
        except ImportError:
            subscriber = Subscriber.objects.get(pk=subscriber_id)
            newsletters = Newsletter.objects.filter(pk__in=newsletter_ids).order_by("name")
            emails.confirmation_message(subscriber, newsletters, source).send()
        else:
            tasks.send_confirmation.call(subscriber_id, newsletter_ids, source)
        row.delete()
    return len(rows)
