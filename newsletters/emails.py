"""The confirmation email (double opt-in). The issue email is newsletters/issue_email.py."""

from email.utils import formataddr, make_msgid
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string

from newsroom.models import SiteSettings

from .links import confirm_url, unsubscribe_url


def sender(newsletters) -> str:
    """From: the first newsletter's sender, else the site's default address."""
    first = next(iter(newsletters), None)
    if first is None:
        return settings.DEFAULT_FROM_EMAIL
    return formataddr((first.sender_name, first.sender_email))


def confirmation_message(subscriber, newsletters, source: str = "") -> EmailMultiAlternatives:
    """The email that asks an address to confirm `newsletters`: one signed link, valid
    NEWSLETTER_CONFIRM_MAX_AGE; nothing else will be sent unless it is clicked.

    Like every email we send it carries List-Unsubscribe (RFC 8058 one-click) and a visible
    link: for someone who did not ask, unsubscribing cancels the request, so even a later
    click on the confirmation link subscribes nobody."""
    newsletters = list(newsletters)
    context = {
        "site": SiteSettings.get_solo(),
        "newsletters": newsletters,
        "confirm_url": confirm_url(subscriber, newsletters),
        "unsubscribe_url": unsubscribe_url(subscriber),
        "hours": settings.NEWSLETTER_CONFIRM_MAX_AGE // 3600,
    }
    names = ", ".join(n.name for n in newsletters)
    message = EmailMultiAlternatives(
        subject=f"Confirm your subscription: {names}"[:200],
        body=render_to_string("newsletters/email/confirm.txt", context),
        from_email=sender(newsletters),
        to=[subscriber.email],
        reply_to=[n.reply_to for n in newsletters[:1] if n.reply_to],
        headers={
            "Message-ID": make_msgid(domain=urlsplit(settings.SITE_URL).hostname or "localhost"),
            # A transactional message: ask auto-responders to stay quiet (RFC 3834).
            "Auto-Submitted": "auto-generated",
            "List-Unsubscribe": f"<{context['unsubscribe_url']}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    message.attach_alternative(
        render_to_string("newsletters/email/confirm.html", context), "text/html"
    )
    return message
