"""Settings read the environment; production refuses to start without its secrets and leaves
the development tools out; docker-compose.yml matches what the settings read."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
SETTINGS_DIR = ROOT / "newsroom" / "settings"


def load_settings(
    module: str, show: str = "settings.DATABASES['default']['ENGINE'], settings.DEBUG", **env
) -> subprocess.CompletedProcess:
    """Import a settings module in a clean process with exactly `env`; print `show`."""
    clean = {k: v for k, v in os.environ.items() if k in {"PATH", "HOME", "LANG"}}
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); from django.conf import settings;"
         f"print({show})"],
        cwd=ROOT, env={**clean, "DJANGO_SETTINGS_MODULE": module, **env},
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip


GOOD_PRODUCTION = {
    "SECRET_KEY": "x" * 60,
    "DATABASE_URL": "postgres://newsroom@db:5432/newsroom",
    "ALLOWED_HOSTS": "www.example.org",
    "REDIS_URL": "redis://redis:6379/0",
}


def test_development_needs_no_environment_and_uses_sqlite():
    result = load_settings("newsroom.settings.dev")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["django.db.backends.sqlite3", "True"]


def test_production_starts_with_its_secrets():
    result = load_settings("newsroom.settings.production", **GOOD_PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["django.db.backends.postgresql", "False"]


@pytest.mark.parametrize("missing", ["SECRET_KEY", "DATABASE_URL", "ALLOWED_HOSTS", "REDIS_URL"])
def test_production_refuses_to_start_without_a_secret(missing):
    env = {k: v for k, v in GOOD_PRODUCTION.items() if k != missing}
    result = load_settings("newsroom.settings.production", **env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and missing in result.stderr


def test_production_refuses_a_weak_secret_key_or_sqlite():
    weak = load_settings("newsroom.settings.production", **{**GOOD_PRODUCTION, "SECRET_KEY": "x"})
    assert weak.returncode != 0 and "SECRET_KEY" in weak.stderr
    sqlite = load_settings(
        "newsroom.settings.production", **{**GOOD_PRODUCTION, "DATABASE_URL": "sqlite:///x.db"}
    )
    assert sqlite.returncode != 0 and "PostgreSQL" in sqlite.stderr


# Is the devtools app installed, and what does /_bench/fixed/ (its fixed-page ceiling) reach?
DEVTOOLS = (
    "'devtools' in settings.INSTALLED_APPS, "
    "__import__('django.urls').urls.resolve('/_bench/fixed/').func.__module__"
)


def test_production_leaves_the_development_tools_out():
    """No benchmark, load-test or corpus command, and no /_bench/ page, in production."""
    result = load_settings("newsroom.settings.production", DEVTOOLS, **GOOD_PRODUCTION)
    assert result.returncode == 0, result.stderr
    # /_bench/fixed/ is then only a story address in a section "_bench", which does not exist.
    assert result.stdout.split() == ["False", "articles.views"]


def test_the_benchmarks_gunicorn_is_production_plus_the_ceiling_page():
    """make bench measures pages as production serves them, against devtools' fixed page."""
    result = load_settings("newsroom.settings.bench", DEVTOOLS, **GOOD_PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "devtools.views"]


def test_development_lists_the_tools_in_manage_py_help(tmp_path):
    clean = {k: v for k, v in os.environ.items() if k in {"PATH", "HOME", "LANG"}}
    result = subprocess.run(
        [sys.executable, "manage.py", "help"], cwd=ROOT, capture_output=True, text=True,
        env={**clean, "VAR_DIR": str(tmp_path)}, timeout=60,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    tools = result.stdout.split("[devtools]")[1].split("[")[0].split()
    assert {"generate_corpus", "bench_site", "bench_desk", "load_test"} <= set(tools)


def test_the_test_settings_install_the_tools():
    from django.core.management import get_commands

    assert get_commands()["generate_corpus"] == "devtools"
    assert get_commands()["bench_wordpress_import"] == "devtools"


def variables_read_by_settings() -> set[str]:
    source = "\n".join(p.read_text() for p in SETTINGS_DIR.glob("*.py"))
    names = set(re.findall(r'(?:environ\.get|env_bool|env_list|_required)\(\s*"([A-Z_]+)"', source))
    return names | {"DATABASE_URL"}  # read by dj_database_url.config()


def test_env_example_documents_every_variable_the_settings_read():
    documented = set(re.findall(r"^([A-Z_]+)=", (ROOT / ".env.example").read_text(), re.M))
    assert variables_read_by_settings() - {"TEST_MEDIA_ROOT"} <= documented


def test_docker_compose_describes_the_production_stack():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    assert {"web", "db", "redis", "migrate"} <= set(services)
    for name in ("web", "db", "redis"):
        assert "healthcheck" in services[name], name
    assert set(compose["volumes"]) >= {"postgres-data", "uploads"}

    web, migrate = services["web"], services["migrate"]
    assert web["environment"] == migrate["environment"]
    env = web["environment"]
    assert set(env) <= variables_read_by_settings() | {"DJANGO_SETTINGS_MODULE"}
    assert env["DJANGO_SETTINGS_MODULE"] == "newsroom.settings.production"
    assert env["DATABASE_URL"].startswith("postgres://") and "@db:5432/" in env["DATABASE_URL"]
    assert env["REDIS_URL"].startswith("redis://redis:6379")
    assert services["db"]["environment"]["POSTGRES_DB"] == "newsroom"
    assert migrate["command"][-3:] == ["manage.py", "migrate", "--noinput"]
    assert web["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    assert web["depends_on"]["db"]["condition"] == "service_healthy"
    # The newsletter worker: same image and settings as web, after the migrations.
    worker = services["worker"]
    assert worker["build"] == web["build"] and worker["environment"] == env
    assert worker["command"][:3] == ["python", "manage.py", "db_worker"]
    assert "--reload" not in worker["command"]
    assert worker["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    assert worker["restart"] == "unless-stopped"
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "gunicorn" in dockerfile and "newsroom.wsgi:application" in dockerfile
    assert "uv sync --frozen" in dockerfile


def test_email_provider_picks_an_anymail_backend_and_its_settings_from_the_environment():
    shown = "settings.EMAIL_BACKEND, sorted(settings.ANYMAIL.items())"
    smtp = load_settings("newsroom.settings.dev", shown, EMAIL_HOST="smtp.example.org")
    assert "django.core.mail.backends.smtp.EmailBackend" in smtp.stdout, smtp.stderr
    postmark = load_settings(
        "newsroom.settings.dev",
        shown,
        EMAIL_PROVIDER="postmark",
        ANYMAIL_POSTMARK_SERVER_TOKEN="token-1",
        ANYMAIL_WEBHOOK_SECRET="user:pass",
    )
    assert postmark.stdout.strip() == (
        "anymail.backends.postmark.EmailBackend [('POSTMARK_SERVER_TOKEN', 'token-1'), "
        "('WEBHOOK_SECRET', 'user:pass')]"
    ), postmark.stderr
