"""Subscribing, confirming, changing preferences, unsubscribing, and staff export/erasure.

Plain keyword-only functions called by the views and the admin alike. Web requests never
send mail: a confirmation is enqueued (newsletters.tasks.send_confirmation) once the
transaction commits. The answer to a sign-up is the same whatever the address's state, so
the form cannot tell anyone who is subscribed (docs/newsletters.md, "Privacy").
"""

import datetime
import logging

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from caching.keys import show
from caching.values import remember
from newsroom import rate_limits

from . import tasks
from .models import SIGNUP_KEY, Delivery, Issue, Newsletter, Subscriber, Subscription

logger = logging.getLogger(__name__)
State = Subscription.State


def active_newsletters():
    """Newsletters that take subscribers, by name."""
    return Newsletter.objects.filter(is_active=True).order_by("name")


def signup_newsletters(*, series=None, section=None) -> list[Newsletter]:
    """What a page's sign-up form offers: the active newsletters fed by its series, its
    section or that section's parent. One query, remembered until a newsletter changes
    (Newsletter.cache_keys)."""
    ids = [pk for pk in (section.pk, section.parent_id) if pk] if section is not None else []

    def offered():
        show(SIGNUP_KEY)
        feeds = Q(pk__in=[])
        if series is not None:
            feeds |= Q(source="series", series=series)
        if ids:
            feeds |= Q(source="section", section_id__in=ids)
        return list(active_newsletters().filter(feeds))

    return remember(f"signup:2:{series.pk if series else '-'}:{ids}", offered)


class RateLimited(Exception):
    """Too many sign-ups from one IP address this hour."""


def normalise_email(email: str) -> str:
    """One spelling per address, so "Ann@Example.org " and "ann@example.org" are one row."""
    return email.strip().lower()


def allow_signup_from(ip: str | None) -> bool:
    """Count a sign-up from `ip`; False once it passed the hourly allowance. The per-address
    limit (one confirmation email an hour) lives in the database instead, because that one
    protects someone else's inbox."""
    return rate_limits.allow("newsletters:signups", ip, per_hour=settings.NEWSLETTER_SIGNUPS_PER_IP)


def subscribe(*, email: str, newsletters, source: str, ip: str | None = None) -> None:
    """Record a request to receive `newsletters` and, at most once an interval per address,
    enqueue a confirmation email. Raises RateLimited when `ip` asked too often; otherwise
    says nothing about what was already there: subscribed, pending, suppressed or new."""
    if not allow_signup_from(ip):
        raise RateLimited
    email, now = normalise_email(email), timezone.now()
    newsletters = [n for n in newsletters if n.is_active]
    if not newsletters:
        return
    with transaction.atomic():
        subscriber, _ = Subscriber.objects.get_or_create(email=email)
        if subscriber.suppressed_at:
            return  # bounced or complained: never mail it again, not even a confirmation
        for newsletter in newsletters:
            subscription, created = Subscription.objects.get_or_create(
                subscriber=subscriber,
                newsletter=newsletter,
                defaults={"state": State.PENDING, "source": source[:200]},
            )
            if not created and subscription.state == State.UNSUBSCRIBED:
                subscription.state, subscription.source = State.PENDING, source[:200]
                subscription.requested_at = now
                subscription.save(update_fields=["state", "source", "requested_at"])
        pending = list(
            subscriber.subscriptions.filter(state=State.PENDING)
            .order_by("newsletter_id")
            .values_list("newsletter_id", flat=True)
        )
        if pending and _claim_confirmation(subscriber, now):
            transaction.on_commit(
                lambda: _enqueue_confirmation(subscriber.pk, pending, source[:200])
            )


def _claim_confirmation(subscriber: Subscriber, now) -> bool:
    """Take this address's one confirmation email of the interval, if it is free. A single
    conditional UPDATE, so two sign-ups at once cannot both win."""
    since = now - datetime.timedelta(seconds=settings.NEWSLETTER_CONFIRMATION_INTERVAL)
    return bool(
        Subscriber.objects.filter(pk=subscriber.pk)
        .filter(Q(confirmation_sent_at__isnull=True) | Q(confirmation_sent_at__lte=since))
        .update(confirmation_sent_at=now)
    )


