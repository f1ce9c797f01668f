"""Every message is kept while the mail server is down, and the real worker (`manage.py
db_worker`, a process of its own) mails each once the server is back. PostgreSQL only (the
worker shares the test database)."""

import pytest
from django.db import connection

from contact.models import ContactMessage
from tests.contact.conftest import NEWSROOM
from tests.newsletters.sending_kit import SMTPServer, Worker, wait_for

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql",
                       reason="the worker process shares the test database: PostgreSQL only"),
    pytest.mark.django_db(transaction=True),
]  # fmt: skip


@pytest.fixture
def server_down():
    server = SMTPServer()  # its port, with nothing listening yet
    yield server
    server.stop()


@pytest.fixture
def worker(server_down):
    process = Worker(server_down.port, CONTACT_RETRY_DELAY="1").start()
    yield process
    process.kill()


def test_messages_sent_while_the_mail_server_is_down_arrive_once_it_is_up(
    client, newsroom_address, server_down, worker
):
    for n in range(3):
        data = {"kind": "tip", "message": f"Tip number {n}", "email": "", "website": ""}
        assert client.post("/contact/", data, REMOTE_ADDR=f"10.0.0.{n}").status_code == 302
    assert ContactMessage.objects.count() == 3  # stored before any mail was tried

    wait_for(lambda: all(m.attempts >= 1 for m in ContactMessage.objects.all()), timeout=60,
             what="the worker to try each message", worker=worker)  # fmt: skip
    assert set(ContactMessage.objects.values_list("delivery", flat=True)) == {"queued"}
    assert "Connection refused" in ContactMessage.objects.first().last_error

    server_down.start()
    wait_for(lambda: len(server_down.sink.messages) == 3, timeout=60, what="the three messages",
             worker=worker)  # fmt: skip
    wait_for(lambda: not ContactMessage.objects.exclude(delivery="sent").exists(), timeout=30,
             what="the messages to be recorded mailed", worker=worker)  # fmt: skip
    bodies = sorted(m.get_body(("plain",)).get_content() for m in server_down.sink.messages)
    assert all(f"Tip number {n}" in bodies[n] for n in range(3))
    assert {m["To"] for m in server_down.sink.messages} == {NEWSROOM}
