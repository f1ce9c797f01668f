"""What the sending tests share: an issue with N confirmed subscribers, an SMTP server on
127.0.0.1 (aiosmtpd) that can refuse, defer or drop on demand, and the real worker process
(`manage.py db_worker`) pointed at the test database."""

import asyncio
import email
import os
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from email.policy import default
from pathlib import Path

from aiosmtpd.controller import Controller
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import Status
from newsletters import sending
from newsletters.delivering import send_issue
from newsletters.models import Issue, IssueStory, Newsletter, Subscriber, Subscription
from tests import factories

ROOT = Path(__file__).resolve().parents[2]
# This suite's own ports (shared machine); any free one if all are taken.
PORTS = range(8370, 8380)


def free_port() -> int:
    for port in PORTS:
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def make_issue(subscribers: int, *, prefix: str = "reader") -> Issue:
    """A newsletter with one live story in its first issue (a draft) and `subscribers`
    confirmed, active addresses, bulk-created."""
    article = factories.make_article(status=Status.PUBLISHED)
    newsletter = Newsletter.objects.create(
        name="Diplomacy Watch",
        slug=f"watch-{article.pk}",
        sender_name="The Desk",
        sender_email="desk@newsroom.example",
        reply_to="letters@newsroom.example",
        source="site",
    )
    issue = Issue.objects.create(newsletter=newsletter, number=1, subject="This week")
    IssueStory.objects.create(issue=issue, article=article, position=0)
    add_subscribers(newsletter, subscribers, prefix=prefix)
    return issue


def queries_per_message():
    """Send an issue to 2 subscribers, then one to 12, in this process; the queries each extra
    message cost (what a batch costs whatever its size cancels out), the two issues and the
    larger send's captured queries."""
    small, large = make_issue(2, prefix="small"), make_issue(12, prefix="large")
    sending.start_send(small, user=None)
    sending.start_send(large, user=None)
    with CaptureQueriesContext(connection) as two:
        send_issue.call(small.pk)
    with CaptureQueriesContext(connection) as twelve:
        send_issue.call(large.pk)
    return (len(twelve) - len(two)) / 10, (small, large), twelve.captured_queries


def add_subscribers(newsletter, count: int, *, prefix: str = "reader", confirmed=True) -> None:
    now = timezone.now() if confirmed else None
    people = Subscriber.objects.bulk_create(
        Subscriber(email=f"{prefix}{n}@example.org", confirmed_at=now) for n in range(count)
    )
    Subscription.objects.bulk_create(
        Subscription(
            subscriber=person,
            newsletter=newsletter,
            state=Subscription.State.ACTIVE if confirmed else Subscription.State.PENDING,
            confirmed_at=now,
            source="test",
        )
        for person in people
    )


class Sink:
    """aiosmtpd's handler: keeps every message, and can be told to misbehave:
    mode "ok", "defer" (451 at RCPT), "drop" (hangs up at MAIL FROM, or at whatever comes
    next in a transaction begun before the switch: no message gets through),
    `refuse` addresses answered 550 at RCPT, a slow RCPT, another answer to a message's end,
    a hang-up after it, a hang-up instead of it (the message kept), or the answer to the Nth
    message held back until released (the message kept)."""

    def __init__(self):
        self.messages = []
        self.mode = "ok"
        self.refuse = set()
        self.misbehaved = 0
        self.slow_rcpt = 0.0  # seconds the next RCPT waits for its answer (then back to 0)
        self.data_reply = "250 OK"  # the answer to a message's last line; not 250: not kept
        self.hang_up_after_data = False  # close the line right after that answer
        self.accept_then_hang_up = False  # keep the message, close the line without a word
        self.hold_reply_to = 0  # keep the Nth message and hold its answer while `holding`
        self.holding = False

    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        if self.mode == "drop":
            return self._hang_up(server)
        envelope.mail_from = address
        return "250 OK"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.mode == "drop":  # switched to mid-transaction: hang up here too
            return self._hang_up(server)
        if address in self.refuse:
            return "550 5.1.1 No such user here"
        if self.mode == "defer":
            self.misbehaved += 1
            return "451 4.3.0 Try again later"
        if self.slow_rcpt:
            delay, self.slow_rcpt = self.slow_rcpt, 0.0
            await asyncio.sleep(delay)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.mode == "drop":
            return self._hang_up(server)
        if self.accept_then_hang_up:
            self.messages.append(email.message_from_bytes(envelope.content, policy=default))
            server.transport.close()
            return "250 OK"  # never reaches the client: the line is closed
        if self.hold_reply_to and len(self.messages) + 1 == self.hold_reply_to:
            self.messages.append(email.message_from_bytes(envelope.content, policy=default))
            self.holding = True
            while self.holding:
                await asyncio.sleep(0.01)
            return "250 OK"
        if self.hang_up_after_data:  # after the answer below is written
            asyncio.get_running_loop().call_soon(server.transport.close)
        if not self.data_reply.startswith("250"):
            return self.data_reply
        self.messages.append(email.message_from_bytes(envelope.content, policy=default))
        return self.data_reply

    def _hang_up(self, server) -> str:
        self.misbehaved += 1
        server.transport.close()
        return "421 4.3.2 Closing"

    def per_recipient(self) -> Counter:
        return Counter(message["To"] for message in self.messages)


class SMTPServer:
    """A Sink on 127.0.0.1:port, which can be stopped (connections refused) and started."""

    def __init__(self, port: int | None = None):
        self.sink, self.port = Sink(), port or free_port()
        self.controller = None

    def start(self) -> "SMTPServer":
        self.controller = Controller(self.sink, hostname="127.0.0.1", port=self.port)
        self.controller.start()
        return self

    def stop(self) -> None:
        if self.controller:
            self.controller.stop()
            self.controller = None

    def use_in(self, settings) -> None:
        """Point this process's mail at the server (for tasks run in the test itself)."""
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", self.port
        settings.EMAIL_USE_TLS, settings.EMAIL_HOST_USER, settings.EMAIL_HOST_PASSWORD = (
            False,
            "",
            "",
        )


def database_url() -> str:
    """The test database (pytest-django's), as the worker process must see it."""
    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


class Worker:
    """`manage.py db_worker` as a process of its own, on the test database and SMTP server."""

    def __init__(self, smtp_port: int, **settings):
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "newsroom.settings.test",
            "DATABASE_URL": database_url(),
            "EMAIL_PROVIDER": "smtp",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(smtp_port),
            "NEWSLETTER_DIGEST_INTERVAL": "3600",
            **{name: str(value) for name, value in settings.items()},
        }
        self.log = tempfile.NamedTemporaryFile(prefix="db_worker-", suffix=".log", delete=False)
        self.process = None

    def start(self) -> "Worker":
        self.process = subprocess.Popen(
            [sys.executable, "manage.py", "db_worker", "--interval", "0.1"]
            + ["--no-startup-delay", "--no-reload", "-v", "2"],
            cwd=ROOT,
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        return self

    def kill(self) -> None:
        """kill -9: no goodbye, no cleanup."""
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait(10)

    def output(self) -> str:
        return Path(self.log.name).read_text(errors="replace")[-5000:]


def wait_for(condition, *, timeout: float, what: str, worker: Worker | None = None) -> None:
    """Poll `condition` until it holds; fail with the worker's log if it never does."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    raise AssertionError(f"Timed out waiting for {what}\n" + (worker.output() if worker else ""))
