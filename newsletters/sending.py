"""Sending an issue, for real, from the background worker (docs/newsletters.md, "Sending").

`start_send` (the desk, or an issue that sends by itself) writes one Delivery row per
recipient and hands the issue to the worker. `send_issue` (the worker) claims queued
deliveries in batches, sends each batch through one connection at NEWSLETTER_RATE, and records
each message the moment the server takes it. A killed worker's claims expire and another run
takes them over, so a send resumes where it stopped.

Exactly once, over SMTP: a message is recorded as sent between its body and the line that
ends it ("."), the moment an SMTP server accepts it (mail.hand_over). The record goes to the
database without waiting for its answer, so the two writes are a few microseconds apart:
- a worker killed before the record leaves a queued delivery whose message the server never
  accepted (a DATA without its end is discarded): it is sent again when the claim expires;
- one killed after it leaves a delivery recorded as sent whose last line is already out.
A line that drops after the last line went out but before the server answered may or may not
have delivered: that delivery is counted failed ("interrupted") and not sent again.

Through an ESP's API (EMAIL_PROVIDER) there is no such split: a delivery is marked SENDING
before the call and SENT after, and a worker that dies between the two leaves a SENDING row
that a later run counts failed, never sends again (at most once). Every message also carries
a Message-ID made from its delivery, the same on any retry, for a mailbox that drops
duplicates.
"""

import logging
import time
import uuid
from datetime import timedelta

from django.conf import settings
from django.db import DatabaseError, OperationalError, connection, transaction
from django.db.models import Min, Q, QuerySet
from django.utils import timezone

from caching.invalidation import SOFT, announce

from .mail import Outcome, SMTPBackend, classify, hand_over, is_suppressing, newsletter_connection
from .models import Delivery, Issue, Subscriber, Subscription

logger = logging.getLogger(__name__)

INTERRUPTED = "Interrupted: the server may have the message; not sent again."


def recipients(newsletter) -> QuerySet[Subscriber]:
    """Who may be mailed this newsletter now: confirmed, subscribed, not suppressed."""
    return Subscriber.objects.filter(
        confirmed_at__isnull=False,
        suppressed_at__isnull=True,
        subscriptions__newsletter=newsletter,
        subscriptions__state=Subscription.State.ACTIVE,
    )


def start_send(issue: Issue, *, user=None) -> int:
    """Queue an issue for every current recipient and hand it to the worker. Returns how many
    deliveries were queued; 0, doing nothing, if the issue is already sending or sent."""
    from . import tasks

    with transaction.atomic():
        issue = Issue.objects.select_for_update().get(pk=issue.pk)
        if issue.state not in (Issue.State.DRAFT, Issue.State.SCHEDULED):
            return 0
        queued = _queue_deliveries(issue)
        issue.state, issue.sending_started_at = Issue.State.SENDING, timezone.now()
        issue.save(update_fields=["state", "sending_started_at"])
        # The task row is written in the same transaction: both happen, or neither.
        tasks.send_issue.enqueue(issue.pk)
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


def schedule_send(issue: Issue, *, send_at, user=None) -> None:
    """Mark an issue scheduled; the worker starts its send at `send_at`."""
    from . import tasks

    with transaction.atomic():
        Issue.objects.filter(pk=issue.pk, state__in=["draft", "scheduled"]).update(
            state=Issue.State.SCHEDULED, send_at=send_at
        )
        tasks.send_scheduled_issue.using(run_after=send_at).enqueue(issue.pk)


def send_scheduled(issue_id: int) -> int:
    """The worker's side of `schedule_send`: start the send if it is still scheduled and due
    (an editor may have moved or cancelled it since)."""
    issue = Issue.objects.filter(pk=issue_id, state=Issue.State.SCHEDULED).first()
    if issue is None or (issue.send_at and issue.send_at > timezone.now()):
        return 0
    return start_send(issue)


def send_test(issue: Issue, *, user) -> None:
    """Mail a test copy of the issue to the member of staff asking (through the worker)."""
    from . import tasks

    transaction.on_commit(lambda: tasks.send_test.enqueue(issue.pk, user.email))


# --- The worker's side --------------------------------------------------------------------------


class _Pace:
    """At most `rate` messages a second (0: as fast as the server takes them)."""

    def __init__(self, rate: float):
        self.interval = 1 / rate if rate > 0 else 0
        self.next = time.monotonic()

    def wait(self) -> None:
        if not self.interval:
            return
        now = time.monotonic()
        if self.next > now:
            time.sleep(self.next - now)
        self.next = max(self.next, now) + self.interval


