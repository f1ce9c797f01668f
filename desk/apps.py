from django.apps import AppConfig, apps
from django.contrib.admin.apps import AdminConfig

LIBRARY_APP_NAMES = {
    "auth": "Staff accounts",
    "taggit": "Tags",
    "axes": "Sign-in attempts",
    "django_tasks_database": "Background tasks",
}


class DeskConfig(AppConfig):
    name = "desk"
    verbose_name = "Desk"

    def ready(self):
        from . import accents

        accents.install()
        # Libraries name their apps for programmers ("Taggit", "Axes"); the desk's sidebar,
        # breadcrumbs and home show these names to staff.
        for label, name in LIBRARY_APP_NAMES.items():
            if label in apps.app_configs:
                apps.get_app_config(label).verbose_name = name


class DeskAdminConfig(AdminConfig):
    """Django's admin, with the desk's site: a home per role instead of the model list."""

    default_site = "desk.site.DeskAdminSite"
