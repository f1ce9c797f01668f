"""What can go wrong around the moment a message is handed over (newsletters.mail.hand_over),
the worker's code run in the test against a real SMTP server (aiosmtpd on 127.0.0.1) and the
real database: a refusal of the message's end followed by a hang-up, the database write that
records it failing or its connection dying, a server so slow that the claim could run out,
and a send left stalled. In each case: one message at most, and none lost."""

import threading
import time
from contextlib import contextmanager

import pytest
from django.db import connection, connections
from django.utils import timezone

from newsletters import sending, worker
from newsletters.models import Delivery, Issue, Subscriber
from tests.newsletters.sending_kit import make_issue

needs_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="the worker's own path (autocommit, the record sent without waiting) is PostgreSQL's",
)
pytestmark = pytest.mark.django_db(transaction=True)


def delivery(issue) -> Delivery:
    return issue.deliveries.get()


@contextmanager
def once_when_recorded_sent(action: str):
    """A PostgreSQL trigger that does `action` (PL/pgSQL) the first time a delivery is updated
    to sent, and nothing after: what a lock timeout or a silent server does to the record."""
    table = Delivery._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute("CREATE SEQUENCE first_record")
        cursor.execute(
            "CREATE FUNCTION first_record() RETURNS trigger AS $$ BEGIN "
            f"IF nextval('first_record') = 1 THEN {action}; END IF; RETURN NEW; END "
            "$$ LANGUAGE plpgsql"
        )
        cursor.execute(
            f"CREATE TRIGGER first_record BEFORE UPDATE ON {table} FOR EACH ROW "
            "WHEN (NEW.state = 'sent') EXECUTE FUNCTION first_record()"
        )
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TRIGGER first_record ON {table}")
            cursor.execute("DROP FUNCTION first_record()")
            cursor.execute("DROP SEQUENCE first_record")


@pytest.mark.parametrize(
    "answer, state, suppressed",
    [("554 5.7.1 Message refused", "failed", True), ("451 4.3.0 Not now", "queued", False)],
)
def test_a_refusal_of_the_message_then_a_hang_up_is_read_as_the_refusal(
    smtp, answer, state, suppressed
):
    """The server says no to the message's end and hangs up: that is its answer (the reset
    that follows cannot be sent, which changes nothing), not a dropped line."""
    issue = make_issue(1)
    smtp.sink.data_reply, smtp.sink.hang_up_after_data = answer, True
    sending.start_send(issue, user=None)
    sending.send_issue(issue.pk)

    row = delivery(issue)
    assert (row.state, row.sent_at) == (state, None)
    assert "SMTPDataError" in row.error and "Interrupted" not in row.error
    assert (Subscriber.objects.get().suppressed_at is not None) is suppressed
    if state == "queued":  # deferred: tried again later, and then it goes
        smtp.sink.data_reply, smtp.sink.hang_up_after_data = "250 OK", False
        Delivery.objects.update(not_before=timezone.now())
        sending.send_issue(issue.pk)
        assert delivery(issue).state == "sent" and len(smtp.sink.messages) == 1


def test_a_refused_recipient_then_a_hang_up_is_read_as_the_refusal(smtp):
    issue = make_issue(2)
    smtp.sink.refuse = {"reader0@example.org"}
    sending.start_send(issue, user=None)
    sending.send_issue(issue.pk)
    assert Subscriber.objects.get(email="reader0@example.org").suppressed_at is not None
    assert list(smtp.sink.per_recipient()) == ["reader1@example.org"]


@needs_postgresql
def test_when_the_record_fails_after_the_last_line_it_is_written_again_not_sent_again(
    smtp, settings
):
    """The UPDATE that records the message is refused once (a lock or statement timeout): the
    message has gone, so the row is recorded sent on a second try, and no later run sends it
    again."""
    settings.NEWSLETTER_CLAIM_TIMEOUT = 30
    issue = make_issue(1)
    sending.start_send(issue, user=None)
    with once_when_recorded_sent("RAISE EXCEPTION 'canceling statement due to lock timeout'"):
        assert sending.send_issue(issue.pk)["sent"] == 1

    row = delivery(issue)
    assert row.state == "sent" and row.sent_at and not row.claim
    sending.send_issue(issue.pk)
    assert len(smtp.sink.messages) == 1


