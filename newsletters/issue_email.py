"""An issue as an email: HTML with its CSS inlined (css-inline) and a plain-text part, with
the headers mail clients and providers expect (From, Reply-To, Message-ID, List-Unsubscribe
and its RFC 8058 one-click partner), absolute links to the stories' canonical addresses and
the pictures' existing renditions, each with its credit.

The web version (the archive) draws the same stories from the same `issue_stories`.
"""

from email.utils import formataddr, make_msgid

import css_inline
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse

from articles.models import Article
from media.templatetags.pictures import renditions_of

from .models import Issue, IssueStory, Subscriber

# Pictures are drawn 600 px wide in the email; this rendition is sharp on a retina screen.
EMAIL_PICTURE_WIDTH = 1200


def absolute(url: str) -> str:
    """An address readers can open from their mail client: SITE_URL before a path."""
    return url if url.startswith(("http://", "https://")) else settings.SITE_URL + url


def issue_stories(issue: Issue) -> list[Article]:
    """The issue's stories in the editor's order, only those live now: a story taken off the
    site after the issue was made is in neither the email nor the archive."""
    order = list(
        IssueStory.objects.filter(issue=issue)
        .order_by("position", "pk")
        .values_list("article_id", flat=True)
    )
    live = Article.objects.live().for_listing().in_bulk(order)
    return [live[pk] for pk in order if pk in live]


def email_picture(image) -> dict | None:
    """An image for an email: one JPEG rendition already built (mail clients know no AVIF
    nor srcset), absolute, with its alt text, caption and credit. None when the picture may
    not be shown (rights ended) or has no file."""
    if image is None or not image.file or not image.is_usable():
        return None
    jpeg = renditions_of(image, "lead").get("jpeg") or []
    chosen = next((r for r in jpeg if r.width >= EMAIL_PICTURE_WIDTH), jpeg[-1] if jpeg else None)
    src, width, height = (
        (chosen.url, chosen.width, chosen.height)
        if chosen
        else (image.file.url, image.width, image.height)  # the clean master, never a new crop
    )
    shown_height = round(600 * height / width) if width and height else None
    return {
        "src": absolute(src),
        "height": shown_height,
        "alt": image.alt_text,
        "caption": image.caption,
        "credit": image.credit,
    }


def email_context(issue: Issue, subscriber: Subscriber | None, *, test: bool = False) -> dict:
    """What both parts of the email show: stories with absolute links and pictures, the
    web version, and the subscriber's own preference and unsubscribe links."""
    stories = [
        {
            "article": article,
            "url": absolute(article.get_absolute_url()),
            "picture": email_picture(article.lead_image),
        }
        for article in issue_stories(issue)
    ]
    if test or subscriber is None or subscriber.pk is None:
        # A test has no subscriber to sign links for: its links lead to the list of newsletters.
        unsubscribe = preferences = absolute(reverse("newsletters:index"))
    else:
        from . import links

        unsubscribe = links.unsubscribe_url(subscriber, issue=issue)
        preferences = links.preferences_url(subscriber)
    return {
        "issue": issue,
        "newsletter": issue.newsletter,
        "stories": stories,
        "web_url": absolute(issue.get_absolute_url()),
        "archive_url": absolute(issue.newsletter.get_absolute_url()),
        "unsubscribe_url": unsubscribe,
        "preferences_url": preferences,
        "site_url": settings.SITE_URL,
        "test": test,
    }


def render_html(context: dict) -> str:
    """The HTML part, its stylesheet moved into style attributes for mail clients."""
    html = render_to_string("newsletters/email/issue.html", context)
    return css_inline.inline(html)


def issue_message(
    issue: Issue, subscriber: Subscriber | None, *, test: bool = False, to: str | None = None
) -> EmailMultiAlternatives:
    """One subscriber's copy of an issue, ready for a connection to send. A test copy goes to
    `to` (the editor), marked as a test, with no subscriber's links in it."""
    newsletter = issue.newsletter
    context = email_context(issue, subscriber, test=test)
    sender_domain = newsletter.sender_email.rpartition("@")[2] or "localhost"
    headers = {
        "Message-ID": make_msgid(idstring=f"issue{issue.pk}", domain=sender_domain),
        "List-Unsubscribe": f"<{context['unsubscribe_url']}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        "List-Id": f"{newsletter.name} <{newsletter.slug}.{sender_domain}>",
    }
    message = EmailMultiAlternatives(
        subject=("[Test] " if test else "") + " ".join(issue.subject.split()),
        body=render_to_string("newsletters/email/issue.txt", context),
        from_email=formataddr((newsletter.sender_name, newsletter.sender_email)),
        to=[to or subscriber.email],
        reply_to=[newsletter.reply_to] if newsletter.reply_to else None,
        headers=headers,
    )
    message.attach_alternative(render_html(context), "text/html")
    return message