def _backoff(attempt: int) -> float:
    return min(settings.NEWSLETTER_RETRY_DELAY * 2**attempt, settings.NEWSLETTER_RETRY_MAX_DELAY)


def _batch_size() -> int:
    # A batch must be sent well within its claim's lifetime, or another worker takes it over.
    size = settings.NEWSLETTER_BATCH
    if settings.NEWSLETTER_RATE > 0:
        size = min(size, int(settings.NEWSLETTER_RATE * settings.NEWSLETTER_CLAIM_TIMEOUT / 2))
    return max(size, 1)


def _recover(issue: Issue, now) -> None:
    """A dead worker's message in flight: failed, never sent again (at most once)."""
    expired = now - timedelta(seconds=settings.NEWSLETTER_CLAIM_TIMEOUT)
    issue.deliveries.filter(state=Delivery.State.SENDING, claimed_at__lt=expired).update(
        state=Delivery.State.FAILED, error=INTERRUPTED, claim=""
    )


def _claim(issue: Issue) -> list[Delivery]:
    """Take the next batch of queued deliveries for this worker (others skip locked rows)."""
    now = timezone.now()
    _recover(issue, now)
    expired = now - timedelta(seconds=settings.NEWSLETTER_CLAIM_TIMEOUT)
    token = uuid.uuid4().hex
    with transaction.atomic():
        ids = list(
            issue.deliveries.select_for_update(skip_locked=True)
            .filter(state=Delivery.State.QUEUED)
            .filter(Q(claimed_at__isnull=True) | Q(claimed_at__lt=expired))
            .filter(Q(not_before__isnull=True) | Q(not_before__lte=now))
            .order_by("pk")
            .values_list("pk", flat=True)[: _batch_size()]
        )
        if not ids:
            return []
        Delivery.objects.filter(pk__in=ids).update(claim=token, claimed_at=now)
        # Unsubscribed, suppressed or erased since the send started: not mailed.
        Delivery.objects.filter(pk__in=ids).exclude(
            subscriber__in=recipients(issue.newsletter)
        ).update(state=Delivery.State.SKIPPED, claim="")
    return list(
        Delivery.objects.filter(pk__in=ids, claim=token, state=Delivery.State.QUEUED)
        .select_related("subscriber")
        .order_by("pk")
    )


def _mine(delivery: Delivery, state=Delivery.State.QUEUED):
    """This worker's claim on a delivery, still held (another run may have taken it over)."""
    return Delivery.objects.filter(pk=delivery.pk, claim=delivery.claim, state=state)


def _release(deliveries) -> None:
    for delivery in deliveries:
        _mine(delivery).update(claim="", claimed_at=None)


def message_id(delivery: Delivery, issue: Issue) -> str:
    """The delivery's own Message-ID: the same on every try, unique per recipient."""
    domain = issue.newsletter.sender_email.rpartition("@")[2] or "localhost"
    return f"<newsletter.{issue.pk}.{delivery.pk}@{domain}>"


def suppress(subscriber: Subscriber | None, reason: str) -> None:
    """Never mail this address again (a bounce, a complaint, a permanent refusal)."""
    if subscriber is None:
        return
    Subscriber.objects.filter(pk=subscriber.pk, suppressed_at__isnull=True).update(
        suppressed_at=timezone.now(), suppressed_reason=reason[:200]
    )


def _send_batch(issue: Issue, batch: list[Delivery], pace: _Pace, counts: dict) -> Outcome | None:
    """Send one claimed batch through one connection. Returns UNAVAILABLE when the server
    could not be used (the rest of the batch is released), None when the batch is done."""
    from .issue_email import issue_message

    # A fresh issue each batch: the email is rendered once for it (issue_email keeps the parts
    # on the object), so a story taken off the site mid-send is out of the next batch's
    # messages (a batch lasts seconds), and the intro an editor fixed is in them.
    issue = Issue.objects.select_related("newsletter").get(pk=issue.pk)
    connection = newsletter_connection()
    try:
        connection.open()
    except Exception as error:  # refused, timed out, greeting 4xx/5xx: try again later
        logger.warning("Issue %s: mail server unavailable (%s)", issue.pk, error)
        _release(batch)
        return Outcome.UNAVAILABLE
    try:
        for index, delivery in enumerate(batch):
            try:
                message = issue_message(issue, delivery.subscriber)
            except Exception:  # a bug, not the mail: the batch goes back for the next run
                _release(batch[index:])
                raise
            message.extra_headers["Message-ID"] = message_id(delivery, issue)
            pace.wait()
            ledger = _Ledger(delivery, message.extra_headers["Message-ID"])
            if not ledger.take(connection):
                continue  # taken over by another run after our claim expired
            try:
                ledger.send(connection, message)
            except Exception as error:
                outcome = classify(error, connection)
                if outcome is None:
                    if ledger.state != Delivery.State.SENT:
                        ledger.in_flight().update(
                            state=Delivery.State.QUEUED, claim="", claimed_at=None
                        )
                    _release(batch[index + 1 :])
                    raise
                if _failed(delivery, ledger.in_flight(), error, outcome, counts):
                    _release(batch[index + 1 :])
                    return Outcome.UNAVAILABLE
                continue
            counts["sent"] += 1
    finally:
        try:
            connection.close()
        except Exception:  # a dropped line cannot be closed politely; nothing to lose
            pass
    return None