def _enqueue_confirmation(subscriber_id: int, newsletter_ids: list[int], source: str) -> None:
    tasks.send_confirmation.enqueue(subscriber_id, newsletter_ids, source)


def confirm(*, subscriber: Subscriber, newsletter_ids) -> list[Newsletter]:
    """Turn the named pending subscriptions into consent (now, from their recorded form);
    the newsletters confirmed. Already active or since-unsubscribed ones stay as they are:
    an old confirmation link must not undo a later unsubscribe."""
    now = timezone.now()
    with transaction.atomic():
        pending = subscriber.subscriptions.filter(
            state=State.PENDING, newsletter_id__in=list(newsletter_ids)
        )
        confirmed = [s.newsletter for s in pending.select_related("newsletter")]
        pending.update(state=State.ACTIVE, confirmed_at=now)
        if confirmed and subscriber.confirmed_at is None:
            subscriber.confirmed_at = now
            subscriber.save(update_fields=["confirmed_at"])
    return confirmed


def set_preferences(*, subscriber: Subscriber, newsletters, source: str) -> None:
    """Receive exactly `newsletters` from now on. Reached only through a signed link sent to
    the address, so ticking a box there is consent in itself (recorded with its form)."""
    now, wanted = timezone.now(), {n.pk for n in newsletters if n.is_active}
    with transaction.atomic():
        current = {s.newsletter_id: s for s in subscriber.subscriptions.all()}
        for newsletter_id in wanted - {k for k, s in current.items() if s.state == State.ACTIVE}:
            Subscription.objects.update_or_create(
                subscriber=subscriber,
                newsletter_id=newsletter_id,
                defaults={
                    "state": State.ACTIVE,
                    "source": source[:200],
                    "requested_at": now,
                    "confirmed_at": now,
                    "unsubscribed_at": None,
                    "unsubscribed_after": None,
                },
            )
        leaving = subscriber.subscriptions.exclude(newsletter_id__in=wanted)
        leaving.exclude(state=State.UNSUBSCRIBED).update(
            state=State.UNSUBSCRIBED, unsubscribed_at=now
        )
        if wanted and subscriber.confirmed_at is None:
            subscriber.confirmed_at = now
            subscriber.save(update_fields=["confirmed_at"])


def unsubscribe(*, subscriber: Subscriber, issue_id: int | None = None) -> int:
    """Stop mail at once: the newsletter of `issue_id` (counted against that issue), or every
    newsletter without one. Returns how many subscriptions ended; repeating it is harmless."""
    subscriptions = subscriber.subscriptions.exclude(state=State.UNSUBSCRIBED)
    issue = Issue.objects.filter(pk=issue_id).first() if issue_id else None
    if issue is not None:
        subscriptions = subscriptions.filter(newsletter_id=issue.newsletter_id)
    return subscriptions.update(
        state=State.UNSUBSCRIBED, unsubscribed_at=timezone.now(), unsubscribed_after=issue
    )


def export_subscriber(subscriber: Subscriber) -> dict:
    """Everything kept about one address: the row, each consent, each delivery."""

    def when(value):
        return value.isoformat() if value else None

    return {
        "email": subscriber.email,
        "first_sign_up": when(subscriber.created_at),
        "confirmed": when(subscriber.confirmed_at),
        "last_confirmation_email": when(subscriber.confirmation_sent_at),
        "suppressed": when(subscriber.suppressed_at),
        "suppressed_reason": subscriber.suppressed_reason,
        "subscriptions": [
            {
                "newsletter": s.newsletter.name,
                "newsletter_slug": s.newsletter.slug,
                "state": s.state,
                "asked_for": when(s.requested_at),
                "form": s.source,
                "consent_given": when(s.confirmed_at),
                "unsubscribed": when(s.unsubscribed_at),
            }
            for s in subscriber.subscriptions.select_related("newsletter").order_by("pk")
        ],
        "deliveries": [
            {
                "newsletter": d.issue.newsletter.name,
                "issue": d.issue.number,
                "state": d.state,
                "sent": when(d.sent_at),
            }
            for d in Delivery.objects.filter(subscriber=subscriber)
            .select_related("issue__newsletter")
            .order_by("pk")
        ],
    }


def erase_subscriber(subscriber: Subscriber) -> None:
    """Forget an address: the row and its consents go; deliveries stay, without it, so each
    issue's figures still add up."""
    subscriber.delete()
