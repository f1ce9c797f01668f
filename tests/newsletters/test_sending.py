"""Sending an issue through a real SMTP server (aiosmtpd on 127.0.0.1), the worker's code run
in the test itself: what arrives, with which headers, and what happens when the server says
no. The worker as a process of its own, killed and restarted: test_worker_faults.py."""

import time
from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from newsletters import sending
from newsletters.delivering import message_id, send_issue
from newsletters.figures import issue_figures
from newsletters.models import Delivery, Issue, Subscriber, Subscription
from tests.newsletters.sending_kit import add_subscribers, make_issue, queries_per_message

pytestmark = pytest.mark.django_db


def send_tasks(issue) -> int:
    return DBTaskResult.objects.filter(
        task_path="newsletters.delivering.send_issue", args_kwargs__args__0=issue.pk
    ).count()


def test_start_send_queues_only_confirmed_active_unsuppressed_subscribers_and_hands_it_over():
    issue = make_issue(3)
    add_subscribers(issue.newsletter, 2, prefix="pending", confirmed=False)
    Subscriber.objects.filter(email="reader0@example.org").update(suppressed_at=timezone.now())
    Subscription.objects.filter(subscriber__email="reader1@example.org").update(
        state=Subscription.State.UNSUBSCRIBED
    )

    assert sending.start_send(issue, user=None) == 1
    issue.refresh_from_db()
    assert issue.state == Issue.State.SENDING and issue.sending_started_at
    assert [d.subscriber.email for d in issue.deliveries.all()] == ["reader2@example.org"]
    assert send_tasks(issue) == 1
    # Pressing "send" again does nothing: no second delivery, no second task.
    assert sending.start_send(issue, user=None) == 0
    assert issue.deliveries.count() == 1 and send_tasks(issue) == 1


def test_every_subscriber_gets_one_message_with_the_list_headers_and_both_parts(smtp):
    issue = make_issue(5)
    sending.start_send(issue, user=None)

    assert send_issue.call(issue.pk) == {"sent": 5, "failed": 0, "deferred": 0}

    issue.refresh_from_db()
    assert issue.state == Issue.State.SENT and issue.sent_at
    assert sorted(smtp.sink.per_recipient().values()) == [1] * 5
    delivery = issue.deliveries.select_related("subscriber").get(
        subscriber__email="reader3@example.org"
    )
    (message,) = [m for m in smtp.sink.messages if m["To"] == "reader3@example.org"]
    assert message["From"] == "The Desk <desk@newsroom.example>"
    assert message["Reply-To"] == "letters@newsroom.example"
    assert message["Message-ID"] == delivery.message_id == message_id(delivery, issue)
    assert message["List-Unsubscribe"].strip().startswith("<http")
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message.get_body(("plain",)).get_content().strip()
    assert "<" in message.get_body(("html",)).get_content()
    assert delivery.state == Delivery.State.SENT and delivery.sent_at and delivery.attempts == 1
    # Run again (a duplicate task, a restarted worker): nothing is sent twice.
    assert send_issue.call(issue.pk)["sent"] == 0
    assert len(smtp.sink.messages) == 5


def test_an_smtp_5xx_suppresses_that_address_and_the_others_are_delivered(smtp):
    issue = make_issue(4)
    smtp.sink.refuse = {"reader2@example.org"}
    sending.start_send(issue, user=None)

    assert send_issue.call(issue.pk) == {"sent": 3, "failed": 1, "deferred": 0}

    refused = Subscriber.objects.get(email="reader2@example.org")
    assert refused.suppressed_at and "550" in refused.suppressed_reason
    assert refused.deliveries.get().state == Delivery.State.FAILED
    assert set(smtp.sink.per_recipient()) == {f"reader{n}@example.org" for n in (0, 1, 3)}
    assert Issue.objects.get(pk=issue.pk).state == Issue.State.SENT
    # The next issue is not even queued for a suppressed address.
    issue2 = Issue.objects.create(newsletter=issue.newsletter, number=2, subject="Next")
    assert sending.start_send(issue2, user=None) == 3


def test_a_4xx_defers_that_address_alone_and_it_is_sent_on_a_later_run(smtp):
    issue = make_issue(3)
    sending.start_send(issue, user=None)
    smtp.sink.mode = "defer"
    assert send_issue.call(issue.pk) == {"sent": 0, "failed": 0, "deferred": 3}
    assert issue.deliveries.filter(state="queued", not_before__gt=timezone.now()).count() == 3
    assert Issue.objects.get(pk=issue.pk).state == Issue.State.SENDING
    assert send_tasks(issue) == 2  # start_send's, and the one that comes back later

    smtp.sink.mode = "ok"
    assert send_issue.call(issue.pk)["sent"] == 0  # not before its time
    issue.deliveries.update(not_before=timezone.now())
    assert send_issue.call(issue.pk)["sent"] == 3
    assert sorted(smtp.sink.per_recipient().values()) == [1, 1, 1]
    assert Issue.objects.get(pk=issue.pk).state == Issue.State.SENT


def test_with_the_server_down_nothing_is_lost_and_the_send_comes_back_later(smtp):
    issue = make_issue(3)
    sending.start_send(issue, user=None)
    smtp.stop()  # connections refused

    assert send_issue.call(issue.pk) == {"sent": 0, "failed": 0, "deferred": 0}
    assert issue.deliveries.filter(state="queued", claim="").count() == 3
    retry = DBTaskResult.objects.filter(
        task_path="newsletters.delivering.send_issue", args_kwargs__args=[issue.pk, 1]
    ).get()
    assert retry.run_after > timezone.now()

    smtp.start()
    assert send_issue.call(issue.pk, attempt=1)["sent"] == 3


