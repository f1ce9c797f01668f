"""Issues on the publish path and on the desk (docs/newsletters.md, "Issues", "The desk").

`story_published` is called by `articles.services.publish` (visibly, not by a signal): a story
live now becomes an issue of each newsletter it feeds (newsletters.issue_making); a scheduled
one is handed to the worker (`newsletters.tasks.story_went_live`) to be looked at again at its
publish time. The desk's steps on an issue (send, schedule, a test copy) check the editor's
permission and hand the work to the worker.
"""

import logging
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from articles.models import Article

from . import sending, tasks
from .issue_making import create_issue, issues_for  # noqa: F401 (create_issue: for callers of old)
from .models import Issue

logger = logging.getLogger(__name__)


def story_published(article: Article) -> list[Issue]:
    """The publish service's hook: a story that is live now becomes an issue of each
    newsletter it feeds; a scheduled one is looked at again at its time by the worker.

    Never breaks publishing: it works in a savepoint and a failure is logged, not raised."""
    try:
        with transaction.atomic():
            if article.is_scheduled:
                _look_again_at(article)
                return []
            return issues_for(article)
    except Exception:
        logger.exception("Could not make newsletter issues for story #%s", article.pk)
        return []


def _look_again_at(article: Article) -> None:
    """Enqueue the worker's look at a scheduled story, at its publish time."""
    tasks.story_went_live.using(run_after=article.publish_at).enqueue(article.pk)


# --- The desk's steps on an issue -----------------------------------------------------------------

EDITABLE = (Issue.State.DRAFT, Issue.State.SCHEDULED)


def can_manage(user) -> bool:
    """Editors and publishers manage newsletters and their issues; contributors do not."""
    return user.has_perm("newsletters.change_issue")


def _check(user, issue: Issue, *, editable: bool = True) -> None:
    if not can_manage(user):
        raise PermissionDenied("You may not manage newsletter issues.")
    if editable and issue.state not in EDITABLE:
        raise ValidationError(f"This issue is {issue.get_state_display().lower()} already.")


def send_now(issue: Issue, *, user) -> int:
    """Send an issue to its newsletter's subscribers (through the worker); how many."""
    _check(user, issue)
    return sending.start_send(issue, user=user)


def schedule(issue: Issue, *, user, at: datetime) -> None:
    """Send an issue by itself at `at` (in the future); it can be moved or cancelled: the
    worker starts it then only if it is still scheduled for that time."""
    _check(user, issue)
    if at <= timezone.now():
        raise ValidationError("Give a time in the future, or send the issue now.")
    with transaction.atomic():
        Issue.objects.filter(pk=issue.pk, state__in=EDITABLE).update(
            state=Issue.State.SCHEDULED, send_at=at
        )
        tasks.send_scheduled_issue.using(run_after=at).enqueue(issue.pk)


def unschedule(issue: Issue, *, user) -> None:
    """Take a scheduled issue back to a draft: its task then finds nothing to send."""
    _check(user, issue)
    Issue.objects.filter(pk=issue.pk, state=Issue.State.SCHEDULED).update(
        state=Issue.State.DRAFT, send_at=None
    )


def send_test_copy(issue: Issue, *, user) -> str:
    """A test copy to the editor's own address, mailed by the worker once this transaction
    commits; the address."""
    _check(user, issue, editable=False)
    if not user.email:
        raise ValidationError("Add an email address to your account to receive test copies.")
    transaction.on_commit(lambda: tasks.mail_test_copy.enqueue(issue.pk, user.email))
    return user.email
