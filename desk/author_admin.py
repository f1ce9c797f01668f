"""Authors on the desk. Editors and publishers edit any profile directly; a contributor
opens their own ("My profile") and their changes wait for an editor's approval
(articles.services.authors), while readers keep the approved profile. Someone else's
profile is read-only to a contributor, and its private contact address is not shown."""

from django.contrib import admin, messages
from django.shortcuts import redirect

from articles import roles, services
from articles.models import Author
from desk.accents import FoldedSearch

from .history import full_name

_PROFILE = (None, {"fields": ["name", "slug", "job_title", "bio", "photo"]})
_KNOWS = ("What they know", {"fields": ["expertise", "languages"]})
_CONTACT = ("Contact and profiles", {"fields": [
    "email", "contact_email", "x_url", "bluesky_url", "mastodon_url", "linkedin_url", "website",
]})  # fmt: skip
_ACCOUNT = ("Desk account", {"fields": ["user"]})


def _without(fieldsets, *names):
    return [(title, {**opts, "fields": [f for f in opts["fields"] if f not in names]})
            for title, opts in fieldsets]  # fmt: skip


@admin.register(Author)
class AuthorAdmin(FoldedSearch, admin.ModelAdmin):
    change_form_template = "admin/articles/author/change_form.html"
    list_display = ["name", "job_title", "account"]
    list_select_related = ["user"]
    search_fields = ["name__unaccent", "slug", "job_title__unaccent"]
    autocomplete_fields = ["photo"]
    raw_id_fields = ["user"]
    fieldsets = [_PROFILE, _KNOWS, _CONTACT, _ACCOUNT]

    @admin.display(description="desk account", ordering="user__last_name")
    def account(self, obj):
        return full_name(obj.user) if obj.user_id else "—"

    # --- Who sees and changes what ---------------------------------------------------------------

    def _proposes(self, request, obj) -> bool:
        """The person's changes to this profile wait for an editor."""
        return (
            obj is not None
            and not roles.can_edit_profiles(request.user)
            and roles.can_propose_profile_change(request.user, obj)
        )

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) or self._proposes(request, obj)

    def get_fieldsets(self, request, obj=None):
        if roles.can_edit_profiles(request.user):
            return self.fieldsets
        if self._proposes(request, obj):  # their own: not its address, not the account
            return _without(self.fieldsets[:3], "slug")
        return _without(self.fieldsets[:3], "contact_email")  # someone else's, read only

    def get_prepopulated_fields(self, request, obj=None):
        return {"slug": ["name"]} if roles.can_edit_profiles(request.user) else {}

    def get_object(self, request, object_id, from_field=None):
        author = super().get_object(request, object_id, from_field)
        # A contributor's form shows what they proposed, not yet approved: nothing lost.
        if request.method == "GET" and self._proposes(request, author):
            waiting = services.pending_change(author)
            if waiting is not None:
                services.with_proposal(author, waiting.after)
        return author

    # --- Saving: directly, or as a proposal -----------------------------------------------------

    def save_model(self, request, obj, form, change):
        if not self._proposes(request, obj):
            return super().save_model(request, obj, form, change)
        services.propose_profile_change(
            author=obj, user=request.user, values=services.profile_values(obj)
        )

    def log_change(self, request, obj, message):
        if self._proposes(request, obj):
            message = "Proposed a change to the profile, for an editor to approve."
        return super().log_change(request, obj, message)

    def response_change(self, request, obj):
        if not self._proposes(request, obj):
            return super().response_change(request, obj)
        if services.pending_change(obj) is not None:
            self.message_user(
                request,
                "Your changes are sent to the editors. Readers see your profile as it was "
                "until an editor approves them.",
                messages.SUCCESS,
            )
        else:
            self.message_user(request, "Nothing is waiting: your profile is as readers see it.")
        return redirect("admin:articles_author_change", obj.pk)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            context["profile_change"] = services.pending_change(obj)
            context["proposes"] = self._proposes(request, obj)
            if context["proposes"] and context["profile_change"] is None:
                # Why the last proposal was turned down, where the writer tries again.
                context["last_decision"] = obj.changes.exclude(state="pending").last()
            context["reviews"] = roles.can_edit_profiles(request.user)
        return super().render_change_form(request, context, add, change, form_url, obj)
