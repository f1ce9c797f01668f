"""mail.hand_over, the step that makes a newsletter go out exactly once over SMTP: the record
is written after the message's body and before the line that ends it, and an SMTP server
keeps nothing of a DATA that never ended (what a killed worker leaves)."""

import socket
import time

import pytest
from django.core.mail import EmailMessage
from django.db import connection

from newsletters.mail import SMTPBackend, hand_over
from newsletters.models import Delivery
from tests.newsletters.sending_kit import queries_per_message


def open_backend(smtp) -> SMTPBackend:
    backend = SMTPBackend(host="127.0.0.1", port=smtp.port, use_tls=False, fail_silently=False)
    backend.open()
    return backend


def message(to="reader@example.org") -> EmailMessage:
    return EmailMessage(
        "Diplomacy Watch", "Body\n.\nA line that is only a dot.", "desk@example.org", [to]
    )


def test_the_record_is_written_after_the_body_and_before_the_line_that_ends_it(smtp):
    steps = []

    def record():
        time.sleep(0.2)  # the server has had the body for a while: it must not have taken it
        steps.append(("recorded", len(smtp.sink.messages)))
        return lambda: steps.append(("settled", len(smtp.sink.messages))) or True

    backend = open_backend(smtp)
    try:
        assert hand_over(backend, message(), record) is True
    finally:
        backend.close()
    assert steps[0] == ("recorded", 0)
    assert steps[1][0] == "settled" and len(smtp.sink.messages) == 1
    received = smtp.sink.messages[0]
    assert received["To"] == "reader@example.org"
    assert "A line that is only a dot." in received.get_content()
    assert "\r\n.\r\n" in received.get_content()  # the dot line came through (dot-stuffed)


def test_a_refused_recipient_is_raised_before_anything_is_recorded(smtp):
    import smtplib

    smtp.sink.refuse = {"gone@example.org"}
    recorded = []
    backend = open_backend(smtp)
    try:
        with pytest.raises(smtplib.SMTPRecipientsRefused):
            hand_over(backend, message("gone@example.org"), lambda: recorded.append(1))
        # The connection is still good for the next message.
        assert hand_over(backend, message(), lambda: lambda: True) is True
    finally:
        backend.close()
    assert recorded == [] and smtp.sink.per_recipient() == {"reader@example.org": 1}


def test_a_server_keeps_nothing_of_a_message_whose_data_never_ended(smtp):
    """What a worker killed before its record leaves behind: the body went out, the line
    that ends it did not, the connection is gone. Nothing is delivered, so sending it again
    later cannot double it."""
    with socket.create_connection(("127.0.0.1", smtp.port)) as line:
        reader = line.makefile("rb")
        reader.readline()  # greeting
        for command in (b"HELO worker", b"MAIL FROM:<desk@example.org>"):
            line.sendall(command + b"\r\n")
            assert reader.readline().startswith(b"250")
        line.sendall(b"RCPT TO:<reader@example.org>\r\n")
        assert reader.readline().startswith(b"250")
        line.sendall(b"DATA\r\n")
        assert reader.readline().startswith(b"354")
        line.sendall(b"Subject: half\r\n\r\nThe whole body, but not its end.\r\n")
    time.sleep(0.3)
    assert smtp.sink.messages == []


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the record sent without waiting is PostgreSQL's"
)
@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_on_postgresql_each_message_is_two_writes_and_recorded_sent(smtp):
    """The worker's path (autocommit, PostgreSQL): the record goes out without waiting and is
    read back after the message; it is counted like any query, and the rows say sent."""
    per_message, (small, large), queries = queries_per_message()

    assert per_message == 2  # the claim renewed, then the record
    assert sum("UPDATE" in q["sql"] and "$1" in q["sql"] for q in queries) == 12
    for issue, count in ((small, 2), (large, 12)):
        rows = issue.deliveries.all()
        assert len(rows) == count and {row.state for row in rows} == {Delivery.State.SENT}
        assert all(row.sent_at and row.message_id and not row.claim for row in rows)
    assert len(smtp.sink.per_recipient()) == 14
    assert connection.cursor().connection.info.transaction_status.name == "IDLE"


def test_the_last_line_is_not_held_back_by_nagle(smtp):
    """Without TCP_NODELAY the lone last line waits for the body's delayed ACK: ~40 ms a
    message on Linux, a 25-a-second ceiling on any send."""
    backend = open_backend(smtp)
    try:
        assert backend.connection.sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY)
    finally:
        backend.close()
