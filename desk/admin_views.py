"""The admin's extra pages for stories: workflow steps, share links, restore."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from reversion.models import Version

from articles import roles, services
from articles.models import Article
from newsletters import publish_effects
from newsroom import richtext

from .history import full_name
from .revisions import what_restoring_changes
from .story_saving import parse_local_datetime


def _step(name: str, article: Article) -> services.Step:
    steps = services.PENDING_STEPS if article.pending_for_id else services.STEPS
    step = steps.get(name)
    if step is None:
        raise Http404("No such workflow step.")
    return step


def publish_mailings(article: Article) -> dict | None:
    """What the publish and schedule buttons say they send, or None when they send nothing:
    {"now": "email 3 subscribers of Diplomacy Watch", "later": "emails 3 subscribers…"}."""
    mailings = publish_effects.mailings_for(article)
    if not mailings:
        return None
    return {
        "now": publish_effects.describe(mailings),
        "later": publish_effects.describe(mailings, scheduled=True),
    }


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
        step = _step(action, article)
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
            messages.success(request, self._done(article, step))
        return redirect(self._change_url(article))

    @staticmethod
    def _done(article: Article, step: services.Step) -> str:
        if step.name == "republish" and article.is_live():
            return (
                f"Published again with its original date, "
                f"{services.original_date(article.publish_at)}: “{article}” is not shown as new."
            )
        if step.name == "republish" and article.is_scheduled:
            return (
                f"“{article}” is scheduled again for its original time, "
                f"{services.original_date(article.publish_at)}."
            )
        return f"“{article}” is now {article.display_status.lower()}."

    def confirm_step(self, request, pk: int, action: str):
        """Unpublish or archive, after a page that says what readers will lose and asks why.

        GET shows the question; POST with a reason takes the step, logged with the reason."""
        article = self._get_article(request, pk)
        if article.pending_for_id and action == "publish":
            return self.publish_pending_changes(request, article)
        step = _step(action, article)
        if not step.needs_reason:
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

    def publish_pending_changes(self, request, changes: Article):
        """Pending changes, merged into the live story as it is now: what they change, what
        the live story keeps, and, where both changed a field, the publisher's choice.

        GET shows it; POST with a choice for each such field publishes."""
        step = services.PENDING_STEPS["publish"]
        if not step.allowed(request.user, changes):
            return self._refused(request, changes, step, "Your role may not take this step now.")
        error = ""
        if request.method == "POST":
            choices = {
                key.removeprefix("choice_"): value
                for key, value in request.POST.items()
                if key.startswith("choice_")
            }
            seen = request.POST.get("live_version", "")
            try:
                live = services.publish_pending_changes(
                    changes=changes, user=request.user, choices=choices,
                    live_version=int(seen) if seen.isdigit() else None,
                )  # fmt: skip
            except PermissionDenied as refusal:
                return self._refused(request, changes, step, str(refusal))
            except ValidationError as refusal:
                error = " ".join(refusal.messages)
            else:
                messages.success(request, f"Published the pending changes to “{live}”.")
                return redirect(self._change_url(live))
        merge = services.pending_merge(changes=changes)
        live = merge.live
        context = {
            **self.model_admin.admin_site.each_context(request),
            "title": f"Publish the changes to “{live}”?",
            "opts": Article._meta,
            "article": changes,
            "step": step,
            "merge": merge,
            "from_changes": merge.taken("pending"),
            "from_live": merge.taken("live"),
            "corrections": live.corrections.all(),
            "error": error,
        }
        return TemplateResponse(
            request, "admin/articles/article/confirm_step.html", context,
            status=400 if error else 200,
        )  # fmt: skip

    def _refused(self, request, article: Article, step: services.Step, reason: str):
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
