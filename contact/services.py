"""Reader messages: receiving one, the desk's work on them, and the correction a report leads
to. Plain keyword-only functions, called by the form's view and the desk alike."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from articles import roles
from articles import services as stories
from articles.changes import Relations
from articles.models import Article, Author, Correction

from . import tasks
from .models import ContactMessage

Delivery = ContactMessage.Delivery


def receive_message(
    *,
    kind: str,
    message: str,
    name: str = "",
    email: str = "",
    subject: str = "",
    story: Article | None = None,
    author: Author | None = None,
) -> ContactMessage:
    """Keep a reader's message, and queue its mailing. Both in one transaction: django-tasks'
    database backend writes the queued task as a row of the same database, so the message
    and its mailing are kept together or not at all (no moment where one is stored and the
    other lost). Mail is sent by the worker, never in the reader's request."""
    with transaction.atomic():
        received = ContactMessage.objects.create(
            kind=kind, name=name, email=email, subject=subject, message=message,
            story=story if kind == ContactMessage.Kind.ERROR else None,
            author=author if kind == ContactMessage.Kind.AUTHOR else None,
        )  # fmt: skip
        tasks.deliver_message.enqueue(received.pk)
    return received


def may_handle(user) -> bool:
    """Reader messages are for editors: they may hold a tipster's address."""
    return user.has_perm("contact.change_contactmessage")


def set_status(*, message: ContactMessage, status: str, user) -> ContactMessage:
    """Mark a message new, handled or spam; who handled it is recorded."""
    if not may_handle(user):
        raise PermissionDenied("You may not handle reader messages.")
    if status not in ContactMessage.Status.values:
        raise ValidationError(f"No such status: {status!r}.")
    message.status = status
    handled = status != ContactMessage.Status.NEW
    message.handled_by, message.handled_at = (user, timezone.now()) if handled else (None, None)
    message.save(update_fields=["status", "handled_by", "handled_at"])
    return message


def mail_again(*, message: ContactMessage, user) -> bool:
    """Queue another mailing of a message not mailed yet (after Site settings gained an
    address, say). False for one already mailed."""
    if not may_handle(user):
        raise PermissionDenied("You may not handle reader messages.")
    with transaction.atomic():
        updated = ContactMessage.objects.filter(pk=message.pk).exclude(delivery=Delivery.SENT)
        if not updated.update(delivery=Delivery.QUEUED, attempts=0):
            return False
        tasks.deliver_message.enqueue(message.pk)
    return True


def correct_from_report(*, report: ContactMessage, user, text: str, kind: str) -> Correction:
    """Add a correction (or update) to the story a report is about, as any save of the story
    does (articles.services: a revision, readers' pages refreshed, the story's people told),
    and link the report to it, handled. One transaction: both or neither."""
    if not (may_handle(user) and user.has_perm("articles.add_correction")):
        raise PermissionDenied("You may not add corrections.")
    text = text.strip()
    if not text:
        raise ValidationError("Write the correction readers will see.")
    if kind not in Correction.Kind.values:
        raise ValidationError(f"No such kind of note: {kind!r}.")
    with transaction.atomic():
        report = ContactMessage.objects.select_for_update().get(pk=report.pk)
        if report.story_id is None:
            raise ValidationError("This message names no story.")
        if report.correction_id is not None:
            raise ValidationError("This report already led to a correction.")
        story = Article.objects.get(pk=report.story_id)
        if not roles.can_edit(user, story):
            raise PermissionDenied("You may not edit this story.")
        rows = list(story.corrections.values("id", "kind", "text", "published_at"))
        known = {row["id"] for row in rows}
        rows.append({"id": None, "kind": kind, "text": text, "published_at": timezone.now()})
        stories.save_article(
            article=story, user=user, relations=Relations(corrections=rows),
            comment="Correction from a reader's report",
        )  # fmt: skip
        correction = story.corrections.exclude(pk__in=known).get()
        report.correction = correction
        set_status(message=report, status=ContactMessage.Status.HANDLED, user=user)
        report.save(update_fields=["correction"])
    return correction
