"""Builders for newsletter tests: a series with its newsletter, a story ready to publish."""

from itertools import count

import pytest

from articles.models import Status
from newsletters.models import Newsletter, Source, Subscriber, Subscription
from sections.models import Series
from tests.factories import make_article

_n = count(1)


def make_series(**fields) -> Series:
    n = next(_n)
    return Series.objects.create(**{"name": f"Series {n}", "slug": f"series-{n}", **fields})


def make_newsletter(**fields) -> Newsletter:
    n = next(_n)
    defaults = {
        "name": f"Letter {n}",
        "slug": f"letter-{n}",
        "sender_name": "The Foreign Desk",
        "sender_email": "letters@example.org",
        "reply_to": "editors@example.org",
        "source": Source.SERIES if "series" in fields else Source.SITE,
    }
    return Newsletter.objects.create(**{**defaults, **fields})


def approved_story(**fields):
    """A story a publisher may publish now."""
    return make_article(status=Status.APPROVED, **fields)


def confirmed_subscriber(newsletter, email: str) -> Subscriber:
    from django.utils import timezone

    subscriber = Subscriber.objects.create(email=email, confirmed_at=timezone.now())
    Subscription.objects.create(
        subscriber=subscriber,
        newsletter=newsletter,
        state=Subscription.State.ACTIVE,
        confirmed_at=subscriber.confirmed_at,
        source="https://example.org/test",
    )
    return subscriber


# This worktree's ports (8360-8369): the SMTP server the issue tests send to.
SMTP_PORT = 8361


@pytest.fixture(name="issue_inbox")
def _issue_inbox(settings):
    """A real SMTP server on 127.0.0.1, on a port of our own, that Django sends to."""
    from aiosmtpd.controller import Controller

    from tests.mail_server import Inbox

    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=SMTP_PORT)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", SMTP_PORT
    settings.EMAIL_USE_TLS, settings.EMAIL_HOST_USER, settings.EMAIL_HOST_PASSWORD = False, "", ""
    yield inbox
    controller.stop()
