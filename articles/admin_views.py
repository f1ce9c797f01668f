"""The admin's extra pages for stories: workflow steps, preview, share links, calendar, restore."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from reversion.models import Version

from desk.history import full_name
from desk.revisions import what_restoring_changes
from newsroom import richtext

from . import roles, services
from .models import Article
from .views import render_article


@dataclass(frozen=True)
class Action:
    name: str
    label: str
    allowed: object  # roles.can_* function
    needs_comment: bool = False
    needs_time: bool = False
    # Takes a story off the site or out of the way: a confirmation page asks for the reason.
    needs_reason: bool = False
    # Undoes an unpublish or archive on its own, without saving the form.
    undo: bool = False


ACTIONS = [
    Action("submit", "Submit for edit", roles.can_submit),
    Action("approve", "Approve", roles.can_approve),
    Action("return", "Return to writer", roles.can_return, needs_comment=True),
    Action("publish", "Publish now", roles.can_publish),
    Action("schedule", "Schedule", roles.can_publish, needs_time=True),
    Action("unpublish", "Unpublish", roles.can_unpublish, needs_reason=True),
    Action("archive", "Archive", roles.can_archive, needs_reason=True),
    Action("restore", "Restore from archive", roles.can_restore_from_archive, undo=True),
    Action("republish", "Publish again", roles.can_publish_again, undo=True),
]
ACTIONS_BY_NAME = {action.name: action for action in ACTIONS}


PENDING_ACTIONS = [
    *[a for a in ACTIONS if a.name in ("submit", "approve", "return")],
    Action("publish", "Publish changes", roles.can_publish_pending),
]


def available_actions(user, article: Article) -> list[Action]:
    """The workflow steps this user may take on this story now (the buttons to show)."""
    actions = PENDING_ACTIONS if article.pending_for_id else ACTIONS
    return [action for action in actions if action.allowed(user, article)]


class StepRefused(Exception):
    """A workflow step taken with a save could not be taken: the save is undone too."""

    def __init__(self, step: str, error: Exception):
        label = ACTIONS_BY_NAME[step].label if step in ACTIONS_BY_NAME else step
        reasons = error.messages if isinstance(error, ValidationError) else [str(error)]
        self.messages = [f"{label}: {reason}" for reason in reasons]
        self.messages.append("Nothing was saved; your changes are still in the form.")
        super().__init__(" ".join(self.messages))


def parse_local_datetime(value: str) -> datetime | None:
    try:
        parsed = parse_datetime(value or "")
    except ValueError:  # well-formed but impossible, e.g. 30 February
        return None
    if parsed is not None and timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed)
    return parsed


def _calendar_start(value: str, today):
    """The first day to show: ?start= if it is a real date with room around it, else today."""
    try:
        start = parse_date(value or "") or today
        start - timedelta(days=28), start + timedelta(days=56)  # noqa: B018 (range check)
    except (ValueError, OverflowError):  # 30 February, year 1 or 9999…
        return today
    return start


class ArticleAdminViews:
    """Views mounted under the story admin; each checks permissions on the server."""

    def __init__(self, model_admin):
        self.model_admin = model_admin

    def _get_article(self, request, pk) -> Article:
        """The story, if this user may see it in the admin at all; else 404."""
        return get_object_or_404(self.model_admin.get_queryset(request), pk=pk)

    def _change_url(self, article: Article) -> str:
        return reverse("admin:articles_article_change", args=[article.pk])

    def workflow(self, request, pk: int, action: str):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        article = self._get_article(request, pk)
        step = ACTIONS_BY_NAME.get(action)
        if step is None:
            raise Http404("No such workflow step.")
        comment = (request.POST.get("comment") or request.POST.get("reason") or "").strip()
        if step.needs_reason and not comment:
            messages.error(request, f"{step.label}: give a reason; nothing was changed.")
            return redirect(self._change_url(article))
        try:
            services.take_step(
                article=article, user=request.user, step=step.name, comment=comment,
                at=parse_local_datetime(request.POST.get("publish_at", "")),
            )  # fmt: skip
        except PermissionDenied as error:
            return self._refused(request, article, step, str(error))
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, f"{step.label}: {message}")
        else:
            article.refresh_from_db()
            messages.success(request, f"“{article}” is now {article.display_status.lower()}.")
        return redirect(self._change_url(article))

    def confirm_step(self, request, pk: int, action: str):
        """Unpublish or archive, after a page that says what readers will lose and asks why.

        GET shows the question; POST with a reason takes the step, logged with the reason."""
        article = self._get_article(request, pk)
        step = ACTIONS_BY_NAME.get(action)
        if step is None or not step.needs_reason:
            raise Http404("No such workflow step.")
        if not step.allowed(request.user, article):
            return self._refused(request, article, step, "Your role may not take this step now.")
        error = ""
        if request.method == "POST":
            reason = request.POST.get("reason", "").strip()
            if reason:
                return self.workflow(request, pk, action)
            error = "Give a reason: it is kept in the story's history."
        context = {
            **self.model_admin.admin_site.each_context(request),
            "title": f"{step.label} “{article}”?",
            "opts": Article._meta,
            "article": article,
            "step": step,
            "was_live": article.is_live(),
            "error": error,
            "reason": request.POST.get("reason", ""),
        }
        return TemplateResponse(
            request, "admin/articles/article/confirm_step.html", context,
            status=400 if error else 200,
        )  # fmt: skip

    def _refused(self, request, article: Article, step: Action, reason: str):
        context = {
            **self.model_admin.admin_site.each_context(request),
            "title": f"{step.label}: not possible",
            "opts": Article._meta,
            "article": article,
            "reason": reason,
        }
        return TemplateResponse(request, "admin/articles/article/refused.html", context, status=403)

    def propose_changes(self, request, pk: int):
        """Start pending changes to a live story, and open them."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        article = self._get_article(request, pk)
        try:
            changes = services.propose_changes(article=article, user=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(self._change_url(article))
        messages.success(
            request,
            "Your pending changes: edit them here, then submit them for edit. Readers keep "
            "the live version until a publisher publishes them.",
        )
        return redirect(self._change_url(changes))

    def discard_pending_changes(self, request, pk: int):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        changes = self._get_article(request, pk)
        try:
            live = services.discard_pending_changes(changes=changes, user=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(self._change_url(changes))
        messages.success(request, "The pending changes were discarded.")
        return redirect(self._change_url(live))

    def preview(self, request, pk: int):
        """Any story as readers will see it, for staff who may see it in the admin."""
        article = self._get_article(request, pk)
        if not self.model_admin.has_view_or_change_permission(request, article):
            raise PermissionDenied
        return render_article(request, article, preview=True)

    def share(self, request, pk: int):
        """Make (POST action=create) or revoke (action=revoke) share links for reviewers."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        article = self._get_article(request, pk)
        if not roles.can_edit(request.user, article):
            raise PermissionDenied
        if request.POST.get("action") == "revoke":
            services.revoke_share_links(article=article, user=request.user)
            messages.success(request, "Every share link for this story has stopped working.")
        else:
            url = request.build_absolute_uri(
                reverse("articles:shared-preview", args=[services.share_token(article)])
            )
            days = settings.PREVIEW_LINK_MAX_AGE // 86400
            messages.success(
                request,
                f"Share link (works for {days} days, not indexed by search engines): {url}",
            )
        return redirect(self._change_url(article))

    def calendar(self, request):
        """What is scheduled, day by day, for the four weeks from ?start= (default today)."""
        if not self.model_admin.has_view_permission(request):
            raise PermissionDenied
        today = timezone.localdate()
        start = _calendar_start(request.GET.get("start", ""), today)
        window_start = timezone.make_aware(datetime.combine(start, datetime.min.time()))
        window_end = window_start + timedelta(days=28)
        days = [start + timedelta(days=n) for n in range(28)]
        stories = (
            self.model_admin.get_queryset(request)
            .scheduled()
            .filter(publish_at__gte=window_start, publish_at__lt=window_end)
            .select_related("section", "series")
            .order_by("publish_at")
        )
        by_day = {day: [] for day in days}
        for story in stories:
            by_day[timezone.localtime(story.publish_at).date()].append(story)
        context = {
            **self.model_admin.admin_site.each_context(request),
            "title": "Editorial calendar",
            "opts": Article._meta,
            "days": list(by_day.items()),
            "today": today,
            "previous": start - timedelta(days=28),
            "next": start + timedelta(days=28),
        }
        return TemplateResponse(request, "admin/articles/article/calendar.html", context)

    def restore(self, request, object_id: str, version_id: str):
        """Confirm, then restore a revision's content (never its workflow state)."""
        article = self._get_article(request, object_id)
        version = get_object_or_404(Version.objects.get_for_object(article), pk=version_id)
        if not roles.can_edit(request.user, article):
            raise PermissionDenied
        if request.method == "POST":
            try:
                services.restore_revision(article=article, version=version, user=request.user)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(
                    request,
                    "The earlier version is restored and saved as the newest; the version it "
                    "replaced stays in the history.",
                )
            return redirect(self._change_url(article))
        old = version._object_version.object
        context = {
            **self.model_admin.admin_site.each_context(request),
            "title": f"Restore an earlier version of “{article}”",
            "opts": Article._meta,
            "article": article,
            "version": version,
            "old": old,
            "saved_by": full_name(version.revision.user),
            "changes": what_restoring_changes(version),
            # Stored by an earlier allow-list, or an import: sanitised again, not trusted.
            "old_body": richtext.sanitize(old.body),
        }
        return TemplateResponse(request, "admin/articles/article/restore.html", context)
