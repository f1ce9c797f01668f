"""The editorial desk: stories, authors, with the workflow, revisions and previews."""

from django.contrib import admin, messages
from django.contrib.admin.options import IS_POPUP_VAR
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from reversion_compare.admin import CompareVersionAdmin

from desk import history

from . import admin_views, desk_views, editor_views, roles, services, story_list
from .admin_history import ReadableHistory
from .changes import Relations
from .forms import ArticleAdminForm
from .models import (
    Article,
    Author,
    Byline,
    Correction,
    FrontPageSlot,
    RelatedArticle,
    Status,
    TaggedArticle,
)


class BylineInline(admin.TabularInline):
    model = Byline
    extra = 0
    autocomplete_fields = ["author"]
    fields = ["author", "role", "order"]


class TagInline(admin.TabularInline):
    model = TaggedArticle
    extra = 0
    autocomplete_fields = ["tag"]
    verbose_name = "tag"
    verbose_name_plural = "tags"


class RelatedArticleInline(admin.TabularInline):
    model = RelatedArticle
    fk_name = "article"
    extra = 0
    autocomplete_fields = ["related"]
    fields = ["related", "order"]


class CorrectionInline(admin.StackedInline):
    model = Correction
    extra = 0
    fields = ["kind", "published_at", "text"]


class StatusFilter(admin.SimpleListFilter):
    """Status as editors think of it, with scheduled stories apart from live ones."""

    title = "status"
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [
            ("scheduled", "Scheduled"),
            ("live", "Live"),
            *[(value, label) for value, label in Status.choices if value != Status.PUBLISHED],
        ]

    def queryset(self, request, queryset):
        value = self.value()
        if value == "scheduled":
            return queryset.scheduled()
        if value == "live":
            return queryset.live()
        if value in Status.values:
            return queryset.filter(status=value)
        return queryset


def _person_name(user) -> str:
    return (user.get_full_name() or user.get_username()) if user else "—"


