"""What can go wrong around the moment a message is handed over (newsletters.delivering), the
worker's code run in the test against a real SMTP server (aiosmtpd on 127.0.0.1) and the real
database: a refusal of the message's end followed by a hang-up, a line dropped after the
server accepted the message, the database write that records it failing or its connection
dying, and a send left stalled. In each case none is lost; a copy sent again carries the
Message-ID of the first."""

import threading
import time
from contextlib import contextmanager

import pytest
from django.db import connection, connections
from django.utils import timezone

from newsletters import resuming, sending
from newsletters.delivering import send_issue
from newsletters.models import Delivery, Issue, Subscriber
from tests.newsletters.sending_kit import make_issue

needs_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="uses a PostgreSQL trigger or backend"
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
    send_issue.call(issue.pk)

    row = delivery(issue)
    assert (row.state, row.sent_at) == (state, None)
    assert "SMTPDataError" in row.error
    assert (Subscriber.objects.get().suppressed_at is not None) is suppressed
    if state == "queued":  # deferred: tried again later, and then it goes
        smtp.sink.data_reply, smtp.sink.hang_up_after_data = "250 OK", False
        Delivery.objects.update(not_before=timezone.now())
        send_issue.call(issue.pk)
        assert delivery(issue).state == "sent" and len(smtp.sink.messages) == 1


def test_a_refused_recipient_then_a_hang_up_is_read_as_the_refusal(smtp):
    issue = make_issue(2)
    smtp.sink.refuse = {"reader0@example.org"}
    sending.start_send(issue, user=None)
    send_issue.call(issue.pk)
    assert Subscriber.objects.get(email="reader0@example.org").suppressed_at is not None
    assert list(smtp.sink.per_recipient()) == ["reader1@example.org"]


def assert_one_message_id_each(issue, smtp) -> None:
    """Every copy the server has carries the Message-ID its delivery row records."""
    recorded = dict(issue.deliveries.values_list("subscriber__email", "message_id"))
    assert all(m["Message-ID"] == recorded[m["To"]] for m in smtp.sink.messages)


def test_a_line_dropped_after_the_server_accepted_the_message_sends_it_again(smtp, settings):
    """The server keeps the message and hangs up before its 250 is read: it may have it, or
    not. Never lost: the delivery goes back to the queue and is sent again, with the same
    Message-ID."""
    settings.NEWSLETTER_RETRY_DELAY = 0
    issue = make_issue(1)
    smtp.sink.accept_then_hang_up = True
    sending.start_send(issue, user=None)
    assert send_issue.call(issue.pk) == {"sent": 0, "failed": 0, "deferred": 1}
    assert delivery(issue).state == "queued" and len(smtp.sink.messages) == 1

    smtp.sink.accept_then_hang_up = False
    assert send_issue.call(issue.pk)["sent"] == 1
    assert delivery(issue).state == "sent" and len(smtp.sink.messages) == 2
    assert_one_message_id_each(issue, smtp)


@needs_postgresql
def test_when_the_record_fails_the_message_is_sent_again_not_lost(smtp, settings):
    """The UPDATE that records the message is refused (a lock or statement timeout): the run
    fails with the row still claimed, and once the claim expires the message goes again,
    with the same Message-ID, and is recorded."""
    settings.NEWSLETTER_CLAIM_TIMEOUT = 0.2
    issue = make_issue(1)
    sending.start_send(issue, user=None)
    with once_when_recorded_sent("RAISE EXCEPTION 'canceling statement due to lock timeout'"):
        with pytest.raises(Exception, match="lock timeout"):
            send_issue.call(issue.pk)
    assert delivery(issue).state == "queued" and len(smtp.sink.messages) == 1

    time.sleep(0.3)  # the claim's lifetime, which is what the next run waits for
    assert send_issue.call(issue.pk)["sent"] == 1
    assert delivery(issue).state == "sent" and len(smtp.sink.messages) == 2
    assert_one_message_id_each(issue, smtp)


@needs_postgresql
def test_when_the_database_connection_dies_mid_message_the_reader_still_gets_it(smtp, settings):
    """The worker's database connection is cut while the server is answering RCPT: the
    message may go out with its record failing; after the claim expires a later run sends
    it (again, if it went) with the same Message-ID. The reader has it, at most twice."""
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
        send_issue.call(issue.pk)
    except Exception:  # the run may fail on the lost connection; a later run finishes it
        pass
    finally:
        cutter.join()
        connection.close()
    Delivery.objects.filter(state="queued").update(claimed_at=None, not_before=None)
    send_issue.call(issue.pk)

    assert 1 <= len(smtp.sink.messages) <= 2
    assert delivery(issue).state == "sent"
    assert_one_message_id_each(issue, smtp)


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

    assert resuming.resume_sends() == [stalled.pk]
    assert resuming.resume_sends() == []  # its run is waiting now
