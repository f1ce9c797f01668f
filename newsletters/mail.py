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

import select
import smtplib
import socket
import time
from collections.abc import Callable
from enum import Enum

from django.conf import settings
from django.core.mail import get_connection
from django.core.mail.backends.smtp import EmailBackend as DjangoSMTPBackend
from django.core.mail.message import sanitize_address

SMTP_BACKEND = "django.core.mail.backends.smtp.EmailBackend"


class Outcome(Enum):
    REJECTED = "rejected"
    DEFERRED = "deferred"
    UNAVAILABLE = "unavailable"
    AMBIGUOUS = "ambiguous"


class _HandOverTracking:
    """Knows whether the current message's last line (the "." that ends DATA) went out, which
    is what tells a drop before the server could accept the message from one after."""

    payload_sent = False

    def connect(self, *args, **kwargs):
        reply = super().connect(*args, **kwargs)
        # hand_over writes the message's last line on its own, right after the body: with
        # Nagle's algorithm on, that short write would wait for the body's ACK, which the
        # server delays (~40 ms) since it has nothing to say yet. Every message would wait.
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return reply

    def sendmail(self, *args, **kwargs):
        self.payload_sent = False
        return super().sendmail(*args, **kwargs)

    def send(self, s):
        super().send(s)
        if isinstance(s, str):
            s = s.encode()
        if s == b".\r\n" or s.endswith(b"\r\n.\r\n"):  # hand_over's last line; sendmail's
            self.payload_sent = True


class _SMTP(_HandOverTracking, smtplib.SMTP):
    pass


class _SMTPSSL(_HandOverTracking, smtplib.SMTP_SSL):
    pass


class SMTPBackend(DjangoSMTPBackend):
    """Django's SMTP backend, with connections that know how far a message got, and a way to
    send one message with a record written at the moment it is handed over (`hand_over`)."""

    @property
    def connection_class(self):
        return _SMTPSSL if self.use_ssl else _SMTP


class TooLate(smtplib.SMTPException):
    """The message was not handed over: its claim could run out before the server took it
    (a server this slow is treated as unavailable; the message is sent later)."""


def hand_over(
    backend: SMTPBackend,
    message,
    record: Callable[[], Callable[[], bool]],
    *,
    deadline: float | None = None,
) -> bool:
    """Send one message through an open SMTP connection, as smtplib's sendmail does, except
    that DATA is split: the body goes out, then `record()` is
    called, then the line that ends the message ("." on its own), which is the moment the
    server takes it. `record` writes down that the message is sent and returns a function that
    waits for that write; that is called whatever happens next. Returns what it returned.

    This is how a newsletter is sent exactly once across a killed worker: a worker that dies
    before the record leaves a message the server never accepted (it discards a DATA without
    its end), which is sent again; one that dies after leaves a message recorded as sent,
    whose last line is already written. Between the two is one socket write.

    `deadline` (time.monotonic()): if it has passed when the body is out, nothing is recorded
    and the line is hung up (TooLate), so a message is never handed over after its claim
    could have gone to another worker. Raises what sendmail raises; `payload_sent` on the
    connection says whether the last line went out (a drop after it is ambiguous)."""
    smtp = backend.connection
    smtp.payload_sent = False
    encoding = message.encoding or settings.DEFAULT_CHARSET
    sender = sanitize_address(message.from_email, encoding)
    recipients = [sanitize_address(address, encoding) for address in message.recipients()]
    data = message.message().as_bytes(linesep="\r\n")
    smtp.ehlo_or_helo_if_needed()
    options = [f"size={len(data)}"] if smtp.does_esmtp and smtp.has_extn("size") else []
    code, reply = smtp.mail(sender, options)
    if code != 250:
        _abandon(smtp, code)
        raise smtplib.SMTPSenderRefused(code, reply, sender)
    refused = {}
    for recipient in recipients:
        code, reply = smtp.rcpt(recipient)
        if code not in (250, 251):
            refused[recipient] = (code, reply)
        if code == 421:
            smtp.close()
            raise smtplib.SMTPRecipientsRefused(refused)
    if refused:  # a newsletter has one recipient: refused is all of them
        _abandon(smtp, 0)
        raise smtplib.SMTPRecipientsRefused(refused)
    code, reply = smtp.docmd("data")
    if code != 354:
        _abandon(smtp, code)
        raise smtplib.SMTPDataError(code, reply)
    try:
        body = smtplib._quote_periods(data)
        smtp.send(body if body.endswith(b"\r\n") else body + b"\r\n")
        _room_for_the_last_line(smtp.sock, backend.timeout)
        if deadline is not None and time.monotonic() > deadline:
            raise TooLate("the server took too long; the message goes back to the queue")
        settle = record()
    except BaseException:
        # Hang up in the middle of DATA: the server drops the unfinished message (a QUIT now
        # would only be read as one more line of it).
        smtp.close()
        raise
    try:
        smtp.send(b".\r\n")
        # The server may check the message before it answers: RFC 5321 allows it minutes.
        smtp.sock.settimeout(max(settings.NEWSLETTER_END_OF_DATA_TIMEOUT, backend.timeout or 0))
        code, reply = smtp.getreply()
        if smtp.sock:
            smtp.sock.settimeout(backend.timeout)
    finally:
        recorded = settle()
    if code != 250:
        _abandon(smtp, code)
        raise smtplib.SMTPDataError(code, reply)
    return recorded


def _room_for_the_last_line(sock, timeout: float | None) -> None:
    """Wait until the socket's send buffer has room (it is writable), so the last line's write
    cannot block between the record and the moment the server takes the message: after a
    large body on a slow link the buffer may be full until the server acknowledges some of
    it. Usually there is room at once. (Waiting for every byte to be acknowledged would cost
    the server's delayed ACK, ~40 ms, on every message.)"""
    select.select([], [sock], [], timeout or 30)


def _abandon(smtp, code: int) -> None:
    """After a refusal: a 421 closes the line, anything else resets the transaction. A server
    that has hung up meanwhile cannot be reset, which changes nothing about the refusal (as
    smtplib's own sendmail does it)."""
    if code == 421:
        smtp.close()
    else:
        smtp._rset()


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
