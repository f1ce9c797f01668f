"""A fresh clone works from its first command, with the embedded SQLite database."""

import os
import subprocess
import sys

from django.conf import settings


def test_migrate_works_before_the_var_folder_exists(tmp_path):
    """`manage.py migrate` in a fresh clone (no var/ yet, no DATABASE_URL) makes the folder
    and the database, instead of failing with "unable to open database file"."""
    var = tmp_path / "fresh" / "var"
    env = {k: v for k, v in os.environ.items() if not k.startswith("DATABASE_")}
    env.update(VAR_DIR=str(var), DJANGO_SETTINGS_MODULE="newsroom.settings.dev")
    result = subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput"],
        cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-2000:]
    assert (var / "newsroom.sqlite3").stat().st_size > 0
