"""Bounces and complaints reported by the email provider, through django-anymail's tracking
webhooks: the address is suppressed and its delivery marked bounced.

The webhook address is /newsletters/webhooks/<esp>/tracking/ (e.g. `postmark`, `amazon_ses`,
`mailgun`, `sendgrid`, `brevo`…), protected by HTTP basic auth with ANYMAIL_WEBHOOK_SECRET
("user:password", which the address given to the provider carries:
https://user:password@example.org/newsletters/webhooks/postmark/tracking/) and, where the
provider signs its calls (Mailgun, SendGrid, Amazon SES…), by anymail's signature check with
that provider's key. A request that fails either is refused with 400; with no secret set the
webhooks refuse everything (403), since an open one would let anyone suppress any address.
"""

import logging
from importlib import import_module

from anymail.signals import EventType
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import Http404, HttpResponseForbidden
from django.views.decorators.csrf import csrf_exempt

from .delivering import suppress
from .models import Delivery, Subscriber

logger = logging.getLogger(__name__)

SUPPRESSING = {EventType.BOUNCED, EventType.COMPLAINED, EventType.REJECTED, EventType.UNSUBSCRIBED}
BOUNCING = {EventType.BOUNCED, EventType.REJECTED}

# The ESPs whose tracking webhooks are served: their module under anymail.webhooks and view.
TRACKING_VIEWS = {
    "amazon_ses": "AmazonSESTrackingWebhookView",
    "brevo": "BrevoTrackingWebhookView",
    "mailersend": "MailerSendTrackingWebhookView",
    "mailgun": "MailgunTrackingWebhookView",
    "mailjet": "MailjetTrackingWebhookView",
    "postal": "PostalTrackingWebhookView",
    "postmark": "PostmarkTrackingWebhookView",
    "resend": "ResendTrackingWebhookView",
    "sendgrid": "SendGridTrackingWebhookView",
    "sparkpost": "SparkPostTrackingWebhookView",
}


def record_event(*, event_type: str, recipient: str, message_id: str | None, reason: str) -> None:
    """The service: suppress the address, and mark its delivery bounced (found by the
    message id the provider gave, or the Message-ID we sent with)."""
    if event_type not in SUPPRESSING or not recipient:
        return
    subscriber = Subscriber.objects.filter(email__iexact=recipient.strip()).first()
    suppress(subscriber, f"{event_type} (provider): {reason}")
    if event_type in BOUNCING and message_id:
        ids = {message_id, message_id.strip("<>"), f"<{message_id.strip('<>')}>"}
        Delivery.objects.filter(message_id__in=ids).update(
            state=Delivery.State.BOUNCED, error=f"{event_type}: {reason}"[:1000]
        )


def on_tracking(sender, event, esp_name, **kwargs) -> None:
    """anymail's tracking signal (its only interface) hands the event to the service."""
    record_event(
        event_type=event.event_type,
        recipient=event.recipient or "",
        message_id=event.message_id,
        reason=event.description or event.reject_reason or "",
    )


@csrf_exempt  # the provider has no CSRF token; basic auth and signatures are the authority
def tracking_webhook(request, esp: str):
    """anymail's tracking webhook for `esp`, refused while no secret is configured."""
    if esp not in TRACKING_VIEWS:
        raise Http404("No such provider")
    if not settings.ANYMAIL.get("WEBHOOK_SECRET"):
        return HttpResponseForbidden("Webhooks are off: set ANYMAIL_WEBHOOK_SECRET.")
    view_class = getattr(import_module(f"anymail.webhooks.{esp}"), TRACKING_VIEWS[esp])
    try:
        return view_class.as_view()(request)
    except ImproperlyConfigured as error:  # e.g. Mailgun without its signing key
        logger.error("The %s webhook is not configured: %s", esp, error)
        return HttpResponseForbidden("This provider's webhook is not configured.")
