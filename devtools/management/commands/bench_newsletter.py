"""`manage.py bench_newsletter --subscribers 50000` (`make bench-newsletter`): one issue to a
large list, sent by the real worker through a local SMTP sink, on PostgreSQL.

Bulk-creates the confirmed subscribers, starts an aiosmtpd sink on 127.0.0.1 that counts what
it receives, starts `manage.py db_worker` as a process of its own, presses "send", and
samples the worker's resident memory from /proc while it works. Prints messages a second,
the time to the first message, the worker's peak RSS and its RSS at 10,000 messages and at
the end (a send that streams stays flat), and checks that each subscriber got exactly one
message. The figures are in docs/performance.md.
"""

import os
import subprocess
import sys
import threading
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path

from aiosmtpd.controller import Controller
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import timezone

from articles.models import Article, Author, Byline, Status
from newsletters import sending
from newsletters.figures import issue_figures
from newsletters.models import Issue, IssueStory, Newsletter, Subscriber, Subscription
from sections.models import Section


class _Sink:
    """Counts messages per recipient, and when they came."""

    def __init__(self):
        self.per_recipient = Counter()
        self.count = 0
        self.first = self.last = None
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        now = time.monotonic()
        with self.lock:
            for address in envelope.rcpt_tos:
                self.per_recipient[address] += 1
            self.count += 1
            self.first = self.first or now
            self.last = now
        return "250 OK"


def _rss_kib(pid: int, field: str = "VmRSS") -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


class Command(BaseCommand):
    help = "Send one issue to N confirmed subscribers through a local SMTP sink; print the figures."

    def add_arguments(self, parser):
        parser.add_argument("--subscribers", type=int, default=50_000)
        parser.add_argument("--port", type=int, default=8371, help="The SMTP sink's port.")
        parser.add_argument("--rate", type=float, default=0, help="NEWSLETTER_RATE (0: no limit).")
        parser.add_argument("--batch", type=int, default=settings.NEWSLETTER_BATCH)
        parser.add_argument("--timeout", type=float, default=3600)

    def handle(self, *args, **options):
        if connection.vendor != "postgresql":
            raise CommandError("Run it on PostgreSQL (DATABASE_URL): `make bench-newsletter`.")
        if Subscriber.objects.exists():
            raise CommandError("The database has subscribers already: use an empty one.")
        count = options["subscribers"]
        started = time.monotonic()
        issue = self.make_issue(count)
        self.stdout.write(f"{count:,} confirmed subscribers in {time.monotonic() - started:.1f} s")

        sink = _Sink()
        controller = Controller(sink, hostname="127.0.0.1", port=options["port"])
        controller.start()
        worker = self.start_worker(options)
        try:
            self.measure(issue, count, sink, worker, options["timeout"])
        finally:
            worker.terminate()
            worker.wait(30)
            controller.stop()

    def make_issue(self, count: int) -> Issue:
        section = Section.objects.create(name="Bench", slug="bench-newsletter")
        article = Article.objects.create(
            headline="A story for fifty thousand inboxes",
            slug="bench-newsletter-story",
            body="<p>First paragraph.</p><p>Second paragraph.</p>",
            section=section,
            status=Status.PUBLISHED,
            publish_at=timezone.now() - timedelta(hours=1),
        )
        Byline.objects.create(
            article=article, author=Author.objects.create(name="Bench", slug="bench")
        )
        newsletter = Newsletter.objects.create(
            name="Bench Weekly",
            slug="bench-weekly",
            sender_name="The Desk",
            sender_email="desk@bench.example",
            source="site",
        )
        issue = Issue.objects.create(newsletter=newsletter, number=1, subject="Bench issue")
        IssueStory.objects.create(issue=issue, article=article)
        now, chunk = timezone.now(), 5000
        for start in range(0, count, chunk):
            people = Subscriber.objects.bulk_create(
                Subscriber(email=f"reader{n}@bench.example", confirmed_at=now)
                for n in range(start, min(start + chunk, count))
            )
            Subscription.objects.bulk_create(
                Subscription(
                    subscriber=person,
                    newsletter=newsletter,
                    state=Subscription.State.ACTIVE,
                    confirmed_at=now,
                )
                for person in people
            )
        return issue

    def start_worker(self, options) -> subprocess.Popen:
        env = {
            **os.environ,
            "DEBUG": "false",  # no query log in the worker
            "EMAIL_PROVIDER": "smtp",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(options["port"]),
            "EMAIL_USE_TLS": "false",
            "NEWSLETTER_RATE": str(options["rate"]),
            "NEWSLETTER_BATCH": str(options["batch"]),
        }
        command = [sys.executable, "manage.py", "db_worker", "--no-reload", "-v", "0"]
        return subprocess.Popen(command + ["--interval", "0.2"], cwd=settings.BASE_DIR, env=env)

    def measure(self, issue, count, sink, worker, timeout):
        time.sleep(2)  # the worker is up and idle: its RSS before any sending
        idle = _rss_kib(worker.pid)
        pressed = time.monotonic()
        queued = sending.start_send(issue, user=None)
        queued_in = time.monotonic() - pressed
        peak = at_10k = 0
        next_report = max(count // 10, 1)
        deadline = pressed + timeout
        while time.monotonic() < deadline:
            rss = _rss_kib(worker.pid)
            peak = max(peak, rss)
            if not at_10k and sink.count >= min(10_000, count // 5):
                at_10k = rss
            if sink.count >= next_report:  # progress, and figures even if it is cut short
                elapsed = time.monotonic() - pressed
                self.stdout.write(
                    f"  {sink.count:,} messages in {elapsed:.0f} s "
                    f"({sink.count / elapsed:.0f}/s), worker RSS {rss / 1024:.0f} MiB"
                )
                next_report += max(count // 10, 1)
            if Issue.objects.filter(pk=issue.pk, state=Issue.State.SENT).exists():
                break
            if worker.poll() is not None:
                raise CommandError(f"The worker exited ({worker.returncode}).")
            time.sleep(0.2)
        else:
            raise CommandError(f"Not sent within {timeout:.0f} s: {sink.count:,} messages.")
        at_end = _rss_kib(worker.pid)
        peak = max(peak, _rss_kib(worker.pid, "VmHWM"))
        figures = issue_figures(issue)
        doubles = sum(1 for n in sink.per_recipient.values() if n > 1)
        span = (sink.last - sink.first) or 1e-9
        mib = 1024
        self.stdout.write(
            f"Queued {queued:,} deliveries in {queued_in:.2f} s (start_send, one transaction)\n"
            f"Time to first message: {sink.first - pressed:.2f} s after 'send'\n"
            f"Messages: {sink.count:,} to {len(sink.per_recipient):,} addresses, {doubles} doubled;"
            f" sent {figures.sent:,}, failed {figures.failed:,}\n"
            f"Throughput: {sink.count / span:,.0f} messages/s (first to last message, "
            f"{span:.1f} s); {sink.count / (time.monotonic() - pressed):,.0f}/s from 'send'\n"
            f"Worker RSS: idle {idle / mib:.0f} MiB, at {min(10_000, count // 5):,} messages "
            f"{at_10k / mib:.0f} MiB, at {sink.count:,} {at_end / mib:.0f} MiB, peak "
            f"{peak / mib:.0f} MiB"
        )
        if doubles or sink.count != count:
            raise CommandError("Not exactly one message per subscriber.")
