from django.apps import AppConfig


class NewsroomConfig(AppConfig):
    name = "newsroom"
    verbose_name = "Site"

    def ready(self):
        from . import surrogate_keys
        from .cache import connect_content_models

        connect_content_models()
        surrogate_keys.connect()
