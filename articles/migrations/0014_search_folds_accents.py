"""Search folds accents on PostgreSQL: "Tomas" finds "Tomás" and the other way round.

The `unaccent` extension (creating it needs a superuser or the database's owner on
PostgreSQL 13+, where it is a trusted extension) and a text search configuration that
unaccents words before the English stemmer; every story's search document is rebuilt with
it. SQLite has no full-text index: the desk registers an UNACCENT function there instead."""

from django.contrib.postgres.operations import UnaccentExtension
from django.db import migrations

CONFIG = "newsroom_english"


def _rebuild(schema_editor, config: str) -> None:
    schema_editor.execute(
        "UPDATE articles_article SET search_document = "
        f"setweight(to_tsvector('{config}', coalesce(headline, '')), 'A') || "
        f"setweight(to_tsvector('{config}', coalesce(dek, '')), 'B') || "
        f"setweight(to_tsvector('{config}', coalesce(body, '')), 'C')"
    )


def fold_accents(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP TEXT SEARCH CONFIGURATION IF EXISTS {CONFIG}")
    schema_editor.execute(f"CREATE TEXT SEARCH CONFIGURATION {CONFIG} (COPY = english)")
    schema_editor.execute(
        f"ALTER TEXT SEARCH CONFIGURATION {CONFIG} "
        "ALTER MAPPING FOR hword, hword_part, word WITH unaccent, english_stem"
    )
    _rebuild(schema_editor, CONFIG)


def keep_accents(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    _rebuild(schema_editor, "english")
    schema_editor.execute(f"DROP TEXT SEARCH CONFIGURATION IF EXISTS {CONFIG}")


class Migration(migrations.Migration):
    dependencies = [("articles", "0013_pending_changes_base_version")]

    operations = [
        UnaccentExtension(),
        migrations.RunPython(fold_accents, keep_accents),
    ]
