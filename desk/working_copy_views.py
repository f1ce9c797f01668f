"""The story form's desk: autosave, restore or discard a working copy, and presence.

Mounted under the story admin (ArticleAdmin.get_urls). Autosave and presence answer JSON for
the form's script (desk/static/desk/story_form.js); restore re-renders the admin's
own change form bound to the working copy, and saves nothing.
"""

from copy import copy as shallow_copy

from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpResponseNotAllowed, JsonResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.datastructures import MultiValueDict

from articles import roles, services
from articles.models import Article, Status

from . import working_copies
from .working_copy_diff import as_query_dict, form_changes, formset_change

AUTOSAVE_SECONDS = 15
HEARTBEAT_SECONDS = 20


def _hhmm(moment) -> str:
    return timezone.localtime(moment).strftime("%H:%M")


def _when(moment) -> str:
    """The time today ("14:05"), else the day too ("4 Dec 14:05"): copies can wait for days."""
    local = timezone.localtime(moment)
    if local.date() == timezone.localdate():
        return _hhmm(moment)
    return f"{local.day} {local:%b %H:%M}"


def _number(value) -> int | None:
    return int(value) if value and str(value).isdigit() else None


def _form_url(article: Article | None) -> str:
    if article is None:
        return reverse("admin:articles_article_add")
    return reverse("admin:articles_article_change", args=[article.pk])


class DeskViews:
    """Views for the open story form; each checks on the server that the user may edit."""

    def __init__(self, model_admin):
        self.model_admin = model_admin

    def urls(self) -> list:
        view = self.model_admin.admin_site.admin_view
        name = "articles_article_{}".format
        return [
            path("autosave/", view(self.autosave), name=name("autosave_new")),
            path("working-copy/restore/", view(self.restore), name=name("restore_new")),
            path("working-copy/discard/", view(self.discard), name=name("discard_new")),
            path("<int:pk>/autosave/", view(self.autosave), name=name("autosave")),
            path("<int:pk>/working-copy/restore/", view(self.restore), name=name("restore")),
            path("<int:pk>/working-copy/discard/", view(self.discard), name=name("discard")),
            path("<int:pk>/presence/", view(self.presence), name=name("presence")),
        ]

    def _story(self, request, pk: int) -> Article | None:
        """The story if this user may open it in the admin (without the list's prefetches)."""
        return self.model_admin.get_queryset(request).prefetch_related(None).filter(pk=pk).first()

    def _editable(self, request, pk: int | None) -> Article | None:
        """The story (None for a new one) if this user may edit it; else 404 or 403."""
        if pk is None:
            if not roles.can_create(request.user):
                raise PermissionDenied("You may not write stories.")
            return None
        article = self._story(request, pk)
        if article is None:
            raise Http404("No such story.")
        if not roles.can_edit(request.user, article):
            raise PermissionDenied("You may not edit this story.")
        return article

    def autosave(self, request, pk: int | None = None):
        """Keep what the form holds as the user's working copy: one upsert, nothing else."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        try:
            article = self._editable(request, pk)
        except Http404 as error:
            return JsonResponse({"error": str(error)}, status=404)
        except PermissionDenied as error:
            return JsonResponse({"error": str(error)}, status=403)
        try:
            base_version = int(request.POST.get("started_from_version", ""))
        except ValueError:
            base_version = None
        copy = services.save_working_copy(
            user=request.user,
            article=article,
            data=working_copies.form_data(request.POST),
            base_version=base_version,
            tab=working_copies.tab_of(request.POST),
        )
        return JsonResponse({"saved_at": copy.saved_at.isoformat()})

    def discard(self, request, pk: int | None = None):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        article = self._editable(request, pk)
        copy = _number(request.POST.get("copy"))
        if services.discard_working_copy(user=request.user, article=article, pk=copy):
            messages.success(request, "Your unsaved changes were discarded.")
        return redirect(_form_url(article))

    def restore(self, request, pk: int | None = None):
        """The change (or add) form filled in from the working copy, for review; the admin
        sees a POST that cannot pass validation, so it re-renders and saves nothing."""
        article = self._editable(request, pk)
        copy = working_copies.working_copy_for(
            user=request.user, article=article, pk=_number(request.GET.get("copy"))
        )
        if copy is None:
            messages.info(request, "There are no unsaved changes to restore.")
            return redirect(_form_url(article))
        # This tab carries on from the copy: its autosaves and its save are the copy's.
        working_copies.adopt_working_copy(copy=copy, tab=working_copies.tab_of(request.GET))
        restoring = shallow_copy(request)
        restoring.method = "POST"
        restoring.POST = as_query_dict(copy.data)
        restoring._files = MultiValueDict()  # FILES has no setter; this is what it reads
        restoring.desk_restoring = copy
        object_id = None if article is None else str(article.pk)
        # The admin's own save path runs in a transaction (the form locks the row to check
        # for conflicts); this one ends without a write.
        with transaction.atomic():
            response = self.model_admin._changeform_view(
                restoring, object_id, _form_url(article), {}
            )
        if isinstance(response, TemplateResponse) and response.context_data:
            errors = response.context_data.get("errors") or []
            form = response.context_data["adminform"].form
            only_notice = len(errors) == 1 and len(form.errors.get(NON_FIELD_ERRORS, [])) == 1
            response.context_data["desk_restored_only"] = only_notice
        return response

    def presence(self, request, pk: int):
        """Heartbeat (or, with action=leave, goodbye) from an open form; answers who else
        has the story open."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        article = self._story(request, pk)
        if article is None:
            return JsonResponse({"error": "No such story."}, status=404)
        tab = working_copies.tab_of(request.POST)
        if request.POST.get("action") == "leave":
            working_copies.leave(user=request.user, article=article, tab=tab)
        else:
            working_copies.heartbeat(user=request.user, article=article, tab=tab)
        others = working_copies.others_editing(user=request.user, article=article, tab=tab)
        return JsonResponse({"others": [editing.as_json() for editing in others]})


