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
from django.utils.html import escape

from articles.models import Article, ArticleType
from audience.redirects import click_url
from media.templatetags.pictures import renditions_of
from newsroom.models import SiteSettings

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


NOTED_TYPES = (ArticleType.OPINION, ArticleType.ANALYSIS)


def _type_notes(articles) -> dict[int, dict]:
    """{story id: its type's note and its disclosure} for the stories whose type has one
    (opinion, analysis, sponsored); the site's settings are read only if one does."""
    noted = [a for a in articles if a.is_sponsored or a.article_type in NOTED_TYPES]
    if not noted:
        return {}
    site = SiteSettings.get_solo()
    return {
        article.pk: {
            "type_note": site.type_note(article.article_type),
            "disclosure": site.disclosure(article.sponsor_name) if article.is_sponsored else "",
        }
        for article in noted
    }


# Every copy of an issue is the same but for the reader's own links: the parts are rendered
# once per issue with these markers, and each copy fills them in (a 50,000-reader send
# renders and inlines the HTML once, not 50,000 times).
UNSUBSCRIBE_MARK = "NEWSLETTER-UNSUBSCRIBE-URL"
PREFERENCES_MARK = "NEWSLETTER-PREFERENCES-URL"


def email_context(issue: Issue, *, test: bool = False) -> dict:
    """What both parts of the email show: stories with absolute links and pictures, the web
    version, and markers where the reader's own preference and unsubscribe links go. A
    story says what the site says of its type: an opinion's note, a sponsor's disclosure.

    A sent issue links each story through its signed redirect, so clicks are counted on our
    own site (audience/redirects.py); a test copy links the story itself: an editor's
    checking clicks are not readers' clicks."""
    articles = issue_stories(issue)
    notes = _type_notes(articles)
    stories = [
        {
            "article": article,
            "url": absolute(article.get_absolute_url())
            if test
            else click_url(issue_id=issue.pk, story_id=article.pk),
            "picture": email_picture(article.lead_image),
            **notes.get(article.pk, {"type_note": "", "disclosure": ""}),
        }
        for article in articles
    ]
    return {
        "issue": issue,
        "newsletter": issue.newsletter,
        "stories": stories,
        "web_url": absolute(issue.get_absolute_url()),
        "archive_url": absolute(issue.newsletter.get_absolute_url()),
        "unsubscribe_url": UNSUBSCRIBE_MARK,
        "preferences_url": PREFERENCES_MARK,
        "site_url": settings.SITE_URL,
        "test": test,
    }


def render_parts(issue: Issue, *, test: bool = False) -> tuple[str, str]:
    """The plain-text and HTML parts (CSS inlined for mail clients), with the link markers.
    Kept on the issue object: the worker renders an issue once for its whole send."""
    rendered = issue.__dict__.setdefault("_email_parts", {})
    if test not in rendered:
        context = email_context(issue, test=test)
        text = render_to_string("newsletters/email/issue.txt", context)
        html = css_inline.inline(render_to_string("newsletters/email/issue.html", context))
        rendered[test] = (text, html)
    return rendered[test]


def reader_links(issue: Issue, subscriber: Subscriber | None, *, test: bool) -> dict:
    """The reader's signed unsubscribe and preference links; a test copy, which has no
    reader to sign for, links to the list of newsletters instead."""
    if test or subscriber is None or subscriber.pk is None:
        page = absolute(reverse("newsletters:list"))
        return {UNSUBSCRIBE_MARK: page, PREFERENCES_MARK: page}
    from . import links

    return {
        UNSUBSCRIBE_MARK: links.unsubscribe_url(subscriber, issue=issue),
        PREFERENCES_MARK: links.preferences_url(subscriber),
    }


def _fill(part: str, values: dict, *, html: bool) -> str:
    for mark, value in values.items():
        part = part.replace(mark, escape(value) if html else value)
    return part


def _one_line(text: str) -> str:
    return " ".join(text.split())


def issue_message(
    issue: Issue, subscriber: Subscriber | None, *, test: bool = False, to: str | None = None
) -> EmailMultiAlternatives:
    """One subscriber's copy of an issue, ready for a connection to send. A test copy goes to
    `to` (the editor), marked as a test, with no subscriber's links in it."""
    newsletter = issue.newsletter
    text, html = render_parts(issue, test=test)
    values = reader_links(issue, subscriber, test=test)
    sender_domain = newsletter.sender_email.rpartition("@")[2] or "localhost"
    list_name = _one_line(newsletter.name).replace("<", "").replace(">", "")
    headers = {
        "Message-ID": make_msgid(idstring=f"issue{issue.pk}", domain=sender_domain),
        "List-Unsubscribe": f"<{values[UNSUBSCRIBE_MARK]}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        "List-Id": f"{list_name} <{newsletter.slug}.{sender_domain}>",
    }
    message = EmailMultiAlternatives(
        subject=("[Test] " if test else "") + _one_line(issue.subject),
        body=_fill(text, values, html=False),
        from_email=formataddr((_one_line(newsletter.sender_name), newsletter.sender_email)),
        to=[to or subscriber.email],
        reply_to=[newsletter.reply_to] if newsletter.reply_to else None,
        headers=headers,
    )
    message.attach_alternative(_fill(html, values, html=True), "text/html")
    return message
