"""A sign-up end to end with the real worker: the web request only enqueues; `manage.py
db_worker`, a process of its own, mails the confirmation through a real SMTP server; the link
in it confirms. PostgreSQL only (the worker shares the test database)."""

import re

import pytest
from django.db import connection
from django_tasks_db.models import DBTaskResult

from newsletters.models import Subscription
from tests.newsletters.helpers import CONFIRMATION_TASK, make_newsletter
from tests.newsletters.sending_kit import Worker, wait_for

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql",
                       reason="the worker process shares the test database: PostgreSQL only"),
    pytest.mark.django_db(transaction=True),
]  # fmt: skip


@pytest.fixture
def worker(smtp):
    process = Worker(smtp.port, SITE_URL="http://testserver").start()
    yield process
    process.kill()


def test_the_worker_mails_the_confirmation_once_and_its_link_confirms(client, smtp, worker):
    newsletter = make_newsletter(name="Diplomacy Watch")
    confirmations = DBTaskResult.objects.filter(task_path=CONFIRMATION_TASK)
    data = {"email": "reader@example.org", "newsletter": newsletter.slug, "source": "/a/b/"}
    assert client.post("/newsletters/subscribe/", data).status_code == 200
    wait_for(lambda: len(smtp.sink.messages) == 1, timeout=60, what="the confirmation",
             worker=worker)  # fmt: skip
    [message] = smtp.sink.messages
    assert message["To"] == "reader@example.org"
    assert message["From"] == "The Desk <desk@newsroom.example>"
    assert message["Reply-To"] == "letters@newsroom.example" and message["Message-ID"]
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    url = re.search(r"http://testserver(/newsletters/confirm/\S+/)", text)
    assert url and url.group(0) in html

    # Asked again within the hour: the request is answered alike, the worker sends nothing.
    assert client.post("/newsletters/subscribe/", data).status_code == 200
    assert confirmations.count() == 1  # nothing more was enqueued
    assert client.post(url.group(1)).status_code == 200
    subscription = Subscription.objects.get()
    assert subscription.state == Subscription.State.ACTIVE and subscription.confirmed_at
    wait_for(lambda: not confirmations.exclude(status="SUCCESSFUL").exists(),
             timeout=30, what="the queue to drain", worker=worker)  # fmt: skip
    assert len(smtp.sink.messages) == 1 and confirmations.count() == 1
