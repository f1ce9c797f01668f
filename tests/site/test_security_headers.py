"""Security headers: a strict Content-Security-Policy on public pages (cached ones too), and
production settings that pass `check --deploy` with no warnings."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

from articles.models import Status
from tests.factories import make_article

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


def directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    parts = [part.strip().split() for part in policy.split(";") if part.strip()]
    return {part[0]: part[1:] for part in parts}


def test_public_pages_forbid_inline_scripts_and_styles(client):
    story = make_article(status=Status.PUBLISHED)
    for url in ("/", story.get_absolute_url(), "/search/?q=x", "/feeds/rss/"):
        response = client.get(url)
        policy = directives(response)
        assert policy["script-src"] == ["'self'"], url
        assert policy["style-src"] == ["'self'"], url
        assert policy["object-src"] == ["'none'"] and policy["frame-ancestors"] == ["'none'"]
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
        assert response["X-Frame-Options"] == "DENY"
        assert "camera=()" in response["Permissions-Policy"]


def test_cached_pages_carry_the_same_headers(client, settings):
    settings.PAGE_CACHE = True
    make_article(status=Status.PUBLISHED)
    client.get("/")
    hit = client.get("/")
    assert hit["X-Cache"] == "hit"
    assert directives(hit)["script-src"] == ["'self'"]
    assert "Permissions-Policy" in hit


def test_the_admin_allows_inline_styles_but_still_no_inline_scripts(client, editor):
    client.force_login(editor)
    policy = directives(client.get(reverse("admin:articles_article_changelist")))
    assert "'unsafe-inline'" in policy["style-src"]
    assert policy["script-src"] == ["'self'"]


def test_development_settings_send_the_same_headers():
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); from django.conf import settings;"
         "print('csp.middleware.CSPMiddleware' in settings.MIDDLEWARE, "
         "settings.CONTENT_SECURITY_POLICY['DIRECTIVES']['script-src'])"],
        cwd=ROOT, env={**os.environ, "DJANGO_SETTINGS_MODULE": "newsroom.settings.dev"},
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert result.stdout.strip() == "True [\"'self'\"]", result.stderr


def test_production_passes_check_deploy_without_warnings():
    env = {
        **{k: v for k, v in os.environ.items() if k in {"PATH", "HOME", "LANG"}},
        "DJANGO_SETTINGS_MODULE": "newsroom.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "DATABASE_URL": "postgres://newsroom@db:5432/newsroom",
        "ALLOWED_HOSTS": "www.example.org",
        "REDIS_URL": "redis://redis:6379/0",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
