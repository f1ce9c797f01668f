from django.apps import AppConfig
from django.contrib.admin.apps import AdminConfig


class DeskConfig(AppConfig):
    name = "desk"
    verbose_name = "Desk"


class DeskAdminConfig(AdminConfig):
    """Django's admin, with the desk's site: a home per role instead of the model list."""

    default_site = "desk.site.DeskAdminSite"
