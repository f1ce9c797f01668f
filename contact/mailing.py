"""The email a reader's message becomes: plain text, to the newsroom's contact address (or the
author's private address for a message to an author), answerable to the reader. Whatever the
reader typed goes in the body; only the subject line, checked to be one line, reaches a header."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.urls import reverse
from django.utils.text import Truncator

from newsroom.models import SiteSettings

from .models import ContactMessage


def _site() -> SiteSettings:
    """The row as stored now: a worker's own cache (local memory, without Redis) could keep
    an address changed since for an hour."""
    return SiteSettings.objects.first() or SiteSettings()


class NoAddress(Exception):
    """No address to mail it to: Site settings name none."""


def recipient(message: ContactMessage) -> str:
    """Where it goes: the author's own contact address for a message to them (if the author
    has one), else the newsroom's (Site settings)."""
    if message.author_id is not None:
        address = getattr(message.author, "contact_email", "")
        if address:
            return address
    address = _site().contact_email
    if not address:
        raise NoAddress("No contact address is set in Site settings.")
    return address


def email_for(message: ContactMessage) -> EmailMessage:
    site = _site()
    about = message.subject or Truncator(" ".join(message.message.split())).chars(60)
    desk = settings.DESK_URL + reverse("admin:contact_contactmessage_change", args=[message.pk])
    lines = [
        f"{message.get_kind_display()} from the contact form of {site.site_name}.",
        "",
        f"From: {message.name or '(no name given)'}"
        + (f" <{message.email}>" if message.email else " (no address: anonymous)"),
    ]
    if message.story_id is not None:
        story = message.story
        lines.append(f"Story: {story.headline}")
        lines.append(f"        {settings.SITE_URL}{story.get_absolute_url()}")
    if message.author_id is not None:
        lines.append(f"To the author: {message.author.name}")
    if message.subject:
        lines.append(f"Subject: {message.subject}")
    lines += ["", message.message, "", f"In the desk: {desk}"]
    return EmailMessage(
        subject=Truncator(f"[{site.site_name}] {message.get_kind_display()}: {about}").chars(180),
        body="\n".join(lines),
        to=[recipient(message)],
        reply_to=[message.email] if message.email else None,
    )