class _Ledger:
    """One delivery while its message goes out: where its row stands, and the writes that move
    it. Over SMTP the row goes from queued (claimed) to sent at the moment the server takes
    the message (mail.hand_over); through an ESP's API it is marked sending before the call
    and sent after."""

    def __init__(self, delivery: Delivery, message_id: str):
        self.delivery, self.message_id = delivery, message_id
        self.state: str | None = Delivery.State.QUEUED  # None: taken over by another run
        self.deadline = self.claim_ends = 0.0

    def take(self, mail_connection) -> bool:
        """Renew this run's claim for the moment it sends (so no other run takes the row over
        meanwhile) and count the try; False if the claim was lost already. The message must
        be handed over within half the claim's lifetime (the other half is the margin for
        clocks that differ between workers' machines)."""
        marked = not isinstance(mail_connection, SMTPBackend)
        update = {"claimed_at": timezone.now(), "attempts": self.delivery.attempts + 1}
        if marked:
            update["state"] = Delivery.State.SENDING
        taken = time.monotonic()
        if not _mine(self.delivery).update(**update):
            return False
        self.deadline = taken + settings.NEWSLETTER_CLAIM_TIMEOUT / 2
        self.claim_ends = taken + settings.NEWSLETTER_CLAIM_TIMEOUT
        if marked:
            self.state = Delivery.State.SENDING
        return True

    def in_flight(self) -> QuerySet[Delivery]:
        """The row as this run left it, to record a failure on."""
        if self.state is None:
            return Delivery.objects.none()
        if self.state == Delivery.State.SENT:
            return Delivery.objects.filter(pk=self.delivery.pk, state=Delivery.State.SENT)
        return _mine(self.delivery, self.state)

    def send(self, mail_connection, message) -> None:
        if isinstance(mail_connection, SMTPBackend):
            if not hand_over(mail_connection, message, self._record_sent, deadline=self.deadline):
                logger.error("Delivery %s was taken over while it was sent", self.delivery.pk)
            return
        mail_connection.send_messages([message])
        status = getattr(message, "anymail_status", None)
        self.message_id = (status and status.message_id) or self.message_id
        _mine(self.delivery, Delivery.State.SENDING).update(**self._sent())
        self.state = Delivery.State.SENT

    def _sent(self) -> dict:
        return {
            "state": Delivery.State.SENT,
            "sent_at": timezone.now(),
            "message_id": self.message_id,
            "claim": "",
            "error": "",
        }

    def _record_sent(self):
        """hand_over's record: the row says sent. On PostgreSQL the UPDATE goes out without
        waiting for its answer (read after the message's last line is written), which keeps
        the two writes microseconds apart."""
        sent = self._sent()
        if connection.vendor != "postgresql" or connection.in_atomic_block:
            written = bool(_mine(self.delivery).update(**sent))
            self.state = Delivery.State.SENT if written else None
            return lambda: written
        try:
            settle = _update_without_waiting(
                Delivery, sent, pk=self.delivery.pk, claim=self.delivery.claim,
                state=Delivery.State.QUEUED,
                # Leaves a quarter of the claim to write it again (_record_again) if need be.
                give_up_at=(self.deadline + self.claim_ends) / 2,
            )  # fmt: skip
        except BaseException:
            connection.close()  # a statement may be half written: the next query reconnects
            raise
        self.state = Delivery.State.SENT  # on its way; the last line follows

        def settled() -> bool:
            try:
                changed = settle()
            except Exception as error:  # the connection dropped, a lock timed out…
                changed = self._record_again(sent, error)
            if not changed:
                self.state = None
            return changed

        return settled

    def _record_again(self, sent: dict, error: Exception) -> bool:
        """The record's answer did not come back, and the last line has gone (or is going): the
        row must say sent before any other run may take it, so it is written again on a fresh
        connection until that holds, for as long as this run's claim keeps others off it."""
        logger.warning("Delivery %s: recording it sent failed (%s); again", self.delivery.pk, error)
        while True:
            connection.close()
            try:
                if _mine(self.delivery).update(**sent):
                    return True
                # Zero rows: the first write did commit (its answer was lost), or another run
                # took the row over.
                return Delivery.objects.filter(
                    pk=self.delivery.pk,
                    state=Delivery.State.SENT,
                    message_id=self.message_id,
                    sent_at=sent["sent_at"],  # this run's write, not another's
                ).exists()
            except DatabaseError:
                if time.monotonic() > self.claim_ends:
                    raise
                time.sleep(0.5)


