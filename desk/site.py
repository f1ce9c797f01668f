"""The admin site of the desk: its home is the person's queues, its header their counts."""

from django.contrib import admin
from django.urls import path

from . import audience_views, calendar_views, comment_views, profile_views, queues, session, views


class DeskAdminSite(admin.AdminSite):
    site_header = "Newsroom"
    site_title = "Newsroom desk"
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
        routes = [  # (address under /admin/desk/, view, URL name after "desk_")
            ("notifications/", views.notification_list, "notifications"),
            ("notifications/read/", views.mark_read, "notifications_read"),
            ("preferences/", views.preferences, "preferences"),
            ("profile/", profile_views.my_profile, "my_profile"),
            ("profile-changes/<int:pk>/", profile_views.review, "profile_change"),
            ("calendar/", calendar_views.calendar_page, "calendar"),
            ("calendar/<int:pk>/move/", calendar_views.move, "calendar_move"),
            ("stories/<int:pk>/comments/", comment_views.story_comments, "story_comments"),
            ("comments/<int:pk>/reply/", comment_views.reply, "comment_reply"),
            ("comments/<int:pk>/resolve/", comment_views.resolve, "comment_resolve"),
            ("comments/<int:pk>/delete/", comment_views.delete, "comment_delete"),
        ]
        return [
            *[
                path(f"desk/{route}", self.admin_view(view), name=f"desk_{name}")
                for route, view, name in routes
            ],
            # Audience figures (desk/audience_views.py), named as the benchmark reads them.
            path("audience/", self.admin_view(audience_views.overview), name="audience"),
            path("audience/live/", self.admin_view(audience_views.live), name="audience-live"),
            path(
                "audience/story/<int:pk>/",
                self.admin_view(audience_views.story),
                name="audience-story",
            ),
            # Outside admin_view: they answer a signed-out page instead of redirecting it.
            path("desk/session/", session.session_state, name="desk_session"),
            path("desk/session/sign-in/", session.sign_in_again, name="desk_sign_in"),
            *super().get_urls(),
        ]
