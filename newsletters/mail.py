"""How a newsletter leaves: a connection to the configured backend (SMTP, or an ESP through
django-anymail: EMAIL_PROVIDER), and what a failure to send means for the delivery.

A failure is one of three kinds:
- REJECTED: the server said no for good (SMTP 5xx, an ESP refusing the recipient). The
  address is suppressed, the delivery failed.
- DEFERRED: the server said "not now" for this recipient (SMTP 4xx at RCPT or DATA). Tried
  again later, on its own.
- UNAVAILABLE: the server could not be reached, went away or did not answer (refused,
  dropped, timed out, 421). The batch stops and the send is retried with backoff. The
  message is sent again even if the line dropped after its end: the server may have kept
  it, and a reader mailed twice, with the same Message-ID, beats one never mailed.
"""

import smtplib
from enum import Enum

from anymail.exceptions import AnymailError, AnymailRecipientsRefused
from django.conf import settings
from django.core.mail import get_connection


class Outcome(Enum):
    REJECTED = "rejected"
    DEFERRED = "deferred"
    UNAVAILABLE = "unavailable"


def newsletter_connection():
    """An open-able connection to the configured mail backend (not yet opened)."""
    return get_connection(settings.EMAIL_BACKEND, fail_silently=False)


def _by_code(code: int) -> Outcome:
    if code == 421:  # "service not available, closing channel"
        return Outcome.UNAVAILABLE
    return Outcome.REJECTED if code >= 500 else Outcome.DEFERRED


def classify(error: BaseException) -> Outcome | None:
    """What a failure to send one message means; None for an error that is not about mail
    (a bug), which the caller lets through."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _ in error.recipients.values()] or [550]
        return _by_code(max(codes))
    if isinstance(error, smtplib.SMTPResponseException):  # sender refused, DATA refused…
        return _by_code(error.smtp_code)
    if isinstance(error, smtplib.SMTPException | OSError):  # disconnected, refused, timeout
        return Outcome.UNAVAILABLE
    if isinstance(error, AnymailRecipientsRefused):
        return Outcome.REJECTED
    if isinstance(error, AnymailError):  # an API that answered no, or timed out
        return Outcome.UNAVAILABLE
    return None


def is_suppressing(error: BaseException) -> bool:
    """A permanent refusal that is about the recipient (not our sender address)."""
    return not isinstance(error, smtplib.SMTPSenderRefused)
