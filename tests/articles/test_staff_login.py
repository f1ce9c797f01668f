"""Staff logins: repeated failures lock the account at that address; sessions expire."""

import pytest
from django.conf import settings
from django.urls import reverse

pytestmark = pytest.mark.django_db


def attempt(client, username, password):
    return client.post(
        reverse("admin:login"), {"username": username, "password": password, "next": "/admin/"}
    )


def test_too_many_failed_logins_lock_the_account_out(client, editor):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert attempt(client, editor.username, "wrong").status_code == 200  # form again
    locked = attempt(client, editor.username, "wrong")
    assert locked.status_code == 429 and "Too many failed logins" in locked.content.decode()
    # Even the right password is refused while the lockout lasts.
    assert attempt(client, editor.username, "pw").status_code == 429
    assert "_auth_user_id" not in client.session


def test_a_lockout_does_not_touch_other_accounts(client, editor, publisher):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, editor.username, "wrong")
    assert attempt(client, publisher.username, "pw").status_code == 302


def test_a_successful_login_resets_the_failure_count(client, editor):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        attempt(client, editor.username, "wrong")
    assert attempt(client, editor.username, "pw").status_code == 302
    client.logout()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert attempt(client, editor.username, "wrong").status_code == 200


def test_staff_sessions_expire():
    assert settings.SESSION_COOKIE_AGE <= 12 * 60 * 60
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE
    assert settings.SESSION_COOKIE_HTTPONLY
