"""The worker as it runs in production, `manage.py db_worker` in a process of its own, on the
test database and a real SMTP server (aiosmtpd on 127.0.0.1), killed and restarted, with the
server refusing, deferring and dropping: every subscriber gets the issue, and a second copy,
with the same Message-ID, only where a worker died between the server's acceptance and the
record: at most one per kill (newsletters/delivering.py).

The waits follow the send's progress, not the clock: a step fails only when nothing has
moved for a long while, so a busy machine makes the test slower, not red.

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


# How long nothing may move before a wait gives up: a worker starting on a loaded machine
# (Django, the templates) and a dead worker's claims expiring fit in it many times over.
STALL = 180


def wait_while_progressing(done, smtp, *, what: str, worker=None) -> None:
    """Wait until `done()`, for as long as the server keeps receiving messages; fail only
    after STALL seconds in which none arrived."""
    seen, last_move = len(smtp.sink.messages), time.monotonic()
    while not done():
        if len(smtp.sink.messages) != seen:
            seen, last_move = len(smtp.sink.messages), time.monotonic()
        if time.monotonic() - last_move > STALL:
            raise AssertionError(
                f"Nothing sent for {STALL} s waiting for {what} ({seen} messages)\n"
                + (worker.output() if worker else "")
            )
        time.sleep(0.1)


def assert_never_lost(issue, smtp, *, subscribers: int, kills: int) -> None:
    """Every subscriber got the issue; copies beyond one number at most one per kill; every
    copy carries the Message-ID its delivery row records; every row says sent."""
    states = Counter(issue.deliveries.values_list("state", flat=True))
    assert states == {Delivery.State.SENT: subscribers}, states
    received = smtp.sink.per_recipient()
    assert len(received) == subscribers, f"{subscribers - len(received)} never mailed"
    extra = sum(copies - 1 for copies in received.values())
    assert extra <= kills, f"{extra} second copies for {kills} kills"
    recorded = dict(issue.deliveries.values_list("subscriber__email", "message_id"))
    wrong = [m["To"] for m in smtp.sink.messages if m["Message-ID"] != recorded[m["To"]]]
    assert not wrong, f"copies without their recorded Message-ID: {wrong[:5]}"
    print(f"{subscribers} subscribers, {kills} kills, {extra} second copies")  # for -rA


def test_a_worker_killed_before_the_server_answers_sends_again_and_after_the_record_not(
    smtp, workers
):
    """Killed while the server holds its answer to the second message: the first, recorded,
    is not sent again; the second goes again, under the same Message-ID; the third once."""
    issue = make_issue(3)
    smtp.sink.hold_reply_to = 2
    settings = {"NEWSLETTER_RATE": 0, "NEWSLETTER_CLAIM_TIMEOUT": 1}
    worker = workers.start(smtp.port, **settings)
    sending.start_send(issue, user=None)
    wait_for(lambda: smtp.sink.holding, timeout=STALL, what="the second message", worker=worker)
    states = dict(issue.deliveries.values_list("subscriber__email", "state"))
    assert states == {"reader0@example.org": "sent", "reader1@example.org": "queued",
                      "reader2@example.org": "queued"}  # fmt: skip
    worker.kill()
    smtp.sink.hold_reply_to, smtp.sink.holding = 0, False

    worker = workers.start(smtp.port, **settings)
    wait_while_progressing(lambda: sent(issue), smtp, what="the send to finish", worker=worker)
    assert smtp.sink.per_recipient() == {
        "reader0@example.org": 1,
        "reader1@example.org": 2,
        "reader2@example.org": 1,
    }
    assert_never_lost(issue, smtp, subscribers=3, kills=1)


def test_a_worker_killed_mid_send_and_restarted_mails_every_subscriber(smtp, workers):
    """kill -9 in the middle of 2,000 messages, three times, each at a moment of its own, with
    a new worker after each: the send resumes where it stopped and every subscriber gets the
    issue, a second copy at most once per kill."""
    issue = make_issue(2000)
    fast = {"NEWSLETTER_RATE": 0, "NEWSLETTER_BATCH": 50, "NEWSLETTER_CLAIM_TIMEOUT": 2}
    worker = workers.start(smtp.port, **fast)
    sending.start_send(issue, user=None)
    kills = []
    for when in (300, 900, 1500):
        wait_while_progressing(
            lambda when=when: len(smtp.sink.messages) >= when, smtp, what=f"{when} sent"
        )
        time.sleep(random.uniform(0, 0.05))  # anywhere in a message's round, not on its end
        worker.kill()
        kills.append(len(smtp.sink.messages))
        worker = workers.start(smtp.port, **fast)
    assert kills[-1] < 2000, "the workers finished before the last kill: it proved nothing"
    wait_while_progressing(lambda: sent(issue), smtp, what="the send to finish", worker=worker)

    assert_never_lost(issue, smtp, subscribers=2000, kills=3)


def test_workers_killed_at_random_moments_never_lose_a_message(smtp, workers):
    """The same, with more kills on a longer list, each after a random delay (not when a
    message arrives): whatever the moment, every subscriber gets the issue and a kill costs
    at most one second copy. NEWSLETTER_KILLS=300 runs it 300 times over a list of 30,000."""
    rounds = int(os.environ.get("NEWSLETTER_KILLS", "6"))
    subscribers = max(400, 100 * rounds)
    issue = make_issue(subscribers)
    fast = {"NEWSLETTER_RATE": 0, "NEWSLETTER_BATCH": 20, "NEWSLETTER_CLAIM_TIMEOUT": 0.5}
    worker = workers.start(smtp.port, **fast)
    sending.start_send(issue, user=None)
    kills = killed_mid_send = 0
    for _ in range(rounds):
        # Sending again (a new worker has started and the dead one's claims have expired).
        before = len(smtp.sink.messages)
        wait_while_progressing(
            lambda before=before: len(smtp.sink.messages) > before or sent(issue),
            smtp,
            what="the new worker to send",
            worker=worker,
        )
        time.sleep(random.uniform(0, 0.3))
        sending_now = len(smtp.sink.messages)
        worker.kill()
        kills += 1
        killed_mid_send += 0 < sending_now < subscribers and not sent(issue)
        if sent(issue):
            break
        worker = workers.start(smtp.port, **fast)
    else:
        wait_while_progressing(lambda: sent(issue), smtp, what="the rest", worker=worker)
    assert killed_mid_send >= min(rounds, 3), "too few kills landed mid-send to prove anything"

    assert_never_lost(issue, smtp, subscribers=subscribers, kills=kills)


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
    wait_for(lambda: smtp.sink.misbehaved >= 20, timeout=STALL, what="451s", worker=worker)
    assert client.get("/").status_code == 200
    smtp.sink.mode = "drop"
    dropped_from = smtp.sink.misbehaved
    wait_for(lambda: smtp.sink.misbehaved >= dropped_from + 3, timeout=STALL, what="drops")
    smtp.stop()  # now refused outright
    assert client.get(issue.newsletter.get_absolute_url()).status_code == 200
    time.sleep(1.5)
    assert not sent(issue) and len(smtp.sink.messages) == 0

    smtp.sink.mode = "ok"
    smtp.start()
    wait_while_progressing(lambda: sent(issue), smtp, what="the send to finish", worker=worker)

    received = smtp.sink.per_recipient()
    assert len(received) == 149 and set(received.values()) == {1}
    assert "reader7@example.org" not in received
    assert Subscriber.objects.get(email="reader7@example.org").suppressed_at is not None
    figures = issue_figures(issue)
    assert (figures.recipients, figures.sent, figures.failed, figures.waiting) == (150, 149, 1, 0)
