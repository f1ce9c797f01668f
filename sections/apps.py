from django.apps import AppConfig


class SectionsConfig(AppConfig):
    name = "sections"
    verbose_name = "Sections and series"

    def ready(self):
        from . import checks  # noqa: F401 - registers itself
