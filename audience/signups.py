"""Newsletter sign-ups made from a story: the sign-up form on a story's page carries the
story's id (a hidden field, the same for every reader, so the page stays cached), and a
sign-up it makes is one SIGNUP event a newsletter chosen (audience/events.py).

The id comes from the reader's browser, so it is only a claim: anything but a live story's id
is ignored. Counting never fails or delays a sign-up: the buffer takes the event or drops it.
"""

import time

from django.conf import settings

from articles.models import Article

from . import buffer
from .events import SIGNUP, Event


def story_id_from(value) -> int | None:
    """The story id a form sent, if it looks like one (digits, in range); None otherwise."""
    value = str(value or "").strip()
    if not value.isascii() or not value.isdigit() or len(value) > 18:
        return None
    return int(value) or None


def record_signups(*, story_id: int | None, newsletters) -> int:
    """Buffer one SIGNUP for each active newsletter in `newsletters`, if `story_id` is a live
    story's; how many were buffered."""
    if not story_id or not getattr(settings, "AUDIENCE_ENABLED", True):
        return 0
    chosen = [newsletter for newsletter in newsletters if newsletter.is_active]
    if not chosen or not Article.objects.live().filter(pk=story_id).exists():
        return 0
    now = time.time()
    return sum(
        buffer.append(
            Event(
                at=now, kind=SIGNUP, target="story", target_id=story_id, newsletter_id=newsletter.pk
            )  # fmt: skip
        )
        for newsletter in chosen
    )
