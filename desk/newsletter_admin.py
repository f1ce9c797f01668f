"""Newsletters and their issues on the desk: editors and publishers set up a newsletter, and
for each issue edit the intro and the order of its stories, preview it (web and email), send
a test to themselves, schedule it or send it, and read its figures afterwards.
The pages beyond the change form are in newsletter_views.py."""

from django import forms
from django.contrib import admin
from django.db.models import Count, Q
from django.urls import Resolver404, path, resolve, reverse
from django.utils.html import format_html

from newsletters.figures import issue_figures
from newsletters.issues import EDITABLE
from newsletters.models import Cadence, Issue, IssueStory, Newsletter, Source, Subscription

from . import newsletter_views as views
from .accents import FoldedSearch


class NewsletterForm(forms.ModelForm):
    class Meta:
        model = Newsletter
        fields = [
            "name", "slug", "description", "is_active", "sender_name", "sender_email",
            "reply_to", "source", "series", "section", "cadence", "send_time", "weekday",
            "send_automatically",
        ]  # fmt: skip

    def clean_slug(self):
        """A slug whose archive address another page already answers (/newsletters/subscribe/)
        would leave the archive unreachable: the URLconf itself says which are taken."""
        slug = self.cleaned_data["slug"]
        for address in (f"/newsletters/{slug}/", f"/newsletters/{slug}/1/"):
            try:
                name = resolve(address).url_name
            except Resolver404:
                name = None
            if name not in ("archive", "issue"):
                raise forms.ValidationError(
                    "This address is taken by another page; choose another."
                )
        return slug

    def clean(self):
        """What feeds it must be named, and a digest needs its time (and day)."""
        data = super().clean()
        source = data.get("source")
        if source == Source.SERIES and not data.get("series"):
            self.add_error("series", "Choose the series that feeds this newsletter.")
        if source == Source.SECTION and not data.get("section"):
            self.add_error("section", "Choose the section that feeds this newsletter.")
        cadence = data.get("cadence")
        if cadence in (Cadence.DAILY, Cadence.WEEKLY) and not data.get("send_time"):
            self.add_error("send_time", "A digest needs the local time it goes out.")
        if cadence == Cadence.WEEKLY and data.get("weekday") is None:
            self.add_error("weekday", "A weekly digest needs its day.")
        return data


@admin.register(Newsletter)
class NewsletterAdmin(FoldedSearch, admin.ModelAdmin):
    form = NewsletterForm
    list_display = ("name", "source", "cadence", "send_automatically", "is_active", "readers")
    list_filter = ("is_active", "source", "cadence")
    search_fields = ("name__unaccent", "slug")
    prepopulated_fields = {"slug": ("name",)}
    fieldsets = [
        (None, {"fields": ["name", "slug", "description", "is_active"]}),
        ("Sender", {"fields": ["sender_name", "sender_email", "reply_to"]}),
        ("What feeds it", {"fields": ["source", "series", "section", "include_sponsored"]}),
        ("When", {"fields": ["cadence", "send_time", "weekday", "send_automatically"]}),
    ]

    def get_queryset(self, request):
        active = Q(subscriptions__state=Subscription.State.ACTIVE)
        return super().get_queryset(request).annotate(readers=Count("subscriptions", filter=active))

    @admin.display(description="subscribers", ordering="readers")
    def readers(self, newsletter) -> int:
        return newsletter.readers

    def view_on_site(self, newsletter):
        return newsletter.get_absolute_url()


class IssueStoryForm(forms.ModelForm):
    class Meta:
        model = IssueStory
        fields = ["position", "article"]

    def clean_article(self):
        """Only a story readers can see goes in an issue (the email and archive would leave
        out any other, so the editor hears of it now)."""
        article = self.cleaned_data["article"]
        if article is not None and not article.is_live():
            raise forms.ValidationError("Only a story live on the site can go in an issue.")
        return article


class IssueStoryInline(admin.TabularInline):
    model = IssueStory
    form = IssueStoryForm
    extra = 0
    fields = ("position", "article")
    raw_id_fields = ("article",)
    verbose_name = "story"
    verbose_name_plural = "Stories, in the order of the email (lower numbers first)"

    def _editable(self, obj) -> bool:
        return obj is None or obj.state in EDITABLE

    def has_add_permission(self, request, obj=None) -> bool:
        return self._editable(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None) -> bool:
        return self._editable(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return self._editable(obj) and super().has_delete_permission(request, obj)


@admin.register(Issue)
class IssueAdmin(FoldedSearch, admin.ModelAdmin):
    list_display = ("__str__", "state", "send_at", "sent_at", "created_at")
    list_filter = ("state", "newsletter")
    search_fields = ("subject__unaccent", "newsletter__name__unaccent")
    list_select_related = ("newsletter",)
    inlines = [IssueStoryInline]
    fields = ("newsletter", "number", "subject", "intro", "state", "send_at", "sent_at", "figures")
    change_form_template = "admin/newsletters/issue/change_form.html"

    def has_change_permission(self, request, obj=None) -> bool:
        # An issue being sent or sent is a record: shown read-only, with no Save buttons.
        if obj is not None and obj.state not in EDITABLE:
            return False
        return super().has_change_permission(request, obj)

    def get_readonly_fields(self, request, obj=None):
        always = ("state", "send_at", "sent_at", "figures")
        if obj is None:
            return always
        if obj.state in EDITABLE:
            return ("newsletter", "number", *always)
        return self.fields  # what went out stays as it went out

    def has_delete_permission(self, request, obj=None) -> bool:
        # An issue that went out is part of the archive and of its readers' history.
        return (obj is None or obj.state == Issue.State.DRAFT) and super().has_delete_permission(
            request, obj
        )

    @admin.display(description="figures")
    def figures(self, issue) -> str:
        if issue.pk is None or issue.state in EDITABLE:
            return "Figures appear once the issue is being sent."
        f = issue_figures(issue)
        return format_html(
            "{} recipients: {} sent, {} failed, {} bounced, {} waiting; "
            "{} unsubscribed from its link",
            f.recipients, f.sent, f.failed, f.bounced, f.waiting, f.unsubscribed_after,
        )  # fmt: skip

    def get_urls(self):
        wrap = self.admin_site.admin_view
        pages = [  # (address under /<pk>/, view, URL name after "newsletters_issue_")
            ("preview/web/", views.preview_web, "preview_web"),
            ("preview/email/", views.preview_email, "preview_email"),
            ("test/", views.test_copy, "send_test"),
            ("send/", views.send, "send"),
            ("schedule/", views.schedule, "schedule"),
        ]
        return [
            *[
                path(f"<int:pk>/{route}", wrap(view), name=f"newsletters_issue_{name}")
                for route, view, name in pages
            ],
            *super().get_urls(),
        ]

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            context["issue"] = obj
            context["editable"] = obj.state in EDITABLE
            context["preview_web_url"] = reverse(
                "admin:newsletters_issue_preview_web", args=[obj.pk]
            )
            context["preview_email_url"] = reverse(
                "admin:newsletters_issue_preview_email", args=[obj.pk]
            )
        return super().render_change_form(request, context, add, change, form_url, obj)
