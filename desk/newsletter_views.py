"""The desk's pages for an issue beyond its form: the previews, a test to oneself, sending
and scheduling. Each step is one call to newsletters.issues, which checks who may take it.

The email preview draws the email's HTML in an `<iframe sandbox srcdoc>`: no script in it can
run, it cannot reach the desk's cookies or navigate the desk, and it lives under the admin's
CSP (inline styles allowed, as inlined email CSS needs; scripts only from our origin)."""

from datetime import datetime

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.views.decorators.http import require_POST

from newsletters import issues
from newsletters.archive_views import render_issue
from newsletters.delivering import recipients
from newsletters.issue_email import issue_message
from newsletters.models import Issue


def _issue(request, pk: int) -> Issue:
    if not issues.can_manage(request.user):
        raise PermissionDenied("You may not manage newsletter issues.")
    return get_object_or_404(Issue.objects.select_related("newsletter"), pk=pk)


def _back(issue: Issue):
    return redirect("admin:newsletters_issue_change", issue.pk)


def preview_web(request, pk: int):
    """The issue's web version as readers will see it in the archive (noindex)."""
    return render_issue(request, _issue(request, pk), preview=True)


def preview_email(request, pk: int):
    """The email as a reader receives it: headers, the HTML part sandboxed, the text part."""
    issue = _issue(request, pk)
    message = issue_message(issue, None, test=True, to=request.user.email or "you@example.org")
    headers = [
        (name, message.extra_headers.get(name) or value)
        for name, value in (
            ("From", message.from_email),
            ("Reply-To", ", ".join(message.reply_to) or "(the sender)"),
            ("Subject", message.subject.removeprefix("[Test] ")),
            ("List-Unsubscribe", None),
            ("List-Unsubscribe-Post", None),
        )
    ]
    response = TemplateResponse(
        request,
        "admin/newsletters/issue/preview_email.html",
        {
            **_context(request, issue, "Email preview"),
            "headers": headers,
            "html": message.alternatives[0][0],
            "text": message.body,
        },
    )
    # The pictures in the email come from the public site's address.
    response._csp_update = {"img-src": [settings.SITE_URL]}
    return response


@require_POST
def test_copy(request, pk: int):
    """A test copy to the logged-in editor's own address, through the worker."""
    issue = _issue(request, pk)
    try:
        address = issues.send_test_copy(issue, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"A test copy is on its way to {address}.")
    return _back(issue)


def send(request, pk: int):
    """Send to every subscriber, after a confirmation page that says how many."""
    issue = _issue(request, pk)
    if request.method == "POST":
        try:
            queued = issues.send_now(issue, user=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, f"Sending to {queued} subscribers.")
        return _back(issue)
    return TemplateResponse(
        request,
        "admin/newsletters/issue/confirm_send.html",
        {
            **_context(request, issue, "Send"),
            "recipients": recipients(issue.newsletter).count(),
        },
    )


@require_POST
def schedule(request, pk: int):
    """Schedule at a local date and time, or (`cancel`) take the schedule back."""
    issue = _issue(request, pk)
    try:
        if "cancel" in request.POST:
            issues.unschedule(issue, user=request.user)
            messages.success(request, "The schedule is cancelled; the issue is a draft again.")
        else:
            at = _local_time(request.POST.get("send_at", ""))
            issues.schedule(issue, user=request.user, at=at)
            messages.success(request, f"Scheduled for {timezone.localtime(at):%Y-%m-%d %H:%M}.")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return _back(issue)


def _local_time(value: str) -> datetime:
    """A datetime-local field's value, in the site's time zone."""
    try:
        parsed = parse_datetime(value.strip())
    except ValueError:
        parsed = None
    if parsed is None:
        raise ValidationError("Give the date and time to send it, e.g. 2026-05-01 07:00.")
    return timezone.make_aware(parsed) if timezone.is_naive(parsed) else parsed


def _context(request, issue: Issue, title: str) -> dict:
    from django.contrib import admin

    return {
        **admin.site.each_context(request),
        "title": f"{title}: {issue}",
        "issue": issue,
        "opts": Issue._meta,
        "change_url": reverse("admin:newsletters_issue_change", args=[issue.pk]),
    }