@admin.register(Article)
class ArticleAdmin(ReadableHistory, CompareVersionAdmin):
    form = ArticleAdminForm
    change_form_template = "admin/articles/article/change_form.html"
    change_list_template = "admin/articles/article/change_list.html"
    list_display = [
        "headline", "status_label", "section", "byline", "modified_at", "publish_at",
    ]  # fmt: skip
    list_filter = [
        story_list.MineFilter, StatusFilter, "section", "series", story_list.AuthorFilter,
        "article_type",
    ]  # fmt: skip
    list_select_related = ["section__parent"]
    # The newest change first: a returned draft has no publish time and must not sort last.
    ordering = ["-modified_at", "-pk"]
    # The story list searches headline, dek, body and authors (get_search_results); these
    # are what the autocomplete boxes (related stories, front page) match as you type.
    search_fields = ["headline", "slug"]
    search_help_text = "Words in the headline, dek or text, or an author's name."
    show_full_result_count = False
    paginator = story_list.DeskPaginator
    list_per_page = 50  # a screenful or two; 100 rows took 0.1 s more to render
    autocomplete_fields = ["lead_image", "social_image", "section", "series"]
    inlines = [BylineInline, TagInline, RelatedArticleInline, CorrectionInline]
    readonly_fields = [
        "status_label", "first_published_at", "created_by_name", "last_edited_by_name",
        "modified_at", "lead_image_preview", "workflow_history",
    ]  # fmt: skip
    fieldsets = [
        (None, {"fields": ["kicker", "headline", "dek", "article_type", "section", "series"]}),
        ("Story", {"fields": ["body", "teaser"]}),
        ("Lead image", {"fields": [("lead_image", "lead_image_preview"), "lead_image_caption"]}),
        (
            "Publishing",
            {
                "fields": [
                    "status_label", ("publish_at", "unpublish_at"), "slug", "mark_updated",
                    "updated_at", "first_published_at", ("created_by_name", "last_edited_by_name"),
                    "modified_at", "started_from_version",
                ]
            },
        ),
        (
            "Search and social",
            {"classes": ["collapse"], "fields": ["seo_title", "seo_description", "social_image"]},
        ),
        ("Workflow history", {"classes": ["collapse"], "fields": ["workflow_history"]}),
    ]  # fmt: skip

    # --- What each role sees and may change ---------------------------------------------------

    def get_queryset(self, request):
        stories = (
            super()
            .get_queryset(request)
            .prefetch_related(Prefetch("bylines", Byline.objects.select_related("author")))
        )
        return roles.visible_in_admin(request.user, stories)

    def get_actions(self, request):
        actions = super().get_actions(request)  # none in a popup; "delete" for publishers
        if IS_POPUP_VAR in request.GET:
            return actions
        return {**story_list.actions_for(request.user), **actions}

    def get_search_results(self, request, queryset, search_term):
        match = request.resolver_match
        if match and match.url_name == "autocomplete":
            return super().get_search_results(request, queryset, search_term)
        return story_list.search_stories(queryset, search_term), False

    def get_changelist(self, request, **kwargs):
        return story_list.StoryChangeList

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not roles.can_set_schedule(request.user):
            fields += ["publish_at", "unpublish_at", "updated_at"]
            if obj is not None and obj.first_published_at:
                fields.append("slug")
        return fields

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None:  # Nothing to be updated, or to have a history, before the first save.
            return [
                (name, {**opts, "fields": [f for f in opts["fields"] if f not in (
                    "mark_updated", "workflow_history", "status_label", "first_published_at",
                    ("created_by_name", "last_edited_by_name"), "modified_at",
                )]})
                for name, opts in fieldsets
                if name != "Workflow history"
            ]  # fmt: skip
        return fieldsets

    def view_on_site(self, obj):
        if obj.is_live():
            return obj.get_absolute_url()
        return reverse("admin:articles_article_preview", args=[obj.pk])

    def has_change_permission(self, request, obj=None):
        if obj is None:
            return super().has_change_permission(request)
        return roles.can_edit(request.user, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is None:
            return super().has_delete_permission(request)
        return roles.can_delete(request.user, obj)

    # --- Saving: the whole form, inlines and a workflow step go through the services -----------

    def save_model(self, request, obj, form, change):
        """Nothing here: save_related saves the story and its inlines in one service call."""

    def save_related(self, request, form, formsets, change):
        article, user = form.instance, request.user
        if "_pending" in request.POST and change:
            request.desk_pending = services.save_as_pending_changes(
                article=article, user=user, relations=Relations.from_formsets(formsets)
            )
            for formset in formsets:  # the live story's inlines were not written
                formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
            return

        def save_inlines(saved):
            form.save_m2m()
            for formset in formsets:
                self.save_formset(request, form, formset, change=change)

        save = {"save_related": save_inlines, "mark_updated": form.cleaned_data.get("mark_updated")}
        step = request.POST.get("_step")
        if not step:
            services.save_article(article=article, user=user, **save)
            return
        comment = request.POST.get(f"_comment_{step}", "").strip()
        action = admin_views.ACTIONS_BY_NAME.get(step)
        if action is not None and action.needs_reason and not comment:
            raise admin_views.StepRefused(step, ValidationError("Give a reason."))
        try:
            request.desk_stepped = services.save_and_step(
                article=article,
                user=user,
                step=step,
                comment=comment,
                at=admin_views.parse_local_datetime(request.POST.get("_step_at", "")),
                **save,
            )
        except (PermissionDenied, ValidationError) as error:
            # Out of the admin's transaction: the save is undone with the step.
            raise admin_views.StepRefused(step, error) from error

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except admin_views.StepRefused as refused:
            # Nothing was saved. Show the form again as typed, saying why the step was not
            # taken (ArticleAdminForm.clean reads request.desk_refusal).
            request.desk_refusal = refused.messages
            return super().changeform_view(request, object_id, form_url, extra_context)

    def get_form(self, request, obj=None, change=False, **kwargs):
        # Restoring a working copy re-renders the form and never saves (desk_views).
        form = desk_views.restoring_form(request, super().get_form(request, obj, change, **kwargs))
        form.desk_request = request
        return form

    def response_change(self, request, obj):
        pending = getattr(request, "desk_pending", None)
        if pending is not None:
            self.message_user(
                request,
                "Saved as pending changes: readers still see the live story until a "
                "publisher publishes them.",
                messages.SUCCESS,
            )
            return redirect(reverse("admin:articles_article_change", args=[pending.pk]))
        stepped = getattr(request, "desk_stepped", None)
        if stepped is not None:  # pending changes, once published, are the live story
            self.message_user(
                request,
                f"Saved. “{stepped}” is now {stepped.display_status.lower()}.",
                messages.SUCCESS,
            )
            return redirect(reverse("admin:articles_article_change", args=[stepped.pk]))
        return super().response_change(request, obj)

    def response_add(self, request, obj, post_url_continue=None):
        if getattr(request, "desk_stepped", None) is not None:
            return self.response_change(request, obj)
        return super().response_add(request, obj, post_url_continue)

    def delete_model(self, request, obj):
        services.delete_article(article=obj, user=request.user)

    def delete_queryset(self, request, queryset):
        for article in queryset:
            services.delete_article(article=article, user=request.user)

    # --- Columns and read-only fields ---------------------------------------------------------

    @admin.display(description="status", ordering="status")
    def status_label(self, obj):
        return obj.display_status

    @admin.display(description="authors")
    def byline(self, obj):
        return ", ".join(b.author.name for b in obj.bylines.all())

    # Names as text: the admin would link them to user pages that staff may not open.
    @admin.display(description="created by")
    def created_by_name(self, obj):
        return _person_name(obj.created_by) if obj else "—"

    @admin.display(description="last edited by")
    def last_edited_by_name(self, obj):
        return _person_name(obj.last_edited_by) if obj else "—"

    @admin.display(description="preview")
    def lead_image_preview(self, obj):
        image = obj.lead_image if obj else None
        if not image or not image.file:
            return "—"
        return format_html(
            '<img src="{}" alt="{}" style="max-width:240px;height:auto"><br><small>{}</small>',
            image.file.url,
            image.alt_text,
            image.credit or "No credit yet",
        )

    @admin.display(description="steps")
    def workflow_history(self, obj):
        steps = obj.transitions.select_related("user") if obj and obj.pk else []
        if not steps:
            return "No workflow steps yet."
        # In words, with full names (desk/history.py), as on the story's History page.
        return format_html(
            "<ul>{}</ul>",
            format_html_join(
                "",
                "<li>{} — {}: {}</li>",
                (
                    (
                        timezone.localtime(t.created_at).strftime("%Y-%m-%d %H:%M %Z"),
                        history.full_name(t.user),
                        history.step_in_words(t),
                    )
                    for t in steps
                ),
            ),
        )

    # --- Workflow, previews, share links, calendar --------------------------------------------

    def get_urls(self):
        views, wrap = admin_views.ArticleAdminViews(self), self.admin_site.admin_view
        story_pages = [  # (address under /<pk>/, view, URL name after "articles_article_")
            ("workflow/<str:action>/", views.workflow, "workflow"),
            ("confirm/<str:action>/", views.confirm_step, "confirm_step"),
            ("preview/", views.preview, "preview"),
            ("propose/", views.propose_changes, "propose"),
            ("discard-pending/", views.discard_pending_changes, "discard_pending"),
            ("share/", views.share, "share"),
        ]
        return [
            path("calendar/", wrap(views.calendar), name="articles_calendar"),
            *[
                path(f"<int:pk>/{route}", wrap(view), name=f"articles_article_{name}")
                for route, view, name in story_pages
            ],
            *desk_views.DeskViews(self).urls(),  # autosave, working copies, presence
            *editor_views.urls(self.admin_site),  # the library search for the editor
            *super().get_urls(),
        ]

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            user = request.user
            context["workflow_actions"] = admin_views.available_actions(user, obj)
            context["article"] = obj
            context["preview_url"] = reverse("admin:articles_article_preview", args=[obj.pk])
            context["can_propose_changes"] = roles.can_propose_changes(user, obj)
            context["can_save_pending"] = context["can_propose_changes"] and roles.can_edit(
                user, obj
            )
            context["can_discard_pending"] = obj.pending_for_id and roles.can_edit(user, obj)
        # Autosave, the recovery offer and presence (articles/desk_views.py).
        context.update(desk_views.change_form_context(request, context, obj))
        return super().render_change_form(request, context, add, change, form_url, obj)

    # --- Revisions: restore content, never workflow state ------------------------------------

    def revision_view(self, request, object_id, version_id, extra_context=None):
        return admin_views.ArticleAdminViews(self).restore(request, object_id, version_id)

    def recover_view(self, request, version_id, extra_context=None):
        raise PermissionDenied("Deleted stories cannot be recovered from here.")

    def recoverlist_view(self, request, extra_context=None):
        # The list shows every deleted story's headline to anyone who may add stories.
        raise PermissionDenied("Deleted stories cannot be recovered from here.")


@admin.register(Author)
class AuthorAdmin(admin.ModelAdmin):
    list_display = ["name", "job_title", "user"]
    search_fields = ["name", "slug", "job_title"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["photo"]
    raw_id_fields = ["user"]


@admin.register(FrontPageSlot)
class FrontPageSlotAdmin(admin.ModelAdmin):
    """The home page's lead and secondary stories, in order."""

    list_display = ["position", "article", "is_showing"]
    list_editable = ["article"]
    list_select_related = ["article__section"]
    autocomplete_fields = ["article"]
    ordering = ["position"]

    @admin.display(boolean=True, description="showing")
    def is_showing(self, obj):
        return obj.article.is_live()
