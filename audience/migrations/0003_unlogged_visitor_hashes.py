"""The visitor hashes (`DayVisitor`) as an UNLOGGED table on PostgreSQL: no write-ahead log
for the fold's most written table (a row a reader a story a day).

Why that is safe: the table holds only today's and yesterday's hashes, to count a visitor
once a day. PostgreSQL empties an unlogged table after a crash (not after a clean restart):
readers already counted that day would be counted again, once; no figure already folded
changes. Unlogged tables are not copied to streaming replicas either: a replica promoted to
primary starts with no hashes (the same few uniques). Other databases: nothing to do.
"""

from django.db import migrations


def _alter(logged: bool):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        table = schema_editor.quote_name(apps.get_model("audience", "DayVisitor")._meta.db_table)
        schema_editor.execute(f"ALTER TABLE {table} SET {'LOGGED' if logged else 'UNLOGGED'}")

    return run


class Migration(migrations.Migration):
    dependencies = [("audience", "0002_desk_indexes")]

    operations = [migrations.RunPython(_alter(logged=False), _alter(logged=True), elidable=False)]