@needs_postgresql
def test_a_record_whose_answer_does_not_come_is_not_waited_for_beyond_the_claim(
    smtp, settings, caplog
):
    """The database takes longer to answer the record than the claim allows (a host gone
    silent looks the same, for fifteen minutes): the wait gives up in time, the record is
    checked on a fresh connection, and nobody gets two."""
    settings.NEWSLETTER_CLAIM_TIMEOUT = 2
    issue = make_issue(1)
    sending.start_send(issue, user=None)
    started = time.monotonic()
    with once_when_recorded_sent("PERFORM pg_sleep(3)"):
        assert sending.send_issue(issue.pk)["sent"] == 1
    assert time.monotonic() - started < 5
    # It gave up waiting at three quarters of the claim and checked again.
    assert "recording it sent failed (the database did not answer in time)" in caplog.text
    assert delivery(issue).state == "sent"
    time.sleep(2.1)  # the claim has expired: a later run finds nothing to send
    sending.send_issue(issue.pk)
    assert len(smtp.sink.messages) == 1


@needs_postgresql
def test_when_the_database_connection_dies_mid_message_nobody_gets_two(smtp, settings):
    """The worker's database connection is cut while the server is answering RCPT: whether the
    record could not be sent (the line is hung up, nothing delivered) or its answer was lost
    (written again on a fresh connection), the subscriber ends with one message."""
    settings.NEWSLETTER_CLAIM_TIMEOUT = 30
    issue = make_issue(1)
    sending.start_send(issue, user=None)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        [pid] = cursor.fetchone()
    smtp.sink.slow_rcpt = 1.0

    def cut():
        time.sleep(0.4)
        with connections["default"].temporary_connection() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])

    cutter = threading.Thread(target=cut)
    cutter.start()
    try:
        sending.send_issue(issue.pk)
    except Exception:  # the run may fail on the lost connection; a later run finishes it
        pass
    finally:
        cutter.join()
        connection.close()
    Delivery.objects.filter(state="queued").update(claimed_at=None, not_before=None)
    sending.send_issue(issue.pk)

    assert len(smtp.sink.messages) == 1
    assert delivery(issue).state == "sent"


def test_a_server_too_slow_for_the_claim_gets_nothing_and_the_message_goes_later(smtp, settings):
    """The server takes longer than half a claim's lifetime before the message's end: the
    line is hung up without it (another worker may hold the row by now), and the message is
    sent once, later."""
    settings.NEWSLETTER_CLAIM_TIMEOUT = 1
    issue = make_issue(1)
    sending.start_send(issue, user=None)
    smtp.sink.slow_rcpt = 0.8
    sending.send_issue(issue.pk)
    assert smtp.sink.messages == [] and delivery(issue).state == "queued"

    sending.send_issue(issue.pk)
    assert len(smtp.sink.messages) == 1 and delivery(issue).state == "sent"


def test_two_workers_and_a_claim_that_runs_out_send_one_message(smtp, settings):
    """Worker A is slowed by the server past its claim; worker B takes the row over and sends
    it. A must not send it too."""
    settings.NEWSLETTER_CLAIM_TIMEOUT = 1
    issue = make_issue(1)
    sending.start_send(issue, user=None)
    smtp.sink.slow_rcpt = 1.5
    results = {}

    def worker_b():
        time.sleep(1.2)
        try:
            results["b"] = sending.send_issue(issue.pk)
        finally:
            connections.close_all()

    other = threading.Thread(target=worker_b)
    other.start()
    results["a"] = sending.send_issue(issue.pk)
    other.join()

    assert len(smtp.sink.messages) == 1
    assert delivery(issue).state == "sent"
    assert results["a"]["sent"] + results["b"]["sent"] == 1


def test_a_stalled_send_is_resumed_by_the_worker_clock_and_a_busy_one_is_not(settings):
    settings.NEWSLETTER_CLAIM_TIMEOUT = 60
    from django_tasks_db.models import DBTaskResult

    stalled, busy = make_issue(2, prefix="stalled"), make_issue(2, prefix="busy")
    long_ago = timezone.now() - timezone.timedelta(hours=1)
    for issue in (stalled, busy):
        sending.start_send(issue, user=None)
    DBTaskResult.objects.all().delete()  # the runs died with their worker
    Issue.objects.update(sending_started_at=long_ago)
    stalled.deliveries.update(claimed_at=long_ago, claim="dead")
    busy.deliveries.update(claimed_at=timezone.now(), claim="alive")

    assert worker.resume_sends() == [stalled.pk]
    assert worker.resume_sends() == []  # its run is waiting now
