"""Room on each page of the rollups the fold updates most (PostgreSQL `fillfactor` 70): the
fold adds to the same rows batch after batch (`views = views + excluded.views`), and an update
that finds room on its row's page is a HOT update, which writes no new index entries. Measured
in `psql` (120,000 rows of `audience_daybreakdown`, four indexes): the same upsert twice as
fast. New rows fill pages to 70 %; pages written before this migration keep theirs until the
table is rewritten (`VACUUM FULL`), which it does not need. Other databases: nothing to do.
"""

from django.db import migrations

TABLES = ("DayFigures", "HourFigures", "DayBreakdown")


def _fill(change: str):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for name in TABLES:
            table = schema_editor.quote_name(apps.get_model("audience", name)._meta.db_table)
            schema_editor.execute(f"ALTER TABLE {table} {change}")

    return run


class Migration(migrations.Migration):
    dependencies = [("audience", "0003_unlogged_visitor_hashes")]

    operations = [
        migrations.RunPython(
            _fill("SET (fillfactor = 70)"), _fill("RESET (fillfactor)"), elidable=False
        )
    ]
