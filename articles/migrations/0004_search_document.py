"""Full-text search: a weighted tsvector per story, with a GIN index on PostgreSQL."""

import django.contrib.postgres.search
from django.db import migrations


def create_search_index(apps, schema_editor):
    # A GIN index only exists on PostgreSQL; SQLite searches without one.
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS article_search_document "
        "ON articles_article USING gin (search_document)"
    )
    schema_editor.execute(
        "UPDATE articles_article SET search_document = "
        "setweight(to_tsvector('english', coalesce(headline, '')), 'A') || "
        "setweight(to_tsvector('english', coalesce(dek, '')), 'B') || "
        "setweight(to_tsvector('english', coalesce(body, '')), 'C')"
    )


def drop_search_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS article_search_document")


class Migration(migrations.Migration):
    dependencies = [("articles", "0003_correction_permissions")]

    operations = [
        migrations.AddField(
            model_name="article",
            name="search_document",
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        migrations.RunPython(create_search_index, drop_search_index),
    ]
