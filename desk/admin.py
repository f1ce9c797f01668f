"""The editorial desk: stories, with the workflow, revisions and previews; the authors',
newsletters' and subscribers' pages register from their own modules, imported here."""

from django.contrib import admin
from django.contrib.admin.options import IS_POPUP_VAR
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.views.generic import RedirectView
from reversion_compare.admin import CompareVersionAdmin
from taggit.admin import TagAdmin as TaggitTagAdmin
from taggit.models import Tag

from articles import roles, services
from articles.models import (
    Article,
    Author,
    Byline,
    Correction,
    FrontPageSlot,
    RelatedArticle,
    Status,
    TaggedArticle,
)
from desk.accents import FoldedSearch

from . import (  # noqa: F401 - they register themselves
    admin_views,
    author_admin,
    contact_admin,
    editor_views,
    history,
    menu_admin,
    newsletter_admin,
    page_admin,
    story_list,
    subscriber_admin,
    working_copy_views,
)
from .audience_views import readers_group
from .forms import ArticleAdminForm
from .history_admin import ReadableHistory
from .lead_picture import LeadPictureWidget
from .preview import story_preview
from .story_saving import StorySaving
from .story_sources import SourceInline
from .time_zone import zone_name


class BylineInline(admin.TabularInline):
    model = Byline
    autocomplete_fields = ["author"]
    fields = ["author", "role", "order"]

    def get_extra(self, request, obj=None, **kwargs):
        # A new story starts with a byline row to fill (ArticleAdmin.get_formset_kwargs fills
        # it with the writer's own name); a saved one lists its bylines.
        return 1 if obj is None or obj.pk is None else 0


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
class ArticleAdmin(StorySaving, ReadableHistory, CompareVersionAdmin):
    form = ArticleAdminForm
    change_form_template = "admin/articles/article/change_form.html"
    change_list_template = "admin/articles/article/change_list.html"
    list_display = [
        "headline", "status_label", "section", "byline", "last_saved", "publish_time",
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
    autocomplete_fields = ["social_image", "section", "series"]
    inlines = [BylineInline, TagInline, RelatedArticleInline, CorrectionInline, SourceInline]
    readonly_fields = [
        "status_label", "first_published_at", "created_by_name", "last_edited_by_name",
        "modified_at", "workflow_history",
    ]  # fmt: skip
    # The story editor (change_form.html): the fieldset marked "story-main" is the writing
    # column, the others are the side panel's groups in order (the inlines come after the one
    # marked "panel-inlines-next"); "collapse" groups start closed and open on an error.
    fieldsets = [
        (None, {"classes": ["story-main"],
                "fields": ["kicker", "headline", "dek", "body", "started_from_version"]}),
        ("Section and type", {"classes": ["story-panel", "panel-inlines-next"],
                              "fields": ["section", "series", "article_type", "sponsor_name",
                                         "sponsor_url"]}),
        ("Lead picture", {"classes": ["story-panel"],
                          "fields": ["lead_image", "lead_image_caption"]}),
        ("Schedule", {"classes": ["story-panel"],
                      "fields": ["publish_at", "unpublish_at", "updated_at", "mark_updated",
                                 "slug"]}),
        ("Teaser", {"classes": ["story-panel", "collapse"], "fields": ["teaser"]}),
        ("Search and social", {"classes": ["story-panel", "collapse"],
                               "fields": ["seo_title", "seo_description", "social_image"]}),
        ("About this story", {"classes": ["story-panel", "collapse"],
                              "fields": ["status_label", "first_published_at", "created_by_name",
                                         "last_edited_by_name", "modified_at"]}),
        ("Workflow history", {"classes": ["story-panel", "collapse"],
                              "fields": ["workflow_history"]}),
    ]  # fmt: skip
    # Groups whose times are named with the site's time zone.
    timed_fieldsets = ("Schedule", "About this story")
    # Nothing to be updated, or to have a history, before the first save.
    not_before_first_save = {
        "mark_updated", "workflow_history", "status_label", "first_published_at",
        "created_by_name", "last_edited_by_name", "modified_at",
    }  # fmt: skip

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
        fieldsets = []
        for name, opts in super().get_fieldsets(request, obj):
            fields = opts["fields"]
            if obj is None:
                fields = [f for f in fields if f not in self.not_before_first_save]
            elif not self.has_change_permission(request, obj):  # read only: nothing to tick
                fields = [f for f in fields if f != "mark_updated"]
            if not fields:
                continue
            opts = {**opts, "fields": fields}
            if name in self.timed_fieldsets:
                opts["description"] = f"Times are {zone_name()}."
            fieldsets.append((name, opts))
        return fieldsets

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "lead_image":
            # A picker with thumbnails, captions and credits (desk/lead_picture.py), without
            # the admin's add/change icons around it.
            return db_field.formfield(widget=LeadPictureWidget())
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def get_formset_kwargs(self, request, obj, inline, prefix):
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        # A new story is most often the writer's own: their byline is there already. Only on
        # the empty form: a posted row equal to its initial value would count as unchanged.
        if isinstance(inline, BylineInline) and obj.pk is None and request.method != "POST":
            own = Author.objects.filter(user=request.user).values_list("pk", flat=True).first()
            if own is not None:
                kwargs["initial"] = [{"author": own}]
        return kwargs

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

    # --- Saving: desk.story_saving (one service call); restoring a working copy -------------------

    def get_form(self, request, obj=None, change=False, **kwargs):
        # Restoring a working copy re-renders the form and never saves (desk_views).
        return working_copy_views.restoring_form(
            request, super().get_form(request, obj, change, **kwargs)
        )

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

    # Short times, so every column fits at a laptop's width: "Mon 7 Dec, 14:05".
    @admin.display(description="last saved", ordering="modified_at")
    def last_saved(self, obj):
        return story_list.short_time(obj.modified_at)

    @admin.display(description="publish at", ordering="publish_at")
    def publish_time(self, obj):
        return story_list.short_time(obj.publish_at)

    # Names as text: the admin would link them to user pages that staff may not open.
    @admin.display(description="created by")
    def created_by_name(self, obj):
        return _person_name(obj.created_by) if obj else "—"

    @admin.display(description="last edited by")
    def last_edited_by_name(self, obj):
        return _person_name(obj.last_edited_by) if obj else "—"

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
            ("propose/", views.propose_changes, "propose"),
            ("discard-pending/", views.discard_pending_changes, "discard_pending"),
            ("share/", views.share, "share"),
        ]

        def preview(request, pk=None):
            return story_preview(self, request, pk)

        return [
            # The calendar is the desk's now (desk/calendar_views.py); old links still work.
            path(
                "calendar/",
                RedirectView.as_view(pattern_name="admin:desk_calendar", query_string=True),
                name="articles_calendar",
            ),
            path("preview/", wrap(preview), name="articles_article_preview_new"),
            path("<int:pk>/preview/", wrap(preview), name="articles_article_preview"),
            *[
                path(f"<int:pk>/{route}", wrap(view), name=f"articles_article_{name}")
                for route, view, name in story_pages
            ],
            *working_copy_views.DeskViews(self).urls(),  # autosave, working copies, presence
            *editor_views.urls(self.admin_site),  # the library search for the editor
            *super().get_urls(),
        ]

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            user = request.user
            context["workflow_actions"] = services.steps_for(user, obj)
            context["publish_mailings"] = admin_views.publish_mailings(obj)
            context["article"] = obj
            context["can_propose_changes"] = roles.can_propose_changes(user, obj)
            context["can_save_pending"] = context["can_propose_changes"] and roles.can_edit(
                user, obj
            )
            context["can_discard_pending"] = obj.pending_for_id and roles.can_edit(user, obj)
            context["readers"] = readers_group(user, obj)
        context["preview_url"] = (
            reverse("admin:articles_article_preview", args=[obj.pk])
            if obj
            else reverse("admin:articles_article_preview_new")
        )
        context["is_nav_sidebar_enabled"] = False  # the story editor takes the whole width
        # Autosave, the recovery offer and presence (articles/working_copy_views.py).
        context.update(working_copy_views.change_form_context(request, context, obj))
        return super().render_change_form(request, context, add, change, form_url, obj)

    # --- Revisions: restore content, never workflow state ------------------------------------

    def revision_view(self, request, object_id, version_id, extra_context=None):
        return admin_views.ArticleAdminViews(self).restore(request, object_id, version_id)

    def recover_view(self, request, version_id, extra_context=None):
        raise PermissionDenied("Deleted stories cannot be recovered from here.")

    def recoverlist_view(self, request, extra_context=None):
        # The list shows every deleted story's headline to anyone who may add stories.
        raise PermissionDenied("Deleted stories cannot be recovered from here.")


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


admin.site.unregister(Tag)


@admin.register(Tag)
class TagAdmin(FoldedSearch, TaggitTagAdmin):
    """taggit's tag admin, without its list of generic "tagged items" (content type and
    object id): stories link to tags through their own table, edited on the story."""

    inlines = []
    search_fields = ["name__unaccent"]
