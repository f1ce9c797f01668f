"""Per-issue figures for the desk: recipients, sent, failed, bounced, and who unsubscribed
from its link. Counted from the delivery rows; no tracking pixel, no rewritten link."""

from dataclasses import dataclass

from django.db.models import Count, Q

from .models import Delivery, Issue, Subscription


@dataclass(frozen=True)
class IssueFigures:
    recipients: int
    sent: int
    failed: int
    bounced: int
    skipped: int
    waiting: int  # queued or in flight: the send is not over
    unsubscribed_after: int


def issue_figures(issue: Issue) -> IssueFigures:
    """The figures of one issue, in two queries."""
    state = Delivery.State
    counts = Delivery.objects.filter(issue=issue).aggregate(
        recipients=Count("pk"),
        sent=Count("pk", filter=Q(state=state.SENT)),
        failed=Count("pk", filter=Q(state=state.FAILED)),
        bounced=Count("pk", filter=Q(state=state.BOUNCED)),
        skipped=Count("pk", filter=Q(state=state.SKIPPED)),
        waiting=Count("pk", filter=Q(state=state.QUEUED)),
    )
    unsubscribed = Subscription.objects.filter(unsubscribed_after=issue).count()
    return IssueFigures(**counts, unsubscribed_after=unsubscribed)
