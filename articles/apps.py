from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Stories"

    def ready(self):
        from taggit.models import Tag

        from caching.invalidation import watch
        from caching.keys import register

        # Tags are taggit's model: a tag renamed or deleted changes every page that shows it.
        register(Tag, "tag")
        watch(Tag)
