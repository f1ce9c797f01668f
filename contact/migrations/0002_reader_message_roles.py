"""Editors and publishers read and handle reader messages (articles/roles.py)."""

from django.db import migrations


def sync_roles(apps, schema_editor):
    import importlib

    importlib.import_module("articles.migrations.0002_roles").create_roles(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [("contact", "0001_reader_messages")]
    operations = [migrations.RunPython(sync_roles, migrations.RunPython.noop)]
