"""System checks for what the page cache relies on and could be forgotten.

A model readers see must say what saving it means for them (`reader_change_on_save`, read by
caching.invalidation): without it, an edit would leave every cached page showing the old text. So a
model of ours that points at one readers see must declare itself: "hard" or "soft" if
readers see it too, "nothing" if they never do (a log entry, a working copy).
"""

from django.apps import apps
from django.conf import settings
from django.core.checks import Error, Tags, register

KINDS = ("hard", "soft", "nothing")


def _ours(model) -> bool:
    """An app of this repository, not an installed package (a virtualenv may live inside it)."""
    path = str(apps.get_app_config(model._meta.app_label).path)
    return path.startswith(str(settings.BASE_DIR)) and "site-packages" not in path


@register(Tags.caches, Tags.models)
def check_reader_content_declared(app_configs=None, **kwargs) -> list:
    return undeclared([model for model in apps.get_models() if _ours(model)])


def undeclared(models) -> list:
    """An error for each of `models` that points at reader content without saying whether
    readers see it, or says something else than a kind of change."""
    from .invalidation import content_models

    content = set(content_models())
    errors = []
    for model in models:
        declared = getattr(model, "reader_change_on_save", None)
        if declared is not None and declared not in KINDS:
            errors.append(Error(
                f"{model._meta.label}.reader_change_on_save is {declared!r}.",
                hint=f"Use one of {', '.join(KINDS)}.", obj=model, id="caching.E001",
            ))  # fmt: skip
            continue
        related = sorted(
            field.related_model._meta.label
            for field in model._meta.get_fields()
            if field.is_relation and field.concrete and field.related_model in content
        )
        if declared is None and related:
            errors.append(Error(
                f"{model._meta.label} points at {', '.join(related)}, which readers see, but "
                "does not say whether readers see it too.",
                hint='Set reader_change_on_save = "hard", "soft" or "nothing" on the model '
                "(caching.invalidation).", obj=model, id="caching.E002",
            ))  # fmt: skip
    return errors
