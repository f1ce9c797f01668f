"""Signed links in newsletter emails: confirm, preferences, unsubscribe.

A link is its own authority: whoever holds it may act for the address it was made for, so no
account and no password are needed. Each kind has its own salt, so a preferences token cannot
be used to confirm. A token names the subscriber by id and a digest of the address (not the
address itself, which would sit in plain base64 in every server log); an erased or re-created
subscriber invalidates every old link. Only the confirmation link expires
(NEWSLETTER_CONFIRM_MAX_AGE): preference and unsubscribe links must keep working in an email
read months later (RFC 8058 one-click unsubscribe).
"""

import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.urls import reverse

CONFIRM, PREFERENCES, UNSUBSCRIBE = "confirm", "preferences", "unsubscribe"
_SALT = "newsletters.links.%s"


class BadLink(Exception):
    """A token that is forged, expired, of another kind, or for an address no longer here."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.expired = reason == "expired"


@dataclass(frozen=True)
class LinkData:
    """What a valid token says: whose it is, and the newsletters or issue it concerns."""

    subscriber: object  # newsletters.models.Subscriber
    newsletter_ids: tuple[int, ...] = ()
    issue_id: int | None = None


def _digest(email: str) -> str:
    return hashlib.sha256(email.strip().lower().encode()).hexdigest()[:16]


def make_token(kind: str, subscriber, *, newsletter_ids=(), issue_id=None) -> str:
    """A signed token of `kind` for `subscriber` (timestamped, so CONFIRM can expire)."""
    payload = {"s": subscriber.pk, "e": _digest(subscriber.email)}
    if newsletter_ids:
        payload["n"] = sorted(int(pk) for pk in newsletter_ids)
    if issue_id:
        payload["i"] = int(issue_id)
    return signing.dumps(payload, salt=_SALT % kind, compress=True)


def read_token(kind: str, token: str) -> LinkData:
    """The subscriber and data a token of `kind` names; BadLink if it is not valid now."""
    from .models import Subscriber

    max_age = settings.NEWSLETTER_CONFIRM_MAX_AGE if kind == CONFIRM else None
    try:
        payload = signing.loads(token, salt=_SALT % kind, max_age=max_age)
    except signing.SignatureExpired:
        raise BadLink("expired") from None
    except signing.BadSignature:
        raise BadLink("forged") from None
    try:
        subscriber = Subscriber.objects.get(pk=int(payload["s"]))
    except (Subscriber.DoesNotExist, KeyError, TypeError, ValueError):
        raise BadLink("unknown") from None
    if payload.get("e") != _digest(subscriber.email):
        raise BadLink("unknown")
    return LinkData(
        subscriber=subscriber,
        newsletter_ids=tuple(payload.get("n", ())),
        issue_id=payload.get("i"),
    )


def _absolute(name: str, token: str) -> str:
    return settings.SITE_URL + reverse(f"newsletters:{name}", kwargs={"token": token})


def confirm_url(subscriber, newsletters=None) -> str:
    """The confirmation link: confirms the given newsletters (default: every pending one).

    Naming the newsletters in the token means an old link cannot confirm a subscription
    somebody else asked for after it was sent."""
    if newsletters is None:
        ids = subscriber.subscriptions.filter(state="pending").values_list(
            "newsletter_id", flat=True
        )
    else:
        ids = [getattr(newsletter, "pk", newsletter) for newsletter in newsletters]
    return _absolute(CONFIRM, make_token(CONFIRM, subscriber, newsletter_ids=list(ids)))


def preferences_url(subscriber) -> str:
    """The page where a subscriber changes newsletters or leaves them all (never expires)."""
    return _absolute(PREFERENCES, make_token(PREFERENCES, subscriber))


def unsubscribe_url(subscriber, issue=None) -> str:
    """The one-click unsubscribe link (List-Unsubscribe and the visible link in an email).

    With `issue`, the unsubscribe is counted against that issue's figures and leaves its
    newsletter only; without, it leaves every newsletter."""
    issue_id = getattr(issue, "pk", issue)
    return _absolute(UNSUBSCRIBE, make_token(UNSUBSCRIBE, subscriber, issue_id=issue_id))
