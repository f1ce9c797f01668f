"""Starting an issue's send (docs/newsletters.md, "Sending"): `start_send`, called by the desk
or by an issue that sends by itself, writes one Delivery row per recipient and hands the issue
to the worker, whose loop is newsletters.delivering."""

import logging

from django.db import connection, transaction
from django.utils import timezone

# message_id: load_demo marks its demo deliveries sent under the ids the worker would give.
from .delivering import message_id, recipients, send_issue  # noqa: F401
from .models import Delivery, Issue

logger = logging.getLogger(__name__)


def start_send(issue: Issue, *, user=None) -> int:
    """Queue an issue for every current recipient and hand it to the worker. Returns how many
    deliveries were queued; 0, doing nothing, if the issue is already sending or sent."""
    with transaction.atomic():
        issue = Issue.objects.select_for_update().get(pk=issue.pk)
        if issue.state not in (Issue.State.DRAFT, Issue.State.SCHEDULED):
            return 0
        queued = _queue_deliveries(issue)
        issue.state, issue.sending_started_at = Issue.State.SENDING, timezone.now()
        issue.save(update_fields=["state", "sending_started_at"])
        # The task row is written in the same transaction: both happen, or neither.
        send_issue.enqueue(issue.pk)
    logger.info("Issue %s: %d deliveries queued by %s", issue.pk, queued, user or "the site")
    return queued


def _queue_deliveries(issue: Issue) -> int:
    """One queued delivery per recipient, written by the database itself (INSERT … SELECT):
    a 50,000-address list never passes through Python. Rows that exist are left alone."""
    ids = recipients(issue.newsletter).values("id").query
    select_sql, params = ids.get_compiler(using=Delivery.objects.db).as_sql()
    table = connection.ops.quote_name(Delivery._meta.db_table)
    with connection.cursor() as cursor:
        # "WHERE true" lets SQLite read ON CONFLICT as the INSERT's, not the SELECT's.
        cursor.execute(
            f"INSERT INTO {table} (issue_id, subscriber_id, state, attempts, message_id, error, "
            f"claim) SELECT %s, chosen.id, %s, 0, '', '', '' FROM ({select_sql}) chosen "
            f"WHERE 1 = 1 ON CONFLICT (issue_id, subscriber_id) DO NOTHING",
            [issue.pk, Delivery.State.QUEUED, *params],
        )
        return cursor.rowcount


def send_scheduled(issue_id: int) -> int:
    """The worker's side of a schedule (issues.schedule): start the send if the issue is still
    scheduled and due (an editor may have moved or cancelled it since)."""
    issue = Issue.objects.filter(pk=issue_id, state=Issue.State.SCHEDULED).first()
    if issue is None or (issue.send_at and issue.send_at > timezone.now()):
        return 0
    return start_send(issue)
