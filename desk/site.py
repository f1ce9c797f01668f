"""The admin site of the desk: its home is the person's queues, its header their counts."""

from django.contrib import admin
from django.urls import path

from . import queues, session, views


class DeskAdminSite(admin.AdminSite):
    site_header = "Newsroom"
    site_title = "Newsroom admin"
    index_title = "Editorial desk"
    index_template = "admin/desk/home.html"

    def each_context(self, request):
        context = super().each_context(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_active and user.is_staff:
            context["desk_counts"] = queues.counts(user)
        return context

    def index(self, request, extra_context=None):
        extra_context = {
            "desk_role": queues.role_of(request.user),
            "desk_queues": queues.home(request.user),
            **(extra_context or {}),
        }
        return super().index(request, extra_context)

    def get_urls(self):
        return [
            path(
                "desk/notifications/",
                self.admin_view(views.notification_list),
                name="desk_notifications",
            ),
            path(
                "desk/notifications/read/",
                self.admin_view(views.mark_read),
                name="desk_notifications_read",
            ),
            path(
                "desk/preferences/",
                self.admin_view(views.preferences),
                name="desk_preferences",
            ),
            # Outside admin_view: they answer a signed-out page instead of redirecting it.
            path("desk/session/", session.session_state, name="desk_session"),
            path("desk/session/sign-in/", session.sign_in_again, name="desk_sign_in"),
            *super().get_urls(),
        ]
