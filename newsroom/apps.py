from django.apps import AppConfig


class NewsroomConfig(AppConfig):
    name = "newsroom"
    verbose_name = "Site"

    def ready(self):
        from . import checks, surrogate_keys  # noqa: F401 - checks registers itself
        from .cache import connect_content_models

        connect_content_models()
        surrogate_keys.connect()
