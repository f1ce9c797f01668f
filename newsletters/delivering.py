"""The worker's send loop (docs/newsletters.md, "Sending"): `send_issue` claims queued
deliveries in batches, sends each batch through one connection at NEWSLETTER_RATE, and
records each message sent once the server has accepted it.

Never lost: the record follows the server's acceptance (its answer to the message's end, or
the ESP's answer to its API call). A worker killed before the record leaves the delivery
queued under a claim that expires; another run then sends it again with the same
Message-ID (`message_id`), which mailboxes that drop duplicate Message-IDs show once. So a
reader gets a second copy only when a worker dies between the server's acceptance and the
record: at most one per kill.
"""

import logging
import time
import uuid
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Min, Q, QuerySet
from django.utils import timezone
from django_tasks import task

from caching.invalidation import SOFT, announce

from .issue_email import issue_message
from .mail import Outcome, classify, is_suppressing, newsletter_connection
from .models import Delivery, Issue, Subscriber, Subscription

logger = logging.getLogger(__name__)


def recipients(newsletter) -> QuerySet[Subscriber]:
    """Who may be mailed this newsletter now: confirmed, subscribed, not suppressed."""
    return Subscriber.objects.filter(
        confirmed_at__isnull=False,
        suppressed_at__isnull=True,
        subscriptions__newsletter=newsletter,
        subscriptions__state=Subscription.State.ACTIVE,
    )


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


def _claim(issue: Issue) -> list[Delivery]:
    """Take the next batch of queued deliveries for this worker (others skip locked rows);
    a dead worker's claims are taken over once they expire."""
    now = timezone.now()
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


def _mine(delivery: Delivery):
    """This run's claim on a delivery, still held (another run may have taken it over)."""
    return Delivery.objects.filter(
        pk=delivery.pk, claim=delivery.claim, state=Delivery.State.QUEUED
    )


def _release(deliveries) -> None:
    for delivery in deliveries:
        _mine(delivery).update(claim="", claimed_at=None)


def _send_batch(issue: Issue, batch: list[Delivery], pace: _Pace, counts: dict) -> bool:
    """Send one claimed batch through one connection. False when the server could not be
    used: the rest of the batch is released for a later run."""
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
        return False
    try:
        for index, delivery in enumerate(batch):
            try:
                message = issue_message(issue, delivery.subscriber)
            except Exception:  # a bug, not the mail: the batch goes back for the next run
                _release(batch[index:])
                raise
            message.extra_headers["Message-ID"] = message_id(delivery, issue)
            pace.wait()
            # The claim is renewed as the message goes, so no other run takes the row over
            # while the server has it; the try is counted.
            renewed = {"claimed_at": timezone.now(), "attempts": delivery.attempts + 1}
            if not _mine(delivery).update(**renewed):
                continue  # taken over by another run after our claim expired
            try:
                connection.send_messages([message])
            except Exception as error:
                outcome = classify(error)
                if outcome is None:
                    _release(batch[index:])
                    raise
                if _failed(delivery, error, outcome, counts):
                    _release(batch[index + 1 :])
                    return False
                continue
            _record_sent(delivery, message)
            counts["sent"] += 1
    finally:
        try:
            connection.close()
        except Exception:  # a dropped line cannot be closed politely; nothing to lose
            pass
    return True


def _record_sent(delivery: Delivery, message) -> None:
    """The server has accepted the message: the row says sent, with the id it went out
    under (an ESP's own, when it gives one back)."""
    status = getattr(message, "anymail_status", None)
    sent_as = (status and status.message_id) or message.extra_headers["Message-ID"]
    recorded = _mine(delivery).update(
        state=Delivery.State.SENT, sent_at=timezone.now(), message_id=sent_as, claim="", error=""
    )
    if not recorded:
        logger.error("Delivery %s was taken over while it was sent; it may go twice", delivery.pk)


def _failed(delivery: Delivery, error: Exception, outcome: Outcome, counts: dict) -> bool:
    """Record a failed try on the row; True when the server is unavailable and the batch
    must stop."""
    text = f"{type(error).__name__}: {error}"[:1000]
    row = _mine(delivery)
    if outcome is Outcome.REJECTED:
        row.update(state=Delivery.State.FAILED, error=text, claim="")
        if is_suppressing(error):
            suppress(delivery.subscriber, f"Refused by the mail server: {text}")
        counts["failed"] += 1
        return False
    attempts = delivery.attempts + 1
    if outcome is Outcome.DEFERRED and attempts >= settings.NEWSLETTER_MAX_ATTEMPTS:
        row.update(state=Delivery.State.FAILED, error=f"Gave up: {text}", claim="")
        counts["failed"] += 1
        return False
    row.update(
        claim="",
        claimed_at=None,
        error=text,
        # A recipient deferred alone waits its own backoff; an unavailable server is waited
        # for by the task's backoff (send_issue).
        not_before=timezone.now() + timedelta(seconds=_backoff(attempts - 1))
        if outcome is Outcome.DEFERRED
        else None,
    )
    counts["deferred"] += 1
    return outcome is Outcome.UNAVAILABLE


@task()
def send_issue(issue_id: int, attempt: int = 0) -> dict:
    """Send what is queued of an issue until nothing is left, then mark it sent. After a
    temporary failure the task comes back with backoff (`attempt` counts those in a row);
    with work still claimed by another run (or a dead one), it comes back when that claim
    expires."""
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
        if not _send_batch(issue, batch, pace, counts):
            delay = _backoff(attempt)
            logger.info("Issue %s: retrying in %.1f s", issue.pk, delay)
            later = timezone.now() + timedelta(seconds=delay)
            send_issue.using(run_after=later).enqueue(issue.pk, attempt + 1)
            return counts
        attempt = 0  # a batch went through: the next outage starts its backoff afresh
        if time.monotonic() > slice_ends:
            send_issue.enqueue(issue.pk)
            return counts
    _finish_or_come_back(issue)
    return counts


def _finish_or_come_back(issue: Issue) -> None:
    pending = issue.deliveries.filter(state=Delivery.State.QUEUED)
    if not pending.exists():
        if Issue.objects.filter(pk=issue.pk, state=Issue.State.SENDING).update(
            state=Issue.State.SENT, sent_at=timezone.now()
        ):
            # The archive shows its date now (an update() is not a save).
            announce(SOFT, keys=issue.cache_keys())
        logger.info("Issue %s sent", issue.pk)
        return
    timeout = timedelta(seconds=settings.NEWSLETTER_CLAIM_TIMEOUT)
    due = pending.aggregate(claimed=Min("claimed_at"), deferred=Min("not_before"))
    candidates = [t for t in (due["deferred"],) if t] + (
        [due["claimed"] + timeout] if due["claimed"] else []
    )
    when = max(min(candidates, default=timezone.now()), timezone.now() + timedelta(seconds=0.5))
    send_issue.using(run_after=when).enqueue(issue.pk)
