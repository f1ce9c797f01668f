"""The worker as it runs in production, `manage.py db_worker` in a process of its own, on the
test database and a real SMTP server (aiosmtpd on 127.0.0.1), killed and restarted, with the
server refusing, deferring and dropping: nobody gets an issue twice, nothing is lost but the
one message a killed worker had in flight (at most once: newsletters/sending.py).

PostgreSQL only: the worker process needs a database it can share with the test, and the
SQLite test database lives in the test process's memory. CI runs this file on PostgreSQL.
"""

import time

import pytest
from django.db import connection

from newsletters import sending
from newsletters.figures import issue_figures
from newsletters.models import Delivery, Issue, Subscriber
from tests.newsletters.sending_kit import SMTPServer, Worker, make_issue, wait_for

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="the worker process shares the test database: PostgreSQL only (SQLite's is in "
        "the test process's memory)",
    ),
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def smtp():
    server = SMTPServer().start()
    yield server
    server.stop()


@pytest.fixture
def workers():
    """Start workers with `workers.start(port, **settings)`; all are killed at the end,
    before the test database is flushed."""
    started = []

    class Workers:
        def start(self, port, **settings):
            started.append(Worker(port, **settings).start())
            return started[-1]

    yield Workers()
    for worker in started:
        worker.kill()


def sent(issue) -> bool:
    return Issue.objects.filter(pk=issue.pk, state=Issue.State.SENT).exists()


def test_a_worker_killed_mid_send_and_restarted_mails_each_subscriber_at_most_once(smtp, workers):
    """kill -9 in the middle of 2,000 messages, then a new worker: the send resumes where it
    stopped, nobody is mailed twice, and the only message that may be missing is the one the
    dead worker had handed to the server, recorded as failed ("interrupted")."""
    issue = make_issue(2000)
    fast = {"NEWSLETTER_RATE": 0, "NEWSLETTER_BATCH": 50, "NEWSLETTER_CLAIM_TIMEOUT": 2}
    first = workers.start(smtp.port, **fast)
    sending.start_send(issue, user=None)
    wait_for(lambda: len(smtp.sink.messages) >= 300, timeout=600, what="300 sent", worker=first)
    first.kill()
    at_kill = len(smtp.sink.messages)
    assert at_kill < 2000, "the worker finished before it was killed: the test proved nothing"

    second = workers.start(smtp.port, **fast)
    wait_for(lambda: sent(issue), timeout=900, what="the send to finish", worker=second)

    received = smtp.sink.per_recipient()
    assert max(received.values()) == 1, [a for a, n in received.items() if n > 1]
    states = dict(issue.deliveries.values_list("subscriber__email", "state"))
    delivered = {address for address, state in states.items() if state == Delivery.State.SENT}
    lost = {address for address, state in states.items() if state != Delivery.State.SENT}
    assert len(lost) <= 1, lost  # at most the one message in flight
    assert delivered <= set(received) <= delivered | lost
    for delivery in issue.deliveries.filter(subscriber__email__in=lost):
        assert delivery.state == Delivery.State.FAILED and delivery.error.startswith("Interrupt")
    assert len(received) >= 1999 and len(smtp.sink.messages) > at_kill
    # Each message has its delivery's own Message-ID, as recorded.
    ids = dict(issue.deliveries.values_list("subscriber__email", "message_id"))
    assert all(message["Message-ID"] == ids[message["To"]] for message in smtp.sink.messages[:50])


def test_an_outage_of_the_mail_server_is_waited_out_while_the_site_keeps_serving(
    smtp, workers, client
):
    """451 for everyone, then connections dropped, then refused: the worker backs off and
    retries; when the server is back every subscriber gets the issue once, and the one
    address the server refuses for good (550) is suppressed."""
    issue = make_issue(150)
    smtp.sink.refuse = {"reader7@example.org"}
    worker = workers.start(
        smtp.port,
        NEWSLETTER_RATE=0,
        NEWSLETTER_BATCH=20,
        NEWSLETTER_RETRY_DELAY=0.2,
        NEWSLETTER_RETRY_MAX_DELAY=1,
        NEWSLETTER_MAX_ATTEMPTS=100,
    )
    smtp.sink.mode = "defer"
    sending.start_send(issue, user=None)
    wait_for(lambda: smtp.sink.misbehaved >= 20, timeout=60, what="451s", worker=worker)
    assert client.get("/").status_code == 200
    smtp.sink.mode = "drop"
    dropped_from = smtp.sink.misbehaved
    wait_for(lambda: smtp.sink.misbehaved >= dropped_from + 3, timeout=30, what="drops")
    smtp.stop()  # now refused outright
    assert client.get(issue.newsletter.get_absolute_url()).status_code == 200
    time.sleep(1.5)
    assert not sent(issue) and len(smtp.sink.messages) == 0

    smtp.sink.mode = "ok"
    smtp.start()
    wait_for(lambda: sent(issue), timeout=60, what="the send to finish", worker=worker)

    received = smtp.sink.per_recipient()
    assert len(received) == 149 and set(received.values()) == {1}
    assert "reader7@example.org" not in received
    assert Subscriber.objects.get(email="reader7@example.org").suppressed_at is not None
    figures = issue_figures(issue)
    assert (figures.recipients, figures.sent, figures.failed, figures.waiting) == (150, 149, 1, 0)