def _update_without_waiting(model, values: dict, *, give_up_at: float, **where):
    """Send `UPDATE model SET values WHERE where` on PostgreSQL (in autocommit, so committed as
    soon as the server reads it) and return a function that waits for the answer: whether a
    row changed. The answer must be waited for before the connection runs anything else.

    Neither the sending nor the wait goes on past `give_up_at` (time.monotonic()): a database
    host gone silent would otherwise hold them for the kernel's retransmission limit (about
    fifteen minutes), far beyond a claim. Past it, OperationalError."""
    import select

    from psycopg import pq

    fields = [*values.items(), *where.items()]  # a name may be in both (SET x … WHERE x)
    columns, params = [], []
    for name, value in fields:
        field = model._meta.pk if name == "pk" else model._meta.get_field(name)
        columns.append(connection.ops.quote_name(field.column))
        value = field.get_db_prep_value(value, connection)
        params.append(None if value is None else _text(value).encode())
    placeholders = [f"{column} = ${n}" for n, column in enumerate(columns, 1)]
    sql = (
        f"UPDATE {connection.ops.quote_name(model._meta.db_table)} "
        f"SET {', '.join(placeholders[: len(values)])} "
        f"WHERE {' AND '.join(placeholders[len(values) :])}"
    )
    connection.ensure_connection()
    pgconn = connection.connection.pgconn
    started = time.perf_counter()
    pgconn.send_query_params(sql.encode(), params)

    def wait(readable: bool) -> None:
        left = give_up_at - time.monotonic()
        readers, writers = ([pgconn.socket], []) if readable else ([], [pgconn.socket])
        if left <= 0 or not any(select.select(readers, writers, [], left)):
            raise OperationalError("the database did not answer in time")

    while pgconn.flush():  # psycopg's connections are non-blocking: wait until it is all out
        wait(readable=False)

    def settle() -> bool:
        while pgconn.is_busy():
            wait(readable=True)
            pgconn.consume_input()
        changed, error = 0, None
        while (result := pgconn.get_result()) is not None:
            if result.status == pq.ExecStatus.COMMAND_OK:
                changed = int(result.command_tuples or 0)
            else:
                error = (result.error_message or b"").decode(errors="replace")
        if connection.queries_logged:  # counted like any other query (tests assert them)
            connection.queries_log.append(
                {"sql": f"{sql} -- {params}", "time": f"{time.perf_counter() - started:.3f}"}
            )
        if error:
            raise DatabaseError(error)
        return bool(changed)

    return settle


def _text(value) -> str:
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def _failed(delivery, in_flight, error, outcome: Outcome, counts: dict) -> bool:
    """Record a failed try on the row as this run left it (`in_flight`); True when the server
    is unavailable and the batch must stop."""
    text = f"{type(error).__name__}: {error}"[:1000]
    if outcome is Outcome.REJECTED:
        in_flight.update(state=Delivery.State.FAILED, error=text, claim="", sent_at=None)
        if is_suppressing(error):
            suppress(delivery.subscriber, f"Refused by the mail server: {text}")
        counts["failed"] += 1
        return False
    if outcome is Outcome.AMBIGUOUS:
        # The server may have it: at most once means we do not send it again.
        in_flight.update(
            state=Delivery.State.FAILED, error=f"{INTERRUPTED} {text}", claim="", sent_at=None
        )
        counts["failed"] += 1
        return True
    attempts = delivery.attempts + 1
    if outcome is Outcome.DEFERRED and attempts >= settings.NEWSLETTER_MAX_ATTEMPTS:
        in_flight.update(
            state=Delivery.State.FAILED, error=f"Gave up: {text}", claim="", sent_at=None
        )
        counts["failed"] += 1
        return False
    in_flight.update(
        state=Delivery.State.QUEUED,
        claim="",
        claimed_at=None,
        sent_at=None,
        error=text,
        # A recipient deferred alone waits its own backoff; an unavailable server is waited
        # for by the task's backoff (send_issue).
        not_before=timezone.now() + timedelta(seconds=_backoff(attempts - 1))
        if outcome is Outcome.DEFERRED
        else None,
    )
    counts["deferred"] += 1
    return outcome is Outcome.UNAVAILABLE


