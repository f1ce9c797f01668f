"""STAND-IN for the pages engineer's services (issue 22): only the functions the WordPress
importer and the demo loader call, with the signatures of the real ones (and their refusal
to publish a page without a body). At merge, the real module (workflow steps, revisions,
permission checks) replaces this file whole."""

from django.db import transaction
from django.utils import timezone

from articles.models import Status
from articles.services import SYSTEM, WorkflowError
from caching import invalidation
from caching.keys import keys_of
from newsroom import richtext

from .models import Page


def _person(user):
    return None if user is SYSTEM else user


def save_page(*, page: Page, user, comment: str = "") -> Page:
    """Save the page as it is; a page readers may have seen is dropped from the caches."""
    with transaction.atomic(), invalidation.announced_by_service():
        if page.pk is None:
            page.created_by = _person(user)
        else:
            page.version += 1
        page.last_edited_by = _person(user)
        page.save()
        invalidation.announce(invalidation.HARD, keys=keys_of(page))
    return page


def publish_page(*, page: Page, user, at=None) -> Page:
    """Publish the page now, or at `at` (scheduled when in the future)."""
    if not richtext.plain_text(page.body):
        raise WorkflowError(["It needs a body."])
    page.status = Status.PUBLISHED
    page.publish_at = at or timezone.now()
    page.first_published_at = page.first_published_at or page.publish_at
    return save_page(page=page, user=user, comment="Published")
