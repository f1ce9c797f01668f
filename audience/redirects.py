"""Newsletter clicks, counted on our own site: every story link in a sent issue is a signed
redirect, `/n/<token>/`, whose token names the issue and the story (never an address).

The redirect's target is read from the database, the story's own URL, and only while the story
is live: a forged or altered token is a 404, so the redirect can never send a reader elsewhere,
and a story taken down since the issue went out sends the reader to the home page without
naming it. A click is one CLICK event in the buffer (audience.buffer); the story is then opened
with `?utm_source=newsletter`, so the beacon's view of it is classed as from a newsletter.

No cookie, no pixel: opens are not counted (docs/audience.md says why).
"""

import time

from django.conf import settings
from django.core import signing
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from articles.models import Article

from . import buffer
from .events import CLICK, Event

SALT = "audience.newsletter-click"
NEWSLETTER_QUERY = "utm_source=newsletter"


def click_token(*, issue_id: int, story_id: int) -> str:
    """The signed token of one story's link in one issue (short: two numbers and a MAC).

    No timestamp: a story's link is the same in every copy of an issue, whenever it is made."""
    return signing.Signer(salt=SALT).sign_object([int(issue_id), int(story_id)])


def click_url(*, issue_id: int, story_id: int) -> str:
    """The absolute address an issue's email links a story through."""
    token = click_token(issue_id=issue_id, story_id=story_id)
    return settings.SITE_URL + reverse("newsletter-click", kwargs={"token": token})


def read_click_token(token: str) -> tuple[int, int]:
    """(issue id, story id) of a token `click_token` made; Http404 for anything else."""
    try:
        issue_id, story_id = signing.Signer(salt=SALT).unsign_object(token)
        if not (type(issue_id) is int and type(story_id) is int):
            raise ValueError
    except (signing.BadSignature, ValueError, TypeError):
        raise Http404("Not a newsletter link") from None
    return issue_id, story_id


# Never cached anywhere (our page cache, a CDN, the browser): every click must reach us to be
# counted. HEAD is answered but not counted: link scanners in mail services send it.
@never_cache
@require_safe
def newsletter_click(request, token: str):
    """Count one click through an issue's link and send the reader on to the story."""
    issue_id, story_id = read_click_token(token)
    story = Article.objects.live().select_related("section").filter(pk=story_id).first()
    if story is None:
        return HttpResponseRedirect(reverse("articles:home"))
    if request.method == "GET" and getattr(settings, "AUDIENCE_ENABLED", True):
        buffer.append(
            Event(at=time.time(), kind=CLICK, target="story", target_id=story.pk, issue_id=issue_id)
        )
    return HttpResponseRedirect(f"{story.get_absolute_url()}?{NEWSLETTER_QUERY}")
