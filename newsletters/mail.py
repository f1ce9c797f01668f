"""How a newsletter leaves: a connection to the configured backend (SMTP, or an ESP through
django-anymail: EMAIL_PROVIDER), and what a failure to send means for the delivery.

A failure is one of three kinds:
- REJECTED: the server said no for good (SMTP 5xx, an ESP refusing the recipient). The
  address is suppressed, the delivery failed.
- DEFERRED: the server said "not now" for this recipient (SMTP 4xx at RCPT or DATA). Tried
  again later, on its own.
- UNAVAILABLE: the server could not be reached or went away (refused, dropped, timed out,
  421). The batch stops and the send is retried with backoff. If the message had been handed
  over in full before the line dropped, the server may have it: that delivery is AMBIGUOUS.
"""

import smtplib
from enum import Enum

from django.conf import settings
from django.core.mail import get_connection
from django.core.mail.backends.smtp import EmailBackend as DjangoSMTPBackend

SMTP_BACKEND = "django.core.mail.backends.smtp.EmailBackend"


class Outcome(Enum):
    REJECTED = "rejected"
    DEFERRED = "deferred"
    UNAVAILABLE = "unavailable"
    AMBIGUOUS = "ambiguous"


class _PayloadTracking:
    """Remembers whether the current message's body (ending in CRLF.CRLF) went out, which is
    what tells a drop before the server could accept it from one after."""

    payload_sent = False

    def sendmail(self, *args, **kwargs):
        self.payload_sent = False
        return super().sendmail(*args, **kwargs)

    def send(self, s):
        super().send(s)
        if isinstance(s, bytes | str) and s[-5:] in (b"\r\n.\r\n", "\r\n.\r\n"):
            self.payload_sent = True


class _SMTP(_PayloadTracking, smtplib.SMTP):
    pass


class _SMTPSSL(_PayloadTracking, smtplib.SMTP_SSL):
    pass


class SMTPBackend(DjangoSMTPBackend):
    """Django's SMTP backend, with connections that know how far a message got."""

    @property
    def connection_class(self):
        return _SMTPSSL if self.use_ssl else _SMTP


def newsletter_connection():
    """An open-able connection to the configured mail backend (not yet opened)."""
    backend = settings.EMAIL_BACKEND
    if backend == SMTP_BACKEND:
        backend = "newsletters.mail.SMTPBackend"
    return get_connection(backend, fail_silently=False)


def _by_code(code: int) -> Outcome:
    if code == 421:  # "service not available, closing channel"
        return Outcome.UNAVAILABLE
    return Outcome.REJECTED if code >= 500 else Outcome.DEFERRED


def classify(error: BaseException, connection) -> Outcome | None:
    """What a failure to send one message means; None for an error that is not about mail
    (a bug), which the caller lets through."""
    smtp = getattr(connection, "connection", None)
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _ in error.recipients.values()] or [550]
        return _by_code(max(codes))
    if isinstance(error, smtplib.SMTPResponseException):  # sender refused, DATA refused…
        return _by_code(error.smtp_code)
    if isinstance(error, smtplib.SMTPException | OSError):  # disconnected, refused, timeout
        return Outcome.AMBIGUOUS if getattr(smtp, "payload_sent", False) else Outcome.UNAVAILABLE
    try:
        from anymail.exceptions import AnymailError, AnymailRecipientsRefused
    except ImportError:  # pragma: no cover - anymail is a dependency
        return None
    if isinstance(error, AnymailRecipientsRefused):
        return Outcome.REJECTED
    if isinstance(error, AnymailError):
        # An API that answered (any status) did not take the message; one that timed out or
        # dropped the line may have.
        return Outcome.UNAVAILABLE if getattr(error, "status_code", None) else Outcome.AMBIGUOUS
    return None


def is_suppressing(error: BaseException) -> bool:
    """A permanent refusal that is about the recipient (not our sender address)."""
    return not isinstance(error, smtplib.SMTPSenderRefused)
