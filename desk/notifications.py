"""Telling people what happened to their stories and pages: a notification on the desk for
each person concerned, and an email once the step has committed.

The workflow services call `notify` after they log a step. Emails go out on commit and never
fail or slow the step beyond EMAIL_TIMEOUT: a mail server that is down is logged, not raised.
"""

import logging
from functools import partial

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from articles.models import Article, Status
from articles.roles import EDITOR, PUBLISHER

from .models import Notification, Verb

logger = logging.getLogger(__name__)

# Who hears of a step beyond the story's own people (its creator and bylined staff).
_ROLE_FOR = {Verb.SUBMITTED: EDITOR, Verb.PENDING_SUBMITTED: EDITOR, Verb.APPROVED: PUBLISHER}


def verb_for_step(article: Article, to_status: str) -> Verb | None:
    """The notification a workflow step makes, if any (archiving tells nobody)."""
    if to_status == Status.SUBMITTED:
        return Verb.PENDING_SUBMITTED if article.pending_for_id else Verb.SUBMITTED
    if to_status == Status.PUBLISHED:
        return Verb.SCHEDULED if article.is_scheduled else Verb.PUBLISHED
    return {
        Status.RETURNED: Verb.RETURNED,
        Status.APPROVED: Verb.APPROVED,
        Status.UNPUBLISHED: Verb.UNPUBLISHED,
    }.get(to_status)


def recipients(*, article: Article, verb: Verb, actor=None, also=()):
    """The people concerned: the creator, bylined staff, the role that acts next, and `also`
    (user ids or a query of them: those in a comment thread)."""
    concerned = Q(pk=article.created_by_id) | Q(author__bylines__article=article)
    concerned |= Q(pk__in=also)
    if verb in _ROLE_FOR:
        concerned |= Q(groups__name=_ROLE_FOR[verb])
    people = get_user_model().objects.filter(concerned, is_active=True)
    if getattr(actor, "pk", None) is not None:
        people = people.exclude(pk=actor.pk)
    return people.distinct()


def notify(
    *, article: Article, verb: Verb, actor=None, comment: str = "", also=()
) -> list[Notification]:
    """Store a notification for each person concerned and email them after the commit."""
    actor = actor if getattr(actor, "pk", None) is not None else None
    people = recipients(article=article, verb=verb, actor=actor, also=also)
    people = people.select_related("desk_preference")
    notes = Notification.objects.bulk_create(
        Notification(recipient=person, article=article, verb=verb, comment=comment, actor=actor)
        for person in people
    )
    _email_after_commit(notes)
    return notes


def notify_profile_change(*, change, verb: Verb, actor=None, comment: str = ""):
    """Tell the editors of a proposed change to an author profile, or its proposer what an
    editor decided; emailed after the commit like a story's steps."""
    actor = actor if getattr(actor, "pk", None) is not None else None
    if verb == Verb.PROFILE_PROPOSED:
        concerned = Q(groups__name=EDITOR)
    else:
        concerned = Q(pk=change.proposed_by_id)
    people = get_user_model().objects.filter(concerned, is_active=True)
    if actor is not None:
        people = people.exclude(pk=actor.pk)
    people = people.distinct().select_related("desk_preference")
    notes = Notification.objects.bulk_create(
        Notification(
            recipient=person, profile_change=change, verb=verb, comment=comment, actor=actor
        )
        for person in people
    )
    _email_after_commit(notes)
    return notes


def notify_page(*, page, to_status: str, actor=None, comment: str = "") -> list[Notification]:
    """Tell the people concerned of a page's workflow step, as `notify` does for a story's:
    the page's creator, and the editors of a submission or the publishers of an approval;
    emailed after the commit."""
    verb = {
        Status.SUBMITTED: Verb.SUBMITTED,
        Status.RETURNED: Verb.RETURNED,
        Status.APPROVED: Verb.APPROVED,
        Status.PUBLISHED: Verb.SCHEDULED if page.is_scheduled else Verb.PUBLISHED,
        Status.UNPUBLISHED: Verb.UNPUBLISHED,
    }.get(to_status)
    if verb is None:  # archiving and restoring tell nobody, as for stories
        return []
    actor = actor if getattr(actor, "pk", None) is not None else None
    concerned = Q(pk=page.created_by_id)
    if verb in _ROLE_FOR:
        concerned |= Q(groups__name=_ROLE_FOR[verb])
    people = get_user_model().objects.filter(concerned, is_active=True)
    if actor is not None:
        people = people.exclude(pk=actor.pk)
    people = people.distinct().select_related("desk_preference")
    notes = Notification.objects.bulk_create(
        Notification(recipient=person, page=page, verb=verb, comment=comment, actor=actor)
        for person in people
    )
    _email_after_commit(notes)
    return notes


def _email_after_commit(notes: list[Notification]) -> None:
    messages = [
        _email(note) for note in notes if note.recipient.email and _wants_email(note.recipient)
    ]
    if messages:
        transaction.on_commit(partial(send_emails, messages))


def _wants_email(user) -> bool:
    preference = getattr(user, "desk_preference", None)
    return preference is None or preference.emails


def _email(note: Notification) -> EmailMessage:
    who = note.actor.get_full_name() or note.actor.username if note.actor else "The system"
    url = settings.DESK_URL + note.desk_url
    lines = [f"{who} {note.get_verb_display()} “{note.subject}”."]
    if note.comment:
        lines += ["", "Comment:", note.comment]
    opens = (
        "Open the story"
        if note.article_id
        else "Open the page"
        if note.page_id
        else ("Open it on the desk")
    )
    lines += ["", f"{opens}: {url}", "", "You can turn these emails off on the desk."]
    return EmailMessage(
        subject=f"{note.get_verb_display().capitalize()}: {note.subject}",
        body="\n".join(lines),
        to=[note.recipient.email],
    )


def send_emails(messages: list[EmailMessage]) -> None:
    """Send over one connection; a server that is down or refuses is a warning in the log."""
    try:
        with get_connection() as connection:
            connection.send_messages(messages)
    except Exception as error:  # a notification email must never fail the step it reports
        logger.warning("Could not send %d notification email(s): %s", len(messages), error)


def mark_read(*, user, pk: int | None = None) -> int:
    """Mark one of the person's notifications read, or all of them (`pk` None)."""
    notes = Notification.objects.unread().filter(recipient=user)
    if pk is not None:
        notes = notes.filter(pk=pk)
    return notes.update(read_at=timezone.now())
