"""Editors and publishers manage newsletters and their issues (articles/roles.py)."""

from django.db import migrations


def sync_roles(apps, schema_editor):
    import importlib

    importlib.import_module("articles.migrations.0002_roles").create_roles(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [("newsletters", "0002_delivery_claims"), ("articles", "0010_desk_list_index")]
    operations = [migrations.RunPython(sync_roles, migrations.RunPython.noop)]
