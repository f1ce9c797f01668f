"""The worker as it runs in production, `manage.py db_worker` in a process of its own, on the
test database and a real SMTP server (aiosmtpd on 127.0.0.1), killed and restarted, with the
server refusing, deferring and dropping: every subscriber gets an issue exactly once
(newsletters/sending.py, "Exactly once").

PostgreSQL only: the worker process needs a database it can share with the test, and the
SQLite test database lives in the test process's memory. CI runs this file on PostgreSQL.
"""

import os
import random
import time
from collections import Counter

import pytest
from django.db import connection

from newsletters import sending
from newsletters.figures import issue_figures
from newsletters.models import Delivery, Issue, Subscriber
from tests.newsletters.sending_kit import Worker, make_issue, wait_for

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="the worker process shares the test database: PostgreSQL only (SQLite's is in "
        "the test process's memory)",
    ),
    pytest.mark.django_db(transaction=True),
]


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


def test_a_worker_killed_mid_send_and_restarted_mails_every_subscriber_exactly_once(smtp, workers):
    """kill -9 in the middle of 2,000 messages, three times, each at a moment of its own, with
    a new worker after each: the send resumes where it stopped and every subscriber gets the
    issue exactly once, with the Message-ID recorded for them."""
    issue = make_issue(2000)
    fast = {"NEWSLETTER_RATE": 0, "NEWSLETTER_BATCH": 50, "NEWSLETTER_CLAIM_TIMEOUT": 2}
    worker = workers.start(smtp.port, **fast)
    sending.start_send(issue, user=None)
    kills = []
    for when in (300, 900, 1500):
        wait_for(
            lambda when=when: len(smtp.sink.messages) >= when, timeout=600, what=f"{when} sent"
        )
        time.sleep(random.uniform(0, 0.05))  # anywhere in a message's round, not on its end
        worker.kill()
        kills.append(len(smtp.sink.messages))
        worker = workers.start(smtp.port, **fast)
    assert kills[-1] < 2000, "the workers finished before the last kill: it proved nothing"
    wait_for(lambda: sent(issue), timeout=900, what="the send to finish", worker=worker)

    assert_exactly_once(issue, smtp, 2000)


def assert_exactly_once(issue, smtp, subscribers: int) -> None:
    received = smtp.sink.per_recipient()
    doubled = sorted(address for address, n in received.items() if n > 1)
    assert not doubled, f"mailed twice: {doubled}"
    states = Counter(issue.deliveries.values_list("state", flat=True))
    assert states == {Delivery.State.SENT: subscribers}, states
    assert len(received) == subscribers
    # Each message has its delivery's own Message-ID, as recorded.
    ids = dict(issue.deliveries.values_list("subscriber__email", "message_id"))
    assert all(message["Message-ID"] == ids[message["To"]] for message in smtp.sink.messages)


def test_workers_killed_at_random_moments_never_lose_or_double_a_message(smtp, workers):
    """The same, with more kills on a shorter list, each after a random delay (not when a
    message arrives): whatever the moment, each subscriber gets one message.
    NEWSLETTER_KILLS=150 runs it 150 times over (docs/newsletters.md, "Exactly once")."""
    rounds = int(os.environ.get("NEWSLETTER_KILLS", "6"))
    subscribers = max(400, 100 * rounds)
    issue = make_issue(subscribers)
    fast = {"NEWSLETTER_RATE": 0, "NEWSLETTER_BATCH": 20, "NEWSLETTER_CLAIM_TIMEOUT": 0.5}
    worker = workers.start(smtp.port, **fast)
    sending.start_send(issue, user=None)
    killed_mid_send = 0
    for _ in range(rounds):
        wait_for(lambda: smtp.sink.messages, timeout=60, what="a first message")
        time.sleep(random.uniform(0, 0.3))
        before = len(smtp.sink.messages)
        worker.kill()
        killed_mid_send += 0 < before < subscribers
        if sent(issue):
            break
        worker = workers.start(smtp.port, **fast)
        # Let it send a little before the next kill (the claims of the dead need 0.5 s).
        wait_for(
            lambda before=before: len(smtp.sink.messages) > before or sent(issue),
            timeout=60,
            what="more",
        )
    else:
        wait_for(lambda: sent(issue), timeout=60 + subscribers / 20, what="done", worker=worker)
    assert killed_mid_send >= min(rounds, 3)

    assert_exactly_once(issue, smtp, subscribers)


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
