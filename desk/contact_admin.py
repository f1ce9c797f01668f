"""Reader messages in the desk: the editors' queue of messages, tips and error reports, and
from a report, the story and a correction linked back to it. What the reader typed is shown
as text (escaped) and never edited here; only its status changes, through contact.services."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html

from articles.models import Correction
from contact import services
from contact.models import ContactMessage

READER_FIELDS = ("kind", "created_at", "name", "email", "subject", "message")


class CorrectionFromReportForm(forms.Form):
    kind = forms.ChoiceField(
        label="Kind", choices=Correction.Kind.choices, initial=Correction.Kind.CORRECTION
    )
    text = forms.CharField(
        label="Text readers will see",
        widget=forms.Textarea(attrs={"rows": 5, "cols": 80}),
        max_length=2000,
        help_text="Plain text, shown at the end of the story with today's date.",
    )


@admin.register(ContactMessage)
class ContactMessageAdmin(admin.ModelAdmin):
    list_display = ("__str__", "kind", "story_headline", "created_at", "status", "delivery")
    list_filter = ("status", "kind", "delivery")
    search_fields = ("subject", "message", "name", "email")
    list_select_related = ("story",)
    fieldsets = [
        ("From the reader", {"fields": READER_FIELDS}),
        ("About", {"fields": ("about_story", "author", "correction_link")}),
        ("Handling", {"fields": ("status", "handled_by", "handled_at")}),
        ("Mailed to the newsroom", {"fields": ("delivery", "attempts", "sent_at", "last_error")}),
    ]
    readonly_fields = READER_FIELDS + (
        "about_story", "author", "correction_link", "handled_by", "handled_at",
        "delivery", "attempts", "sent_at", "last_error",
    )  # fmt: skip
    actions = ["mark_handled", "mark_spam", "mail_again"]

    def has_add_permission(self, request) -> bool:
        return False  # messages come from readers, through the form

    @admin.display(description="Story", ordering="story__headline")
    def story_headline(self, obj) -> str:
        return obj.story.headline if obj.story_id else "—"

    @admin.display(description="Story")
    def about_story(self, obj):
        if obj.story_id is None:
            return "—"
        story = obj.story
        links = [
            format_html(
                '<a href="{}">{}</a>',
                reverse("admin:articles_article_change", args=[story.pk]),
                story.headline,
            ),
            format_html('<a href="{}">Read it on the site</a>', story.get_absolute_url()),
        ]
        if obj.correction_id is None and obj.kind == ContactMessage.Kind.ERROR:
            links.append(
                format_html(
                    '<a class="button" href="{}">Add a correction from this report</a>',
                    reverse("admin:contact_contactmessage_correct", args=[obj.pk]),
                )
            )
        return format_html(" · ".join(["{}"] * len(links)), *links)

    @admin.display(description="Correction")
    def correction_link(self, obj):
        if obj.correction_id is None:
            return "—"
        correction = obj.correction
        when = f"{correction.published_at:%Y-%m-%d}"
        return format_html("{} of {}: <q>{}</q>", correction.get_kind_display(), when,
                           correction.text)  # fmt: skip

    def save_model(self, request, obj, form, change) -> None:
        # Only the status is editable here; the service records who handled it (a save that
        # leaves it as it was changes nothing, not even who handled it).
        if "status" in form.changed_data:
            services.set_status(message=obj, status=obj.status, user=request.user)

    @admin.action(description="Mark as handled", permissions=["change"])
    def mark_handled(self, request, queryset):
        self._set_status(request, queryset, ContactMessage.Status.HANDLED)

    @admin.action(description="Mark as spam", permissions=["change"])
    def mark_spam(self, request, queryset):
        self._set_status(request, queryset, ContactMessage.Status.SPAM)

    def _set_status(self, request, queryset, status) -> None:
        for message in queryset:
            services.set_status(message=message, status=status, user=request.user)
        self.message_user(request, f"{queryset.count()} marked {status.label.lower()}.")

    @admin.action(description="Mail again to the newsroom", permissions=["change"])
    def mail_again(self, request, queryset):
        queued = sum(services.mail_again(message=m, user=request.user) for m in queryset)
        self.message_user(request, f"{queued} queued to be mailed again.")

    def get_urls(self):
        return [
            path(
                "<int:pk>/correct/",
                self.admin_site.admin_view(self.correct_view),
                name="contact_contactmessage_correct",
            ),
            *super().get_urls(),
        ]

    def correct_view(self, request, pk: int):
        """Add a correction to the reported story, linked to this report."""
        report = get_object_or_404(ContactMessage.objects.select_related("story"), pk=pk)
        if not (
            self.has_change_permission(request, report)
            and request.user.has_perm("articles.add_correction")
        ):
            raise PermissionDenied
        form = CorrectionFromReportForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                services.correct_from_report(report=report, user=request.user, **form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request, "The correction is on the story, and this report is handled."
                )
                return redirect("admin:contact_contactmessage_change", report.pk)
        context = {
            **self.admin_site.each_context(request),
            "title": "Add a correction from this report",
            "report": report,
            "form": form,
            "opts": self.model._meta,
            "original": report,
        }
        return TemplateResponse(request, "admin/contact/contactmessage/correct.html", context)
