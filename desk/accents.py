"""Searches on the desk ignore accents: "Tomas" finds "Tomás" and "Tomás" finds "Tomas".

PostgreSQL folds with its `unaccent` extension (desk's migration 0002); SQLite, in
development and tests, gets an `UNACCENT` function of the same name on each connection, so
the same `__unaccent__icontains` lookups run on both."""

import unicodedata

from django.db.backends.signals import connection_created


def fold(text: str) -> str:
    """The text without its accents (é → e, ñ → n), as `unaccent` folds it."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def add_sqlite_unaccent(sender, connection, **kwargs) -> None:
    """Give a SQLite connection the UNACCENT function PostgreSQL's extension provides."""
    if connection.vendor == "sqlite":
        connection.connection.create_function("UNACCENT", 1, fold, deterministic=True)


def install() -> None:
    """Fold accents on every new database connection (called when the desk app is ready)."""
    connection_created.connect(add_sqlite_unaccent, dispatch_uid="desk.accents.sqlite")


class FoldedSearch:
    """For a ModelAdmin whose search_fields use `__unaccent`: the term is folded too, so an
    accented search finds the unaccented spelling and the other way round."""

    def get_search_results(self, request, queryset, search_term):
        return super().get_search_results(request, queryset, fold(search_term))