def restoring_form(request, form_class):
    """While restoring, the admin's form class with a notice that keeps it from saving."""
    copy = getattr(request, "desk_restoring", None)
    if copy is None:
        return form_class
    notice = f"Restored your unsaved changes from {_hhmm(copy.saved_at)}: review them, then save."

    class RestoredForm(form_class):
        def clean(self):
            self.add_error(None, ValidationError(notice, code="restored"))
            return super().clean()

    return RestoredForm


def change_form_context(request, context: dict, article: Article | None) -> dict:
    """What the story form's template needs for autosave, the recovery offer and presence."""
    user = request.user
    may_edit = roles.can_edit(user, article) if article else roles.can_create(user)
    if not may_edit or context.get("is_popup"):
        return {}
    pk = [article.pk] if article else []
    suffix = "" if article else "_new"
    desk = {
        "autosave_url": reverse(f"admin:articles_article_autosave{suffix}", args=pk),
        "autosave_seconds": AUTOSAVE_SECONDS,
        "heartbeat_seconds": HEARTBEAT_SECONDS,
        "presence_url": reverse("admin:articles_article_presence", args=pk) if article else "",
        "others": working_copies.others_editing(user=user, article=article) if article else [],
    }
    desk["bar"] = sticky_bar(user, article)
    if hasattr(request, "desk_restoring"):
        return {"desk": desk}
    offers = []
    for copy in working_copies.working_copies_for(user=user, article=article):
        changes = _changes(context, copy)
        if changes:
            headline = (copy.data.get("headline") or [""])[0]
            offers.append(
                {"pk": copy.pk, "saved_at": _when(copy.saved_at), "headline": headline,
                 "changes": changes}
            )  # fmt: skip
    if offers:
        desk["offer"] = {
            "copies": offers,
            "restore_url": reverse(f"admin:articles_article_restore{suffix}", args=pk),
            "discard_url": reverse(f"admin:articles_article_discard{suffix}", args=pk),
        }
    return {"desk": desk}


def sticky_bar(user, article: Article | None) -> dict:
    """The bar always in view: the story's state and the one workflow step that comes next
    (a step that needs a comment, a time, a reason or an email choice stays in the workflow
    panel)."""
    story = article or Article(created_by=user, status=Status.DRAFT)
    steps = [
        step for step in services.steps_for(user, story)
        if not (step.needs_words or step.needs_time or step.undo or step.may_email
                or step.merge_page)
    ]  # fmt: skip
    state = article.display_status if article else "New story"
    return {"state": state, "step": steps[0] if steps else None, "new": article is None}


def _changes(context: dict, copy) -> list:
    """The working copy against the form as it stands: the admin's form and inlines, bound."""
    data, files = as_query_dict(copy.data), MultiValueDict()
    unbound = context["adminform"].form
    form = type(unbound)(data=data, files=files, instance=unbound.instance, initial=unbound.initial)
    changes = form_changes(form)
    for inline in context.get("inline_admin_formsets", []):
        saved = inline.formset
        bound = type(saved)(
            data=data, files=files, instance=saved.instance, prefix=saved.prefix,
            queryset=saved.queryset,
        )  # fmt: skip
        change = formset_change(inline.opts.verbose_name_plural, bound)
        if change is not None:
            changes.append(change)
    return changes
