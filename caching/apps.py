from django.apps import AppConfig, apps


class CachingConfig(AppConfig):
    name = "caching"
    verbose_name = "Caching"

    def ready(self):
        from . import checks  # noqa: F401 - registers itself
        from .invalidation import connect_safety_net
        from .keys import register

        # A model whose instances pages name declares its prefix (`story-12`).
        for model in apps.get_models():
            prefix = getattr(model, "cache_key_prefix", None)
            if prefix:
                register(model, prefix)
        connect_safety_net()