def send_issue(issue_id: int, *, attempt: int = 0) -> dict:
    """Send what is queued of an issue until nothing is left, then mark it sent. After a
    temporary failure the task comes back with backoff; with work still claimed by another
    run (or a dead one), it comes back when that claim expires."""
    from . import tasks

    counts = {"sent": 0, "failed": 0, "deferred": 0}
    issue = Issue.objects.select_related("newsletter").filter(pk=issue_id).first()
    if issue is None or issue.state != Issue.State.SENDING:
        return counts
    pace = _Pace(settings.NEWSLETTER_RATE)
    # A run sends for a slice of time, then hands over to a new run of itself: a long send
    # does not hold the worker (confirmation emails, which outrank it, go out in between),
    # and a worker asked to stop (SIGTERM) stops within a slice.
    slice_ends = time.monotonic() + settings.NEWSLETTER_SLICE_SECONDS
    while batch := _claim(issue):
        if _send_batch(issue, batch, pace, counts) is Outcome.UNAVAILABLE:
            delay = _backoff(attempt)
            logger.info("Issue %s: retrying in %.1f s", issue.pk, delay)
            tasks.send_issue.using(run_after=timezone.now() + timedelta(seconds=delay)).enqueue(
                issue.pk, attempt + 1
            )
            return counts
        attempt = 0  # a batch went through: the next outage starts its backoff afresh
        if time.monotonic() > slice_ends:
            tasks.send_issue.enqueue(issue.pk)
            return counts
    _finish_or_come_back(issue)
    return counts


def _finish_or_come_back(issue: Issue) -> None:
    from . import tasks

    pending = issue.deliveries.filter(state__in=[Delivery.State.QUEUED, Delivery.State.SENDING])
    if not pending.exists():
        if Issue.objects.filter(pk=issue.pk, state=Issue.State.SENDING).update(
            state=Issue.State.SENT, sent_at=timezone.now()
        ):
            announce(SOFT)  # the archive shows its date now (an update() is not a save)
        logger.info("Issue %s sent", issue.pk)
        return
    timeout = timedelta(seconds=settings.NEWSLETTER_CLAIM_TIMEOUT)
    due = pending.aggregate(claimed=Min("claimed_at"), deferred=Min("not_before"))
    candidates = [t for t in (due["deferred"],) if t] + (
        [due["claimed"] + timeout] if due["claimed"] else []
    )
    when = max(min(candidates, default=timezone.now()), timezone.now() + timedelta(seconds=0.5))
    tasks.send_issue.using(run_after=when).enqueue(issue.pk)


# --- One-off messages ---------------------------------------------------------------------------


def _send_one(message) -> None:
    connection = newsletter_connection()
    connection.send_messages([message])


def send_confirmation(subscriber_id: int, newsletter_ids: list[int], source: str) -> bool:
    """Mail the confirmation link; nothing for an address erased or suppressed since. A 5xx
    suppresses the address; a temporary failure is raised (the task fails, and the reader can
    ask again)."""
    from .emails import confirmation_message
    from .models import Newsletter

    subscriber = Subscriber.objects.filter(pk=subscriber_id, suppressed_at__isnull=True).first()
    newsletters = list(Newsletter.objects.filter(pk__in=newsletter_ids))
    if subscriber is None or not newsletters:
        return False
    try:
        _send_one(confirmation_message(subscriber, newsletters, source))
    except Exception as error:
        if classify(error, None) is Outcome.REJECTED and is_suppressing(error):
            suppress(subscriber, f"Refused by the mail server: {error}")
            return False
        raise
    return True


def send_test_copy(issue_id: int, email: str) -> None:
    """Mail one test copy of an issue to `email`; no delivery is recorded."""
    from .issue_email import issue_message

    issue = Issue.objects.select_related("newsletter").get(pk=issue_id)
    _send_one(issue_message(issue, None, test=True, to=email))
