"""The desk's pages for the newsroom's own pages (About, Masthead, policies): the list, the
form with the stories' editor and workflow buttons, History, compare and restore.

Every write goes through pages.services, which checks who may do what; the form posts one
save and, with a workflow button, the step taken with it: both or neither. A refused save
(someone saved first, a step not allowed, an address taken) shows the form again as typed.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.options import IS_POPUP_VAR
from django.contrib.admin.utils import flatten_fieldsets, unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django_ckeditor_5.widgets import CKEditor5Widget
from reversion.admin import VersionAdmin
from reversion.models import Version
from reversion_compare.admin import CompareVersionAdmin

from articles import roles
from articles.diffs import html_diff, word_diff
from articles.models import Status
from pages import services
from pages.models import Page
from pages.views import render_page

from . import history, page_working_copies, working_copies
from .story_saving import parse_local_datetime
from .time_zone import zone_name

_LOCAL = "%Y-%m-%dT%H:%M"  # what a datetime-local input shows and sends


def _address(page) -> str:
    try:
        return f"/{page.address_path()}/"
    except Page.DoesNotExist:  # the parent it had is gone
        return f"…/{page.slug}/"


# What a compare shows of two versions, in order: (field, label, its value as text or HTML).
_COMPARED = [
    ("title", "Title", lambda p: p.title),
    ("body", "Text", lambda p: p.body),
    ("address", "Address", _address),
    ("status", "Status", lambda p: p.get_status_display()),
    ("seo_title", "Search title", lambda p: p.seo_title),
    ("seo_description", "Search description", lambda p: p.seo_description),
    ("last_reviewed", "Last reviewed", lambda p: str(p.last_reviewed or "")),
]


class PageAdminForm(forms.ModelForm):
    """The page form: the stories' rich-text editor, and the version it started from."""

    # If someone saved in between, the save is refused and the text stays in the form.
    started_from_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Page
        fields = [
            "title", "slug", "parent", "body", "seo_title", "seo_description", "last_reviewed",
            "publish_at", "unpublish_at",
        ]  # fmt: skip
        widgets = {
            "body": CKEditor5Widget(config_name="default"),
            "title": forms.TextInput(attrs={"class": "vTextField"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial["started_from_version"] = self.instance.version
        if "body" in self.fields:
            # CKEditor hides the textarea; the browser must not block the submit on it.
            self.fields["body"].required = False


class PageStatusFilter(admin.SimpleListFilter):
    title = "status"
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [("live", "Live"), *Status.choices]

    def queryset(self, request, queryset):
        if self.value() == "live":
            return queryset.live()
        if self.value() in Status.values:
            return queryset.filter(status=self.value())
        return queryset


def _refusal(step: str, error: Exception) -> list[str]:
    reasons = error.messages if isinstance(error, ValidationError) else [str(error)]
    found = services.STEPS.get(step)
    if found is not None:
        reasons = [f"{found.label}: {reason}" for reason in reasons]
    return [*reasons, "Nothing was saved; your changes are still in the form."]


@admin.register(Page)
class PageAdmin(CompareVersionAdmin):
    form = PageAdminForm
    change_form_template = "admin/pages/page/change_form.html"
    object_history_template = "admin/pages/page/object_history.html"
    change_list_template = "admin/pages/page/change_list.html"
    list_display = ["title", "address", "status_label", "last_reviewed", "modified_at"]
    list_filter = [PageStatusFilter]
    search_fields = ["title", "path"]
    ordering = ["path"]
    fieldsets = [
        (None, {"fields": ["title", "body", "started_from_version"]}),
        ("Address", {"fields": ["parent", "slug"]}),
        ("Schedule", {"fields": ["publish_at", "unpublish_at"]}),
        ("Search and social", {"fields": ["seo_title", "seo_description", "last_reviewed"]}),
    ]
    prepopulated_fields = {"slug": ["title"]}

    # --- What each role sees and may change ---------------------------------------------------

    def get_queryset(self, request):
        return services.visible_in_desk(request.user, super().get_queryset(request))

    def has_change_permission(self, request, obj=None):
        if obj is None:
            return super().has_change_permission(request)
        return roles.can_edit(request.user, obj)

    def has_delete_permission(self, request, obj=None):
        # A page with pages under it is deleted after they are moved (pages.services).
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or not obj.children.exists())

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not roles.can_set_schedule(request.user):
            fields += ["publish_at", "unpublish_at"]
            if obj is not None and obj.first_published_at:
                fields += ["slug", "parent"]
        return fields

    def get_prepopulated_fields(self, request, obj=None):
        if "slug" in self.get_readonly_fields(request, obj):
            return {}
        return super().get_prepopulated_fields(request, obj)

    def get_fieldsets(self, request, obj=None):
        return [
            (name, {**opts, "description": f"Times are {zone_name()}."})
            if name == "Schedule"
            else (name, opts)
            for name, opts in super().get_fieldsets(request, obj)
        ]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if isinstance(db_field, models.DateTimeField):
            # One labelled input per time: the admin's split date and time boxes have none.
            widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format=_LOCAL)
            return db_field.formfield(widget=widget)
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def view_on_site(self, obj):
        if obj.is_live():
            return obj.get_absolute_url()
        return reverse("admin:pages_page_preview", args=[obj.pk])

    @admin.display(description="address", ordering="path")
    def address(self, obj):
        return f"/{obj.path}/"

    @admin.display(description="status", ordering="status")
    def status_label(self, obj):
        return obj.display_status

    # --- Saving: one service call, the step with it --------------------------------------------

    # Not inside reversion's admin revision: the services record each save and each step as a
    # revision of its own, with what was done ("Scheduled for …"), which the admin's one
    # revision around the request would merge and label with its change message.
    def add_view(self, request, form_url="", extra_context=None):
        return super(VersionAdmin, self).add_view(request, form_url, extra_context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        return super(VersionAdmin, self).change_view(request, object_id, form_url, extra_context)

    def _changeform_view(self, request, object_id, form_url, extra_context):
        if request.method != "POST" or IS_POPUP_VAR in request.POST:
            return super()._changeform_view(request, object_id, form_url, extra_context)
        add = object_id is None
        page = None if add else self.get_object(request, unquote(object_id))
        if add and not self.has_add_permission(request):
            raise PermissionDenied
        if not add:
            if page is None:
                return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
            if not self.has_change_permission(request, page):
                raise PermissionDenied
        fieldsets = self.get_fieldsets(request, page)
        form = self._bound(request, page, fieldsets)
        if form.is_valid():
            step = request.POST.get("_step", "")
            try:
                saved = self._save(request, form, step)
            except (PermissionDenied, ValidationError) as error:
                # Undone: the form shows again as typed, made afresh.
                page = None if add else self.get_object(request, unquote(object_id))
                form = self._bound(request, page, fieldsets)
                form.is_valid()
                form.add_error(None, ValidationError(_refusal(step, error), code="refused"))
            else:
                message = self.construct_change_message(request, form, [], add)
                (self.log_addition if add else self.log_change)(request, saved, message)
                said = f"Saved. “{saved}” is now {saved.display_status.lower()}."
                self.message_user(request, said, messages.SUCCESS)
                if "_continue" in request.POST or step or add:
                    return redirect(reverse("admin:pages_page_change", args=[saved.pk]))
                return redirect(reverse("admin:pages_page_changelist"))
        return self._show_again(request, form, page, fieldsets, object_id, form_url)

    @transaction.atomic
    def _save(self, request, form, step: str) -> Page:
        saved = services.save_page(
            page=form.instance,
            user=request.user,
            started_from=form.cleaned_data.get("started_from_version"),
            tab=working_copies.tab_of(request.POST),
        )
        if step:
            saved = services.take_step(
                page=saved,
                user=request.user,
                step=step,
                comment=request.POST.get(f"_comment_{step}", "").strip(),
                at=parse_local_datetime(request.POST.get("_step_at", "")),
            )
        return saved

    def _bound(self, request, page, fieldsets):
        form_class = self.get_form(
            request, page, change=page is not None, fields=flatten_fieldsets(fieldsets)
        )
        return form_class(request.POST, request.FILES, instance=page)

    def _show_again(self, request, form, page, fieldsets, object_id, form_url):
        add = page is None
        admin_form = helpers.AdminForm(
            form, list(fieldsets), self.get_prepopulated_fields(request, page),
            self.get_readonly_fields(request, page), model_admin=self,
        )  # fmt: skip
        context = {
            **self.admin_site.each_context(request),
            "title": ("Add %s" if add else "Change %s") % self.opts.verbose_name,
            "subtitle": str(page) if page else None,
            "adminform": admin_form,
            "object_id": object_id,
            "original": page,
            "is_popup": False,
            "to_field": None,
            "media": self.media + admin_form.media,
            "inline_admin_formsets": [],
            "errors": helpers.AdminErrorList(form, []),
            "preserved_filters": self.get_preserved_filters(request),
        }
        return self.render_change_form(
            request, context, add=add, change=not add, obj=page, form_url=form_url
        )

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            context["workflow_actions"] = services.steps_for(request.user, obj)
            context["page_obj"] = obj
        context.update(page_working_copies.form_context(request, obj))
        context["time_zone_name"] = zone_name()
        return super().render_change_form(request, context, add, change, form_url, obj)

    def delete_model(self, request, obj):
        services.delete_page(page=obj, user=request.user)

    def delete_queryset(self, request, queryset):
        for page in queryset.order_by("-path"):  # children before their parents
            services.delete_page(page=page, user=request.user)

    # --- Preview, history, compare and restore --------------------------------------------------

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("<int:pk>/preview/", wrap(self.preview), name="pages_page_preview"),
            *page_working_copies.urls(self),
            *super().get_urls(),
        ]

    def _page_or_404(self, request, object_id) -> Page:
        # reversion-compare looks the page up without get_queryset() or a permission check.
        page = self.get_object(request, unquote(str(object_id)))
        if page is None or not self.has_view_or_change_permission(request, page):
            raise Http404("No such page.")
        return page

    def preview(self, request, pk):
        """The page as readers will see it, whatever its status: never indexed or cached."""
        response = render_page(request, self._page_or_404(request, pk))
        response["X-Robots-Tag"] = "noindex, nofollow"
        response["Cache-Control"] = "private, no-store"
        return response

    def history_view(self, request, object_id, extra_context=None):
        self._page_or_404(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def compare_view(self, request, object_id, extra_context=None):
        """Two saved versions: the text as rendered with its changes marked, then the other
        fields that changed, in newsroom words."""
        page = self._page_or_404(request, object_id)
        try:
            ids = sorted(int(request.GET[name]) for name in ("version_id1", "version_id2"))
        except (KeyError, ValueError):
            raise Http404("Choose two versions to compare.") from None
        versions = Version.objects.get_for_object(page).select_related("revision__user")
        older, newer = (get_object_or_404(versions, pk=pk) for pk in ids)
        before, after = older._object_version.object, newer._object_version.object
        changes = []
        for name, label, diff in _COMPARED:
            old, new = diff(before), diff(after)
            if old != new:
                html = html_diff(old, new) if name == "body" else word_diff(old, new)
                changes.append({"key": name, "label": label, "html": html})
        return TemplateResponse(request, "admin/pages/page/compare.html", {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": f"Compare versions of “{page.title}”",
            "page_obj": page,
            "older": older,
            "newer": newer,
            "older_by": history.full_name(older.revision.user),
            "newer_by": history.full_name(newer.revision.user),
            "changes": changes,
            "can_restore": roles.can_edit(request.user, page),
        })  # fmt: skip

    def revision_view(self, request, object_id, version_id, extra_context=None):
        """Restore an earlier version's text, title and search fields, as a new version; the
        page's status, times and address stay (pages.services.restore_revision)."""
        page = self._page_or_404(request, object_id)
        version = get_object_or_404(Version.objects.get_for_object(page), pk=version_id)
        if request.method == "POST":
            if not roles.can_edit(request.user, page):
                raise PermissionDenied("You may not edit this page in its current state.")
            try:
                services.restore_revision(page=page, user=request.user, version=version)
            except ValidationError as error:
                self.message_user(request, " ".join(error.messages), messages.ERROR)
            else:
                self.message_user(request, "Restored, as a new version.", messages.SUCCESS)
            return redirect(reverse("admin:pages_page_change", args=[page.pk]))
        old = version._object_version.object
        return TemplateResponse(request, "admin/pages/page/restore.html", {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": f"Restore a version of “{page.title}”",
            "page_obj": page,
            "old": old,
            "version": version,
            "when": timezone.localtime(version.revision.date_created),
            "can_restore": roles.can_edit(request.user, page),
        })  # fmt: skip

    def recover_view(self, request, version_id, extra_context=None):
        raise PermissionDenied("Deleted pages cannot be recovered from here.")

    def recoverlist_view(self, request, extra_context=None):
        raise PermissionDenied("Deleted pages cannot be recovered from here.")
