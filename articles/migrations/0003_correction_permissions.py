"""Corrections are the editors' job: contributors no longer see the corrections inline."""

from django.db import migrations


def sync_roles(apps, schema_editor):
    import importlib

    importlib.import_module("articles.migrations.0002_roles").create_roles(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [("articles", "0002_roles")]
    operations = [migrations.RunPython(sync_roles, migrations.RunPython.noop)]
