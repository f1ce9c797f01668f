"""What the background worker (`manage.py db_worker`) does with a reader's message: mail it.

The message is already stored (contact.services); mailing is tried until the mail server takes
it, backing off while the server is down, so a message is never lost and never blocks the
reader's request. This module's path (contact.tasks.deliver_message) is what the queue stores.
"""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from newsletters.mail import Outcome, classify

from .mailing import NoAddress, email_for
from .models import ContactMessage

Delivery = ContactMessage.Delivery
MAX_DELAY = 3600


def retry_delay(attempts: int) -> float:
    """Seconds before the next try: CONTACT_RETRY_DELAY, doubling, at most an hour."""
    return min(settings.CONTACT_RETRY_DELAY * 2 ** max(attempts - 1, 0), MAX_DELAY)


@task(priority=10)
def deliver_message(message_id: int) -> str:
    """Mail one message, once. A server that is down or says "later" means another try after
    a delay; a permanent refusal, no address or too many tries leave it "not mailed" (it is
    still in the desk's queue). Returns its delivery state."""
    with transaction.atomic():
        # Locked while it is sent: a second run for it (a "Mail again" racing a retry) waits,
        # then finds it mailed.
        message = ContactMessage.objects.select_for_update().filter(pk=message_id).first()
        if message is None or message.delivery != Delivery.QUEUED:
            return message.delivery if message else ""
        message.attempts += 1
        try:
            email_for(message).send()
        except NoAddress as error:
            message.delivery, message.last_error = Delivery.FAILED, str(error)
        except Exception as error:
            outcome = classify(error)
            if outcome is None:  # not about mail: a bug, which the task's result records
                raise
            message.last_error = f"{type(error).__name__}: {error}"[:2000]
            if outcome is Outcome.REJECTED or message.attempts >= settings.CONTACT_MAX_ATTEMPTS:
                message.delivery = Delivery.FAILED
            else:
                later = timezone.now() + timedelta(seconds=retry_delay(message.attempts))
                deliver_message.using(run_after=later).enqueue(message.pk)
        else:
            message.delivery, message.sent_at, message.last_error = (
                Delivery.SENT,
                timezone.now(),
                "",
            )
        message.save(update_fields=["delivery", "attempts", "last_error", "sent_at"])
        return message.delivery
