"""The roles' permissions on pages: contributors draft, editors edit any, publishers delete
(articles/roles.py)."""

from django.db import migrations


def sync_roles(apps, schema_editor):
    import importlib

    importlib.import_module("articles.migrations.0002_roles").create_roles(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [("pages", "0001_initial"), ("articles", "0016_working_copies_moved_to_desk")]
    operations = [migrations.RunPython(sync_roles, migrations.RunPython.noop)]