def test_a_subscriber_who_leaves_before_their_turn_is_skipped(smtp):
    issue = make_issue(3)
    sending.start_send(issue, user=None)
    Subscription.objects.filter(subscriber__email="reader0@example.org").update(
        state=Subscription.State.UNSUBSCRIBED
    )
    Subscriber.objects.filter(email="reader1@example.org").delete()  # erased by staff

    assert send_issue.call(issue.pk)["sent"] == 1
    assert list(smtp.sink.per_recipient()) == ["reader2@example.org"]
    assert issue_figures(issue).skipped == 2


def test_a_message_a_dead_worker_had_in_flight_is_sent_again_with_its_message_id(smtp, settings):
    """Never lost: a delivery a dead worker claimed and never recorded goes again once its
    claim expires, under the Message-ID it had, so a mailbox that got the first shows one."""
    issue = make_issue(2)
    sending.start_send(issue, user=None)
    long_ago = timezone.now() - timedelta(seconds=settings.NEWSLETTER_CLAIM_TIMEOUT + 1)
    issue.deliveries.filter(subscriber__email="reader0@example.org").update(
        claim="dead", claimed_at=long_ago, attempts=1
    )

    assert send_issue.call(issue.pk)["sent"] == 2
    again = issue.deliveries.get(subscriber__email="reader0@example.org")
    assert (again.state, again.attempts) == (Delivery.State.SENT, 2)
    [message] = [m for m in smtp.sink.messages if m["To"] == "reader0@example.org"]
    assert message["Message-ID"] == again.message_id == message_id(again, issue)


def test_claims_of_a_live_worker_are_left_alone_until_they_expire(smtp):
    issue = make_issue(2)
    sending.start_send(issue, user=None)
    issue.deliveries.update(claim="other", claimed_at=timezone.now())

    assert send_issue.call(issue.pk)["sent"] == 0
    assert smtp.sink.messages == []
    assert send_tasks(issue) == 2  # it comes back when those claims expire


def test_the_rate_is_respected(smtp, settings):
    settings.NEWSLETTER_RATE = 20
    issue = make_issue(11)
    sending.start_send(issue, user=None)
    started = time.monotonic()
    assert send_issue.call(issue.pk)["sent"] == 11
    assert time.monotonic() - started >= 0.5  # 10 intervals of 1/20 s


def test_each_message_costs_a_fixed_number_of_queries(smtp):
    """Two writes a message (the claim renewed, then the record); which stories are live is
    read once a batch, not once a message."""
    per_message, _, _ = queries_per_message()
    assert per_message == 2, per_message


def test_figures_of_an_issue_in_two_queries(smtp, django_assert_num_queries):
    issue = make_issue(4)
    smtp.sink.refuse = {"reader0@example.org"}
    sending.start_send(issue, user=None)
    send_issue.call(issue.pk)
    Delivery.objects.filter(subscriber__email="reader1@example.org").update(state="bounced")
    Subscription.objects.filter(subscriber__email="reader2@example.org").update(
        state=Subscription.State.UNSUBSCRIBED, unsubscribed_after=issue
    )

    with django_assert_num_queries(2):
        figures = issue_figures(issue)
    assert (figures.recipients, figures.sent, figures.failed, figures.bounced) == (4, 2, 1, 1)
    assert (figures.waiting, figures.unsubscribed_after) == (0, 1)


def test_a_long_send_hands_over_between_slices_and_confirmations_go_first(smtp, settings):
    """A send runs for NEWSLETTER_SLICE_SECONDS, then queues its own continuation; a
    confirmation email waiting meanwhile outranks it, so readers do not wait for a big send."""
    from newsletters import tasks

    settings.NEWSLETTER_SLICE_SECONDS, settings.NEWSLETTER_BATCH = 0, 2
    issue = make_issue(5)
    sending.start_send(issue, user=None)
    DBTaskResult.objects.all().delete()

    assert send_issue.call(issue.pk)["sent"] == 2
    assert Issue.objects.get(pk=issue.pk).state == Issue.State.SENDING
    assert send_tasks(issue) == 1  # the continuation
    tasks.send_confirmation.enqueue(1, [1], "")
    assert DBTaskResult.objects.ready().first().task_path.endswith("send_confirmation")
    while send_issue.call(issue.pk)["sent"]:
        pass
    assert len(smtp.sink.messages) == 5


def test_a_starting_worker_resumes_sends_left_running_once_and_starts_the_digest_clock(settings):
    """A worker killed mid-send leaves its task RUNNING; the next worker's start queues a new
    run for each issue still sending (once, however often it starts), and marks failed the
    task rows left running longer than any newsletter task runs."""
    from newsletters import worker

    issue = make_issue(1)
    sending.start_send(issue, user=None)
    DBTaskResult.objects.update(status="RUNNING", started_at=timezone.now())  # its worker died

    worker.prepare()
    worker.prepare()
    assert send_tasks(issue) == 2  # the dead one and one new
    assert (
        DBTaskResult.objects.filter(
            status="READY", task_path="newsletters.tasks.send_due_digests"
        ).count()
        == 1
    )
    assert DBTaskResult.objects.filter(status="RUNNING").count() == 1, "too recent to tell"

    quiet = 2 * settings.NEWSLETTER_CLAIM_TIMEOUT + settings.NEWSLETTER_SLICE_SECONDS
    DBTaskResult.objects.filter(status="RUNNING").update(
        started_at=timezone.now() - timedelta(seconds=quiet + 1)
    )
    worker.prepare()
    assert DBTaskResult.objects.filter(status="RUNNING").count() == 0
    [dead] = DBTaskResult.objects.filter(status="FAILED")
    assert dead.task_path == "newsletters.delivering.send_issue"
    assert dead.finished_at and "stopped" in dead.traceback
