"""Bounces and complaints from the provider (anymail's Postmark tracking webhook, basic auth):
a forged call is refused and changes nothing; a genuine one suppresses the address and marks
its delivery bounced. Also the confirmation email through real SMTP, and its 5xx."""

import base64
import json

import pytest
from django.utils import timezone

from newsletters import sending, tasks
from newsletters.models import Delivery, Newsletter, Subscriber
from tests.newsletters.sending_kit import make_issue

pytestmark = pytest.mark.django_db
URL = "/newsletters/webhooks/postmark/tracking/"
SECRET = "postmark:s3cret-webhook-password"


@pytest.fixture
def secret(settings):
    settings.ANYMAIL = {**settings.ANYMAIL, "WEBHOOK_SECRET": SECRET}


def auth(credentials: str) -> dict:
    return {"HTTP_AUTHORIZATION": "Basic " + base64.b64encode(credentials.encode()).decode()}


def bounce(recipient: str, message_id: str, kind: str = "HardBounce") -> str:
    return json.dumps(
        {
            "RecordType": "Bounce",
            "Type": kind,
            "MessageID": message_id,
            "Email": recipient,
            "Description": "The server was unable to deliver your message (ex: unknown user).",
            "BouncedAt": "2026-11-30T00:00:00Z",
        }
    )


@pytest.fixture
def sent_delivery():
    issue = make_issue(2)
    sending.start_send(issue, user=None)
    delivery = issue.deliveries.select_related("subscriber").order_by("pk").first()
    Delivery.objects.filter(pk=delivery.pk).update(
        state=Delivery.State.SENT, sent_at=timezone.now(), message_id="pm-0001"
    )
    return delivery


@pytest.mark.parametrize(
    "credentials", [None, "postmark:wrong", "intruder:s3cret-webhook-password", SECRET + "x"]
)
def test_a_call_without_the_right_basic_auth_is_refused_and_changes_nothing(
    client, secret, sent_delivery, credentials
):
    headers = auth(credentials) if credentials else {}
    response = client.post(
        URL, bounce(sent_delivery.subscriber.email, "pm-0001"), "application/json", **headers
    )
    assert response.status_code == 400
    assert Subscriber.objects.get(pk=sent_delivery.subscriber_id).suppressed_at is None
    assert Delivery.objects.get(pk=sent_delivery.pk).state == Delivery.State.SENT


def test_with_no_secret_configured_the_webhooks_refuse_everything(client, settings):
    settings.ANYMAIL = {**settings.ANYMAIL, "WEBHOOK_SECRET": ""}
    response = client.post(URL, bounce("a@example.org", "x"), "application/json", **auth(SECRET))
    assert response.status_code == 403


def test_an_unknown_provider_is_not_found(client, secret):
    assert client.post("/newsletters/webhooks/nosuchesp/tracking/", {}).status_code == 404


def test_a_provider_not_configured_is_refused_not_an_error(client, secret):
    """Mailgun's webhook needs its signing key; without it: 403, not a 500."""
    response = client.post("/newsletters/webhooks/mailgun/tracking/", {}, **auth(SECRET))
    assert response.status_code == 403


def test_a_genuine_bounce_suppresses_the_address_and_marks_the_delivery_bounced(
    client, secret, sent_delivery
):
    email = sent_delivery.subscriber.email
    response = client.post(URL, bounce(email, "pm-0001"), "application/json", **auth(SECRET))

    assert response.status_code == 200
    subscriber = Subscriber.objects.get(pk=sent_delivery.subscriber_id)
    assert subscriber.suppressed_at and "bounced" in subscriber.suppressed_reason
    assert Delivery.objects.get(pk=sent_delivery.pk).state == Delivery.State.BOUNCED
    other = Delivery.objects.exclude(pk=sent_delivery.pk).get()
    assert other.state == Delivery.State.QUEUED and other.subscriber.suppressed_at is None
    # Suppressed: the next issue is not queued for it.
    newsletter = Newsletter.objects.get()
    issue2 = newsletter.issues.create(number=2, subject="Next")
    assert sending.start_send(issue2, user=None) == 1


def test_a_spam_complaint_suppresses_the_address(client, secret, sent_delivery):
    complaint = json.dumps(
        {
            "RecordType": "SpamComplaint",
            "Type": "SpamComplaint",
            "MessageID": "pm-0001",
            "Email": sent_delivery.subscriber.email.upper(),
        }
    )
    assert client.post(URL, complaint, "application/json", **auth(SECRET)).status_code == 200
    assert Subscriber.objects.get(pk=sent_delivery.subscriber_id).suppressed_at is not None


def test_the_confirmation_email_goes_out_through_smtp_and_a_5xx_suppresses(smtp):
    issue = make_issue(0)
    ok = Subscriber.objects.create(email="new@example.org")
    gone = Subscriber.objects.create(email="gone@example.org")
    smtp.sink.refuse = {"gone@example.org"}

    assert tasks.send_confirmation.call(ok.pk, [issue.newsletter_id], "https://x/") is True
    assert tasks.send_confirmation.call(gone.pk, [issue.newsletter_id], "https://x/") is False

    assert list(smtp.sink.per_recipient()) == ["new@example.org"]
    assert "/newsletters/confirm/" in smtp.sink.messages[0].get_body(("plain",)).get_content()
    gone.refresh_from_db()
    assert gone.suppressed_at is not None
    # A suppressed address is not even tried again.
    assert tasks.send_confirmation.call(gone.pk, [issue.newsletter_id], "https://x/") is False
