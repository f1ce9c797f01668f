"""Mailing a reader's message (contact.tasks.deliver_message, run here in the test's process;
test_worker.py runs the real worker): with the mail server down it stays stored and is tried
again later; once the server is up it arrives, answerable to the reader."""

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from articles.models import Status
from contact import services
from contact.models import ContactMessage
from contact.tasks import deliver_message, retry_delay
from tests.contact.conftest import NEWSROOM
from tests.factories import make_article, make_author

pytestmark = pytest.mark.django_db
TASK = "contact.tasks.deliver_message"


def receive(**fields) -> ContactMessage:
    data = {"kind": "contact", "name": "Ann Reader", "email": "ann@example.org",
            "subject": "A question", "message": "Where is the map from?", **fields}  # fmt: skip
    return services.receive_message(**data)


def queued_runs(message) -> list:
    rows = DBTaskResult.objects.filter(task_path=TASK, status="READY")
    return [row for row in rows if row.args_kwargs["args"] == [message.pk]]


def test_with_the_mail_server_down_the_message_stays_and_is_tried_again_later(
    newsroom_address, smtp_down, settings
):
    settings.CONTACT_RETRY_DELAY = 30
    message = receive()
    assert deliver_message.call(message.pk) == "queued"
    message.refresh_from_db()
    assert message.attempts == 1 and "Connection refused" in message.last_error
    [first, retry] = sorted(queued_runs(message), key=lambda row: row.enqueued_at)
    assert 25 < (retry.run_after - timezone.now()).total_seconds() <= 30

    smtp_down.start()  # the server is back
    assert deliver_message.call(message.pk) == "sent"
    message.refresh_from_db()
    assert message.delivery == "sent" and message.sent_at and message.attempts == 2
    [mail] = smtp_down.sink.messages
    assert mail["To"] == NEWSROOM and mail["Reply-To"] == "ann@example.org"
    assert "A question" in mail["Subject"]
    body = mail.get_body(("plain",)).get_content()
    assert "Where is the map from?" in body and "Ann Reader <ann@example.org>" in body
    assert f"/admin/contact/contactmessage/{message.pk}/change/" in body
    # The run queued while the server was down finds it mailed: nothing is sent twice.
    assert deliver_message.call(message.pk) == "sent" and len(smtp_down.sink.messages) == 1


def test_the_wait_doubles_up_to_an_hour(settings):
    settings.CONTACT_RETRY_DELAY = 60
    assert [retry_delay(n) for n in (1, 2, 3, 7, 20)] == [60, 120, 240, 3600, 3600]


def test_after_the_last_try_it_is_left_not_mailed_and_kept(newsroom_address, smtp_down, settings):
    settings.CONTACT_MAX_ATTEMPTS = 2
    message = receive()
    deliver_message.call(message.pk)
    assert deliver_message.call(message.pk) == "failed"
    message.refresh_from_db()
    assert message.attempts == 2 and message.status == "new"  # still in the editors' queue
    assert len(queued_runs(message)) == 2  # the first and one retry; no third


def test_a_refused_address_is_not_tried_again(newsroom_address, smtp):
    smtp.sink.refuse = {NEWSROOM}
    message = receive()
    assert deliver_message.call(message.pk) == "failed"
    message.refresh_from_db()
    assert "550" in message.last_error and len(queued_runs(message)) == 1


def test_without_an_address_in_site_settings_it_says_so_and_stays_in_the_desk(smtp):
    message = receive()
    assert deliver_message.call(message.pk) == "failed"
    message.refresh_from_db()
    assert message.last_error == "No contact address is set in Site settings."
    assert smtp.sink.messages == []


def test_an_error_report_names_the_story_and_its_address(newsroom_address, smtp, settings):
    story = make_article(status=Status.PUBLISHED, headline="Talks resume in Geneva")
    message = receive(kind="error", email="", name="", subject="", story=story,
                      message="The date in the second paragraph is wrong.")  # fmt: skip
    deliver_message.call(message.pk)
    [mail] = smtp.sink.messages
    body = mail.get_body(("plain",)).get_content()
    assert "Talks resume in Geneva" in body and settings.SITE_URL + story.get_absolute_url() in body
    assert "(no address: anonymous)" in body and mail["Reply-To"] is None
    assert "An error in a story: The date in the second paragraph" in mail["Subject"]


def test_a_message_to_an_author_goes_to_their_private_address_or_the_newsroom(
    newsroom_address, smtp
):
    author = make_author(name="Mara Lind", email="mara.public@example.org")
    message = receive(kind="author", author=author)
    deliver_message.call(message.pk)
    # Not the public address on the author page: the newsroom's, until the author has a
    # private contact address (Author.contact_email), which then wins.
    assert smtp.sink.messages[0]["To"] == NEWSROOM
    if hasattr(author, "contact_email"):
        author.contact_email = "mara@newsroom.example"
        author.save()
        message = receive(kind="author", author=author)
        deliver_message.call(message.pk)
        assert smtp.sink.messages[1]["To"] == "mara@newsroom.example"


def test_mail_again_queues_a_message_not_mailed(newsroom_address, smtp, editor):
    message = receive()
    ContactMessage.objects.filter(pk=message.pk).update(delivery="failed", attempts=12)
    assert services.mail_again(message=message, user=editor) is True
    assert deliver_message.call(message.pk) == "sent"
    assert services.mail_again(message=message, user=editor) is False  # mailed already
