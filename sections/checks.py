"""A system check for addresses taken twice: a section or a top-level page whose slug is one
of the site's own prefixes, or a page at the root with the slug of a section. Saving through
the desk or the services refuses these (sections.addresses); this finds what got in another
way (an older database, a shell, a data migration, a new URL added to the site)."""

from django.apps import apps
from django.core.checks import Error, Tags, register
from django.db import DatabaseError

from .addresses import used_by_site


@register(Tags.database)
def check_addresses_not_taken_twice(app_configs=None, databases=None, **kwargs) -> list:
    if not databases:
        return []
    try:
        return taken_twice()
    except DatabaseError:  # not migrated yet: nothing stored to check
        return []


def taken_twice() -> list:
    """An error for each section or top-level page whose address another owner has."""
    errors = []
    sections = dict(apps.get_model("sections", "Section").objects.values_list("slug", "name"))
    for slug, name in sections.items():
        if used_by_site(slug):
            errors.append(Error(
                f"The section “{name}” has the slug “{slug}”, an address the site itself uses.",
                hint="Give the section another slug in the desk.", id="sections.E001",
            ))  # fmt: skip
    if not apps.is_installed("pages"):
        return errors
    pages = apps.get_model("pages", "Page").objects.filter(parent__isnull=True)
    for slug, title in pages.values_list("slug", "title"):
        if used_by_site(slug):
            errors.append(Error(
                f"The page “{title}” is at /{slug}/, an address the site itself uses.",
                hint="Give the page another slug in the desk.", id="sections.E002",
            ))  # fmt: skip
        elif slug in sections:
            errors.append(Error(
                f"The page “{title}” is at /{slug}/, the address of the section "
                f"“{sections[slug]}”: the section's stories would hide the page's children.",
                hint="Give the page or the section another slug in the desk.",
                id="sections.E003",
            ))  # fmt: skip
    return errors
