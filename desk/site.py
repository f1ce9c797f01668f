"""The admin site of the desk: its home is the person's queues, its header their counts."""

from django.contrib import admin
from django.urls import path

from . import comment_views, queues, views


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
            *self._comment_urls(),
            *super().get_urls(),
        ]

    def _comment_urls(self):
        """A story's comments (desk/comment_views.py)."""
        routes = [
            ("desk/stories/<int:pk>/comments/", comment_views.story_comments, "story_comments"),
            ("desk/comments/<int:pk>/reply/", comment_views.reply, "comment_reply"),
            ("desk/comments/<int:pk>/resolve/", comment_views.resolve, "comment_resolve"),
            ("desk/comments/<int:pk>/delete/", comment_views.delete, "comment_delete"),
        ]
        return [
            path(route, self.admin_view(view), name=f"desk_{name}") for route, view, name in routes
        ]
