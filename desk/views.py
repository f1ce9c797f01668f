"""The desk's own pages: a person's notifications, and their email preference."""

from django import forms
from django.contrib import admin, messages
from django.core.paginator import Paginator
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_POST

from . import notifications
from .models import DeskPreference, Notification


def notification_list(request):
    """Everything the desk has told this person, newest first, unread marked."""
    notes = Notification.objects.filter(recipient=request.user).select_related(
        "article", "page", "actor", "profile_change__author"
    )
    page = Paginator(notes, 50).get_page(request.GET.get("page"))
    return TemplateResponse(
        request,
        "admin/desk/notifications.html",
        {**admin.site.each_context(request), "title": "Notifications", "page": page},
    )


@require_POST
def mark_read(request):
    """Mark one notification read (`notification` in the form) or all of them."""
    pk = request.POST.get("notification")
    notifications.mark_read(user=request.user, pk=int(pk) if pk and pk.isdigit() else None)
    next_url = request.POST.get("next", "")
    if not next_url.startswith("/") or next_url.startswith("//"):
        next_url = reverse("admin:desk_notifications")
    return redirect(next_url)


class PreferenceForm(forms.ModelForm):
    class Meta:
        model = DeskPreference
        fields = ["emails"]


def preferences(request):
    """Whether the person's notifications are also emailed to them."""
    preference = DeskPreference.objects.filter(user=request.user).first()
    preference = preference or DeskPreference(user=request.user)
    # An unticked box sends nothing: an empty POST is still a submitted form.
    data = request.POST if request.method == "POST" else None
    form = PreferenceForm(data, instance=preference)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Your preferences are saved.")
        return redirect("admin:desk_preferences")
    return TemplateResponse(
        request,
        "admin/desk/preferences.html",
        {**admin.site.each_context(request), "title": "Desk preferences", "form": form},
    )
